/**
 * @module server/page-core
 * The start of the key server's request → response core (the Hono model): a route is a function
 * from a {@link CoreRequest} to a {@link CoreResponse}, testable without a socket, and
 * {@link sendCoreResponse} is the thin `node:http` adapter that writes one. Today the page routes
 * (workbench, dashboard, their assets) go through it; the JWKS, discovery and admin routes still
 * live in the `switch` of create-jwks-server.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What a core route reads of a request (RFC 9110 §9, §6.3): method, path without query, header fields. */
export interface CoreRequest {
  readonly method: string
  readonly path: string
  /** A header field by lower-case name (several lines joined by ", "), or undefined. */
  header(name: string): string | undefined
}

/** What a core route answers: status, header fields, body (omitted on the wire for HEAD and 304). */
export interface CoreResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Uint8Array
  /** The route template, for metrics and logs (never the raw path). */
  readonly label: string
}

/** A core route: answers, or returns undefined when the request is not its own. */
export type CoreRoute = (request: CoreRequest) => CoreResponse | undefined

/** A CoreRequest over a node:http request (headers read lazily). */
export function toCoreRequest(req: IncomingMessage, path: string): CoreRequest {
  return {
    method: req.method ?? 'GET',
    path,
    header(name) {
      const value = req.headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    },
  }
}

/** Writes a CoreResponse; returns its status. Content-Length is always set (RFC 9110 §8.6). */
export function sendCoreResponse(res: ServerResponse, response: CoreResponse, head: boolean): number {
  const body = response.body
  const length = response.status === 304 || body === undefined ? undefined : String(body.byteLength)
  res.writeHead(response.status, length === undefined ? response.headers : { ...response.headers, 'Content-Length': length })
  res.end(head || response.status === 304 || body === undefined ? undefined : body)
  return response.status
}
