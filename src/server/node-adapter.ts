/**
 * @module server/node-adapter
 * The thin `node:http` side of the core (server/core): a {@link CoreRequest} over an
 * IncomingMessage, and the writing of a {@link CoreResponse}. Header fields are read from
 * `rawHeaders` (touching `req.headers` would build the whole object on every request, which the
 * hot JWKS route cannot afford); a body is read up to a bound, and a connection that goes away
 * mid-body becomes {@link ConnectionGone}, never a route failure.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { JwkitError } from '../errors.ts'
import { ConnectionGone, type CoreRequest, type CoreResponse } from './core.ts'

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code.slice(0, 40) : 'connection closed'
}

/** A CoreRequest over a node:http request. */
export class NodeCoreRequest implements CoreRequest {
  private readonly req: IncomingMessage
  readonly path: string
  constructor(req: IncomingMessage, path: string) {
    this.req = req
    this.path = path
  }

  get method(): string {
    return this.req.method ?? 'GET'
  }

  header(name: string): string | undefined {
    const raw = this.req.rawHeaders
    let value: string | undefined
    for (let i = 0; i < raw.length; i += 2) {
      const field = raw[i]!
      if (field.length === name.length && field.toLowerCase() === name) value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`
    }
    return value
  }

  async body(maxBytes: number): Promise<Uint8Array> {
    const { req } = this
    const declared = this.header('content-length')
    if (declared !== undefined && Number(declared) > maxBytes) {
      throw new JwkitError('ERR_HTTP_BODY_TOO_LARGE', `request body is over ${maxBytes} bytes`)
    }
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.byteLength
        if (size > maxBytes) throw new JwkitError('ERR_HTTP_BODY_TOO_LARGE', `request body is over ${maxBytes} bytes`)
        chunks.push(chunk)
      }
    } catch (error) {
      if (error instanceof JwkitError) throw error
      throw new ConnectionGone(reasonOf(error)) // a client abort, or Node's 408 cut of a slow body
    }
    if (!req.complete || req.socket?.destroyed === true) throw new ConnectionGone('connection closed')
    return Buffer.concat(chunks)
  }
}

/** Writes a CoreResponse (a precomputed `wire` list as is); returns its status. */
export function sendCoreResponse(res: ServerResponse, response: CoreResponse): number {
  res.writeHead(response.status, (response.wire ?? response.headers) as string[] | Record<string, string>)
  res.end(response.body)
  return response.status
}
