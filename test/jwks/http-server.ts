/**
 * A controllable loopback HTTP server for the remote JWK Set tests: each test sets what the next
 * responses are (status, headers, body, delay) and reads back every request received. Listens on
 * 127.0.0.1, port 0; `close()` ends every connection and pending delay, so no handle stays open.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Reply {
  status?: number
  headers?: Record<string, string>
  body?: string | Uint8Array | object
  /** Wait this long before answering (cleared on close). */
  delayMs?: number
  /** Send the headers, then hold the body this long. */
  bodyDelayMs?: number
}

export interface SeenRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export type Handler = (request: SeenRequest, index: number) => Reply | Promise<Reply>

export interface TestServer {
  origin: string
  url(path: string): string
  requests: SeenRequest[]
  /** Requests whose path is `path`. */
  count(path?: string): number
  handle(handler: Handler): void
  close(): Promise<void>
}

export async function startServer(handler: Handler = () => ({ status: 404 })): Promise<TestServer> {
  let current = handler
  const requests: SeenRequest[] = []
  const timers = new Set<NodeJS.Timeout>()
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })
  const server: Server = createServer(async (req, res) => {
    const seen: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers }
    requests.push(seen)
    try {
      const reply = await current(seen, requests.length - 1)
      if (reply.delayMs) await wait(reply.delayMs)
      if (res.destroyed) return
      let body: string | Uint8Array | undefined
      const headers: Record<string, string> = { ...reply.headers }
      if (reply.body === undefined || typeof reply.body === 'string' || reply.body instanceof Uint8Array) body = reply.body
      else {
        body = JSON.stringify(reply.body)
        headers['content-type'] ??= 'application/json'
      }
      res.writeHead(reply.status ?? 200, headers)
      if (reply.bodyDelayMs) {
        res.flushHeaders()
        await wait(reply.bodyDelayMs)
        if (res.destroyed) return
      }
      res.end(body)
    } catch {
      res.destroy()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    url: (path) => origin + path,
    requests,
    count: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    handle: (h) => {
      current = h
    },
    close: async () => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
