/**
 * @module jwks/http-fetch
 * One bounded HTTP GET for a JWK Set (RFC 7517 §5) or a discovery document (RFC 8414 §3):
 * a deadline over the whole exchange (headers and body), `redirect: 'manual'` with each hop
 * re-checked by the URL policy, no cookies or credentials, the caller's headers (`authorization`,
 * ...) sent to the origin they were configured for only (a redirect to another origin drops them
 * for the rest of the exchange, as the Fetch standard drops `Authorization`), conditional requests (RFC 9110 §13.1.2
 * `If-None-Match`, §13.1.3 `If-Modified-Since`), and a streaming body read that stops at
 * `maxResponseBytes`.
 */
import { JwkitError } from '../errors.ts'
import { ownOptions } from '../util/dict.ts'
import { joinBytes } from '../util/bytes.ts'
import { checkFetchUrl, type UrlPolicyOptions } from './url-policy.ts'

/** A `fetch` compatible function (the global one, undici's, a proxy-aware one, a test double). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

export interface BoundedFetchOptions extends UrlPolicyOptions {
  fetch?: FetchFunction
  timeoutMs: number
  maxResponseBytes: number
  /** Extra request headers (e.g. `authorization` for a private set). `cookie` is refused. */
  headers?: Readonly<Record<string, string>>
  /**
   * The origin `headers` were configured for (default: the origin of the URL fetched). A request
   * to any other origin carries none of them: an issuer's headers do not go to a `jwks_uri` on
   * another origin, nor to a redirect target elsewhere.
   */
  headersOrigin?: string | undefined
  /** Follow up to this many redirects (`true` = 5), each hop under the URL policy. Default: none. */
  allowRedirects?: boolean | number
  /** `Accept` header. */
  accept: string
  /** Names the resource in messages: `JWK Set`, `discovery document`. */
  what: string
  /** Validators of the copy held, for a conditional request. */
  etag?: string | undefined
  lastModified?: string | undefined
}

export interface BoundedResponse {
  /** 200, or 304 when a conditional request found the held copy current. */
  status: 200 | 304
  /** The URL that answered (after redirects). */
  url: URL
  headers: Headers
  /** The body (200 only). */
  body: Uint8Array | undefined
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Checks caller-supplied headers once: names and values must be strings, and no cookies. */
export function checkRequestHeaders(headers: unknown): Readonly<Record<string, string>> {
  if (headers === undefined) return {}
  if (typeof headers !== 'object' || headers === null) throw new TypeError('options.headers must be an object of strings')
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`options.headers["${name}"] must be a string`)
    const lower = name.toLowerCase()
    if (lower === 'cookie' || lower === 'cookie2') throw new TypeError('options.headers must not carry cookies: jwkit never sends them')
    out[lower] = value
  }
  return out
}

/**
 * GETs `url` within `timeoutMs`. Throws `ERR_JWKS_TIMEOUT`, `ERR_JWKS_FETCH_FAILED` (connection
 * errors; `detail.status` for an HTTP status other than 200/304), `ERR_JWKS_RESPONSE_TOO_LARGE`,
 * or `ERR_JWKS_URL_NOT_ALLOWED` (a redirect that is not allowed, or to a URL the policy refuses).
 */
export async function fetchBounded(url: URL, options: BoundedFetchOptions): Promise<BoundedResponse> {
  // Callers spread their options into a new literal (`{ ...options, accept }`): read own members only.
  options = ownOptions(options)
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new JwkitError('ERR_JWKS_TIMEOUT', `fetching the ${options.what} took longer than ${options.timeoutMs} ms`, { detail: { timeoutMs: options.timeoutMs } }))
    }, options.timeoutMs)
  })
  try {
    return await Promise.race([exchange(url, options, controller.signal), deadline])
  } finally {
    clearTimeout(timer)
    controller.abort() // releases a body the race left unread
  }
}

