/**
 * @module server/core
 * The key server's request → response core (the Hono model): every route is a function from a
 * {@link CoreRequest} to a {@link CoreResponse}, testable without a socket. The `node:http`
 * adapter (server/node-adapter) builds the request and writes the response; nothing here touches
 * a socket. HEAD and 304 answers carry no body (RFC 9110 §9.3.2, §15.4.5): the core drops it, so
 * the adapter writes what it is given.
 */
/** What a route reads of a request (RFC 9110 §9, §6.3): method, path without query, header fields, body. */
export interface CoreRequest {
  readonly method: string
  readonly path: string
  /** A header field by lower-case name (several lines joined by ", ", RFC 9110 §5.3), or undefined. */
  header(name: string): string | undefined
  /**
   * The body, at most `maxBytes` (more → `ERR_HTTP_BODY_TOO_LARGE`). Rejects with
   * {@link ConnectionGone} when the client went away (or was cut for slowness) before it arrived.
   */
  body(maxBytes: number): Promise<Uint8Array>
}

/** What a route answers: status, header fields, body. */
export interface CoreResponse {
  readonly status: number
  /** Header fields; Content-Length is among them whenever a GET would carry a body. */
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Uint8Array
  /** The route template, for metrics and logs (never the raw path). */
  readonly label: string
  /** The same header fields as a flat name, value, … list, when precomputed (the hot route): written as is. */
  readonly wire?: readonly string[]
}

/** A page-style route: answers, or returns undefined when the request is not its own. */
export type CoreRoute = (request: CoreRequest) => CoreResponse | undefined

/** An answer of the core: most routes answer at once; those that read a body answer later. */
export type CoreAnswer = CoreResponse | Promise<CoreResponse>

/** Thrown by {@link CoreRequest.body} when the connection is gone: not a failure of the route, and never answered. */
export class ConnectionGone extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(`connection closed before the request was read (${reason})`)
    this.reason = reason
    this.name = 'ConnectionGone'
  }
}

export const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff' } as const

/** A response over bytes, with Content-Type and Content-Length (RFC 9110 §8.6). */
export function bytesResponse(
  status: number, label: string, body: Uint8Array, type: string, headers: Readonly<Record<string, string>> = {},
): CoreResponse {
  return {
    status, label, body,
    headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(body.byteLength), ...headers },
  }
}

/** A JSON response (RFC 8259). */
export function jsonResponse(status: number, label: string, value: unknown, headers: Readonly<Record<string, string>> = {}): CoreResponse {
  return bytesResponse(status, label, new TextEncoder().encode(JSON.stringify(value)), 'application/json', headers)
}

/** The answer to a HEAD request: the GET answer's header fields (Content-Length included), no body. */
export function withoutBody(response: CoreResponse): CoreResponse {
  if (response.body === undefined) return response
  const { body: _body, ...rest } = response
  return rest
}
