/**
 * @module guard/request
 * What the guards read from a request, whatever its shape: a plain `{ method, url, headers }`,
 * Node's `IncomingMessage` (every value of a repeated field, from `rawHeaders`: Node keeps only
 * the first `Authorization`), or a fetch `Request` (whose `Headers` join repeats with ", ").
 * The URL is absolute: a fetch `Request` has one; otherwise it is built on the configured
 * trusted `origin`, else on the `Host` field and the socket's TLS state.
 */

/** Header fields as plain objects hold them (Node's `IncomingHttpHeaders` fits). */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>

/** The request shapes the guards accept. */
export interface RequestLike {
  method?: string | undefined
  url?: string | undefined
  headers: HeaderRecord | { get(name: string): string | null }
  /** Node: the raw field list, names and values alternating. */
  rawHeaders?: readonly string[]
  /** Express: the URL before routers stripped their mount path. */
  originalUrl?: string
  /** Node: the connection (TLS client certificates for RFC 8705). */
  socket?: unknown
  /** A parsed form body (`application/x-www-form-urlencoded`), for body tokens when enabled. */
  body?: unknown
}

/** A request read once: the method, absolute URL and a header reader. */
export interface ReadRequest {
  readonly method: string
  /** The absolute request URL (with query). */
  readonly url: string
  /** Every value of a field, in order (a fetch `Headers` gives one joined value). */
  values(name: string): readonly string[]
  readonly socket: unknown
  readonly body: unknown
}

const isFetchHeaders = (h: RequestLike['headers']): h is { get(name: string): string | null } => typeof (h as { get?: unknown }).get === 'function'

/** Reads a request; `origin` (e.g. `https://api.example`) is the trusted scheme and authority. */
export function readRequest(request: RequestLike, origin?: string): ReadRequest {
  if (typeof request !== 'object' || request === null || typeof request.headers !== 'object' || request.headers === null) {
    throw new TypeError('verifyAccessToken: request must be an object with headers (a plain request, IncomingMessage or fetch Request)')
  }
  const headers = request.headers
  const raw = Array.isArray(request.rawHeaders) ? request.rawHeaders : undefined
  const values = (name: string): readonly string[] => {
    if (raw !== undefined) {
      const out: string[] = []
      for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!)
      return out
    }
    if (isFetchHeaders(headers)) {
      const v = headers.get(name)
      return v === null ? [] : [v]
    }
    const v = Object.hasOwn(headers, name) ? headers[name] : undefined
    if (v === undefined) return []
    return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  }
  const method = typeof request.method === 'string' ? request.method : 'GET'
  const path = typeof request.originalUrl === 'string' ? request.originalUrl : typeof request.url === 'string' ? request.url : '/'
  return { method, url: absoluteUrl(path, origin, values, request.socket), values, socket: request.socket, body: request.body }
}

function absoluteUrl(path: string, origin: string | undefined, values: (name: string) => readonly string[], socket: unknown): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    if (origin === undefined) return path
    // A trusted origin replaces whatever scheme and authority the request claims.
    const u = new URL(path)
    return origin.replace(/\/+$/, '') + u.pathname + u.search
  }
  if (origin !== undefined) return origin.replace(/\/+$/, '') + (path.startsWith('/') ? path : '/' + path)
  const host = values('host')[0] ?? 'localhost'
  const tls = typeof socket === 'object' && socket !== null && (socket as { encrypted?: unknown }).encrypted === true
  return `${tls ? 'https' : 'http'}://${host}${path.startsWith('/') ? path : '/' + path}`
}
