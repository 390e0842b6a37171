/**
 * @module guard/credentials
 * Where the access token is read from: the `Authorization` field (RFC 6750 §2.1; RFC 9449 §7.1
 * for the `DPoP` scheme), and — only when enabled — a form-encoded body parameter (RFC 6750
 * §2.2) or a URI query parameter (§2.3). More than one credential in one request is refused
 * (RFC 6750 §3.1 "uses more than one method"; RFC 9449 Figure 19), and so is a token given in a
 * way that is not enabled. The scheme name compares case-insensitively (RFC 9110 §11.1).
 */
import type { ReadRequest } from './request.ts'

export type Scheme = 'Bearer' | 'DPoP'

/** Where the token came from. */
export interface Credentials {
  readonly scheme: Scheme
  readonly token: string
  readonly via: 'header' | 'body' | 'query'
}

export interface CredentialOptions {
  /** Schemes the resource accepts in `Authorization`. */
  readonly schemes: readonly Scheme[]
  /** Accept `access_token` in a form-encoded body (RFC 6750 §2.2); default false. */
  readonly allowBodyToken?: boolean | undefined
  /** Accept `access_token` in the query (RFC 6750 §2.3); default false. */
  readonly allowQueryToken?: boolean | undefined
  /** Longest token accepted, in characters. */
  readonly maxTokenLength: number
}

export type CredentialResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly credentials: Credentials }
  | { readonly kind: 'invalid'; readonly reason: 'multiple' | 'malformed' | 'not-enabled' | 'too-long'; readonly scheme?: Scheme | undefined }

/** RFC 9110 §11.2 token68 (RFC 6750 §2.1 b64token). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/

function parseAuthorization(value: string, options: CredentialOptions): CredentialResult {
  const text = value.trim()
  const space = text.indexOf(' ')
  const schemeText = space === -1 ? text : text.slice(0, space)
  const lower = schemeText.toLowerCase()
  const scheme = options.schemes.find((s) => s.toLowerCase() === lower)
  // Another scheme (Basic, or DPoP where only Bearer is accepted): no credentials for this resource.
  if (scheme === undefined) return { kind: 'none' }
  const token = space === -1 ? '' : text.slice(space + 1).replace(/^ +/, '')
  if (token.length > options.maxTokenLength) return { kind: 'invalid', reason: 'too-long', scheme }
  if (!TOKEN68.test(token)) return { kind: 'invalid', reason: 'malformed', scheme }
  return { kind: 'ok', credentials: { scheme, token, via: 'header' } }
}

/** Finds the one credential of a request, or says why there is none or it is refused. */
export function readCredentials(request: ReadRequest, options: CredentialOptions): CredentialResult {
  const found: Credentials[] = []
  const authorization = request.values('authorization')
  // RFC 9449 Figure 19: two Authorization fields are ambiguous. (A fetch Headers joins them with ", ",
  // which no token68 contains, so that reads as malformed or several: refused either way.)
  if (authorization.length > 1) return { kind: 'invalid', reason: 'multiple' }
  let headerResult: CredentialResult = { kind: 'none' }
  if (authorization.length === 1) {
    const value = authorization[0]!
    if (value.includes(',')) return { kind: 'invalid', reason: 'multiple' }
    headerResult = parseAuthorization(value, options)
    if (headerResult.kind === 'invalid') return headerResult
    if (headerResult.kind === 'ok') found.push(headerResult.credentials)
  }
  const bearer = options.schemes.includes('Bearer')
  let queryTokens: string[] = []
  if (request.url.includes('?')) {
    try {
      queryTokens = new URL(request.url).searchParams.getAll('access_token')
    } catch {
      queryTokens = []
    }
  }
  if (queryTokens.length > 0) {
    // RFC 6750 §2.3: "SHOULD NOT be used"; refused unless the resource enabled it.
    if (options.allowQueryToken !== true || !bearer) return { kind: 'invalid', reason: 'not-enabled', scheme: 'Bearer' }
    for (const token of queryTokens) found.push({ scheme: 'Bearer', token, via: 'query' })
  }
  const body = request.body
  if (typeof body === 'object' && body !== null && !(body instanceof Uint8Array) && Object.hasOwn(body, 'access_token')) {
    const value = (body as Record<string, unknown>)['access_token']
    // RFC 6750 §2.2: form-encoded, and never with GET.
    if (options.allowBodyToken !== true || !bearer || request.method === 'GET') return { kind: 'invalid', reason: 'not-enabled', scheme: 'Bearer' }
    if (typeof value !== 'string') return { kind: 'invalid', reason: 'multiple', scheme: 'Bearer' }
    found.push({ scheme: 'Bearer', token: value, via: 'body' })
  }
  if (found.length === 0) return { kind: 'none' }
  if (found.length > 1) return { kind: 'invalid', reason: 'multiple' }
  const only = found[0]!
  if (only.via !== 'header') {
    if (only.token.length > options.maxTokenLength) return { kind: 'invalid', reason: 'too-long', scheme: 'Bearer' }
    if (!TOKEN68.test(only.token)) return { kind: 'invalid', reason: 'malformed', scheme: 'Bearer' }
  }
  return { kind: 'ok', credentials: only }
}