async function exchange(start: URL, options: BoundedFetchOptions, signal: AbortSignal): Promise<BoundedResponse> {
  const doFetch = options.fetch ?? (globalThis.fetch as FetchFunction)
  const maxRedirects = options.allowRedirects === true ? 5 : typeof options.allowRedirects === 'number' ? options.allowRedirects : 0
  // Validators and `accept` describe the resource, not the caller: they go on every hop.
  const common: Record<string, string> = { accept: options.accept }
  if (options.etag !== undefined) common['if-none-match'] = options.etag
  else if (options.lastModified !== undefined) common['if-modified-since'] = options.lastModified // RFC 9110 §13.1.3: ignored when If-None-Match is sent
  // The caller's headers (credentials among them) are for the configured origin only.
  const configured: Record<string, string> = { ...options.headers, ...common }
  let url = start
  const home = options.headersOrigin ?? start.origin
  let sameOrigin = start.origin === home
  for (let hop = 0; ; hop++) {
    let response: Response
    try {
      // `credentials: 'omit'` and no cookie jar: nothing is sent but what is listed here.
      const headers = sameOrigin ? configured : common
      // A null-prototype init: fetch reads every RequestInit member it knows (cache, mode,
      // keepalive, dispatcher, ...) through the prototype chain, so a polluted one would apply.
      const init: RequestInit = Object.assign(Object.create(null) as RequestInit, { method: 'GET', headers: { ...headers }, redirect: 'manual', credentials: 'omit', signal })
      response = await doFetch(url.href, init)
    } catch (error) {
      if (signal.aborted) throw error // the deadline fired: its error wins the race
      const reason = ((error as { cause?: { code?: unknown } })?.cause?.code)
      throw new JwkitError('ERR_JWKS_FETCH_FAILED', `fetching the ${options.what} failed: the request did not complete`, {
        cause: error,
        detail: typeof reason === 'string' ? { reason: reason.slice(0, 40), host: url.hostname } : { host: url.hostname },
      })
    }
    const status = response.status
    if (REDIRECTS.has(status)) {
      await discard(response)
      const location = response.headers.get('location')
      if (hop >= maxRedirects || location === null) {
        throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', `the ${options.what} URL answered with a redirect (${status}), which is not followed unless allowRedirects is set`, { detail: { status } })
      }
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', `the ${options.what} redirect Location is not a URL`, { detail: { status } })
      }
      url = checkFetchUrl(next, `the ${options.what} redirect target`, options)
      // Once the exchange has left the configured origin it never regains its headers: a hop
      // back could be steered by the other origin to any path of the first.
      if (url.origin !== home) sameOrigin = false
      continue
    }
    if (status === 304 && (options.etag !== undefined || options.lastModified !== undefined)) {
      await discard(response)
      return { status: 304, url, headers: response.headers, body: undefined }
    }
    if (status !== 200) {
      await discard(response)
      throw new JwkitError('ERR_JWKS_FETCH_FAILED', `fetching the ${options.what} failed: HTTP status ${status}`, { detail: { status } })
    }
    const body = await readBounded(response, options)
    return { status: 200, url, headers: response.headers, body }
  }
}

/** Reads the body, stopping as soon as it passes `maxResponseBytes`. */
async function readBounded(response: Response, options: BoundedFetchOptions): Promise<Uint8Array> {
  const max = options.maxResponseBytes
  const tooLarge = () =>
    new JwkitError('ERR_JWKS_RESPONSE_TOO_LARGE', `the ${options.what} response is larger than maxResponseBytes (${max})`, { detail: { maxResponseBytes: max } })
  const declared = response.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) {
    await discard(response)
    throw tooLarge()
  }
  if (response.body === null) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > max) {
        await reader.cancel().catch(() => undefined)
        throw tooLarge()
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof JwkitError) throw error
    throw new JwkitError('ERR_JWKS_FETCH_FAILED', `reading the ${options.what} response failed`, { cause: error })
  }
  return joinBytes(chunks)
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel()
  } catch {
    // nothing to release
  }
}
