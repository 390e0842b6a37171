/**
 * @module web/logic/remote-failure
 * Why a "Fetch and verify" failed, said plainly. A browser's `fetch` rejects with the same bare
 * TypeError ("Failed to fetch") when the network fails and when another origin answered without
 * the CORS headers (Fetch standard §3.2) that let this page read its answer. To tell them apart,
 * a failed cross-origin request is asked once more in `no-cors` mode, whose answer the page
 * cannot read (an opaque response) but which completes when the server answered: then the
 * failure was CORS; when it fails too, the network. Every other failure (an HTTP status, a
 * timeout, a body that is no JWK Set, discovery metadata at fault, a URL refused by policy) comes
 * as a JwkitError from jwkit's fetch and is named by its code.
 */
import { isJwkitError } from './jwkit.ts'

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>

/** How a request that never produced a response failed. */
export interface TransportFailure {
  url: string
  kind: 'cors' | 'network'
}

export type RemoteFailureReason = 'cors' | 'network' | 'timeout' | 'http-status' | 'invalid' | 'discovery' | 'not-allowed'

/** Each reason in a few words (the page's status line). */
export const REASON_NAMES: Readonly<Record<RemoteFailureReason, string>> = {
  cors: 'the browser refused the response (the other origin does not allow cross-origin requests: CORS)',
  network: 'network error (no answer)',
  timeout: 'no answer in time',
  'http-status': 'the server answered with an HTTP error',
  invalid: 'the answer is not a usable JWK Set',
  discovery: 'the issuer\'s metadata is not usable',
  'not-allowed': 'the address is not allowed',
}

export interface RemoteFailure {
  reason: RemoteFailureReason
  code: string
  message: string
}

const PROBE_MS = 5_000

/**
 * Wraps `fetchFn`: a TypeError from a request to another origin than `pageOrigin` is followed by
 * one `no-cors` request to the same URL (no credentials, no referrer), and the
 * diagnosis kept for `failure()`. The error itself is rethrown unchanged.
 */
export function diagnosingFetch(fetchFn: FetchFn, pageOrigin: string | undefined): { fetch: FetchFn; failure(): TransportFailure | undefined } {
  let failure: TransportFailure | undefined
  const probe = async (url: string): Promise<TransportFailure['kind']> => {
    let origin: string
    try {
      origin = new URL(url).origin
    } catch {
      return 'network'
    }
    if (pageOrigin === undefined || origin === pageOrigin) return 'network' // no CORS between a page and its own origin
    try {
      await fetchFn(url, { method: 'GET', mode: 'no-cors', credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(PROBE_MS) })
      return 'cors'
    } catch {
      return 'network'
    }
  }
  return {
    async fetch(url, init) {
      try {
        return await fetchFn(url, init)
      } catch (error) {
        if (error instanceof TypeError && init.signal?.aborted !== true) failure = { url, kind: await probe(url) }
        throw error
      }
    },
    failure: () => failure,
  }
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** The codes of jwkit's fetch of a JWK Set or of discovery metadata (src/jwks/http-fetch.ts, fetch-jwks.ts). */
const FETCH_CODES = new Set(['ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JWKS_DUPLICATE_KID', 'ERR_JWKS_RESPONSE_TOO_LARGE', 'ERR_JWKS_URL_NOT_ALLOWED'])

/** The JwkitErrors along an error's cause chain (a refetch failure may be wrapped). */
function jwkitErrors(error: unknown): Array<{ code: string; message: string; detail?: Readonly<Record<string, unknown>> | undefined }> {
  const out = []
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isJwkitError(e)) out.push(e)
  }
  return out
}

/**
 * The plain statement of a remote verification's failure, or undefined when the failure is not
 * about fetching (a bad signature, an expired token: the caller says those as they are).
 * `transport` is diagnosingFetch's finding; `pageOrigin` this page's origin.
 */
export function explainRemoteFailure(error: unknown, transport: TransportFailure | undefined, pageOrigin: string | undefined): RemoteFailure | undefined {
  const chain = jwkitErrors(error)
  const fetchError = chain.find((e) => FETCH_CODES.has(e.code) || e.code.startsWith('ERR_DISCOVERY_'))
  if (fetchError === undefined) return undefined
  const { code } = fetchError
  const status = fetchError.detail?.status
  if (code === 'ERR_JWKS_FETCH_FAILED' && transport !== undefined && typeof status !== 'number') {
    const origin = originOf(transport.url)
    if (transport.kind === 'cors') {
      return {
        reason: 'cors', code,
        message: `The browser refused the response: ${origin} does not allow cross-origin requests (CORS). It answered ${transport.url}, but without an Access-Control-Allow-Origin header admitting this page${pageOrigin ? ` (${pageOrigin})` : ''}, so the browser keeps the answer from the page. Its operator can add that header; or paste the JWK Set into "Key or JWK Set" and verify with it.`,
      }
    }
    return {
      reason: 'network', code,
      message: `Network error: the request to ${transport.url} did not complete, and no answer came from ${origin} (the host is unreachable or refused the connection, its TLS certificate is not trusted, or the address is wrong).`,
    }
  }
  if (code === 'ERR_JWKS_FETCH_FAILED' && typeof status === 'number') {
    if (status === 0) {
      // redirect: 'manual' in a browser: a redirect is an opaque response of status 0
      return { reason: 'http-status', code, message: 'The server answered with a redirect, which is not followed: give the address it redirects to.' }
    }
    return { reason: 'http-status', code, message: `The server answered HTTP ${status} (${fetchError.message}).` }
  }
  if (code === 'ERR_JWKS_TIMEOUT') return { reason: 'timeout', code, message: `No answer in time: ${fetchError.message}.` }
  if (code === 'ERR_JWKS_INVALID' || code === 'ERR_JWKS_DUPLICATE_KID' || code === 'ERR_JWKS_RESPONSE_TOO_LARGE') {
    return { reason: 'invalid', code, message: `The server answered, but not with a usable JWK Set: ${fetchError.message}.` }
  }
  if (code.startsWith('ERR_DISCOVERY_')) return { reason: 'discovery', code, message: `The issuer's metadata is not usable: ${fetchError.message}.` }
  if (code === 'ERR_JWKS_URL_NOT_ALLOWED') return { reason: 'not-allowed', code, message: `Not fetched: ${fetchError.message}.` }
  if (code === 'ERR_JWKS_FETCH_FAILED') return { reason: 'network', code, message: `The request did not complete: ${fetchError.message}.` }
  return undefined
}
