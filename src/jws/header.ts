/**
 * @module jws/header
 * The JOSE header of a JWS (RFC 7515 §4): strict parsing of the protected header, the member
 * types of the registered parameters, `alg: none` refusal (RFC 7518 §3.6, RFC 8725 §3.1),
 * `crit` (RFC 7515 §4.1.11) and `b64` (RFC 7797 §3, §6).
 */
import { JwkitError } from '../errors.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { isJsonObject, parseJsonText } from '../util/json.ts'
import { readOwn } from '../util/dict.ts'

/** A JOSE header as parsed: member names kept as the RFCs spell them. */
export interface JwsHeader {
  alg?: string
  kid?: string
  typ?: string
  cty?: string
  crit?: string[]
  b64?: boolean
  jwk?: Record<string, unknown>
  jku?: string
  x5u?: string
  x5c?: string[]
  [member: string]: unknown
}

/** Largest protected header accepted, in bytes of JSON. */
export const MAX_HEADER_BYTES = 16 * 1024
/** Deepest nesting accepted in a header or JWT claims set. */
export const MAX_JSON_DEPTH = 16

/** Extensions jwkit itself understands in `crit` (RFC 7797). */
const BUILTIN_CRIT = new Set(['b64'])
/** RFC 7515 §4.1.11: `crit` must not name parameters the JWS/JWA specifications define. */
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc', 'zip'])

/** Parsed headers by their encoded segment: tokens from one issuer share a few headers. */
const headerCache = new Map<string, JwsHeader>()
const HEADER_CACHE_MAX = 256
/** The most recent hit (a stream of tokens from one issuer repeats one header). */
let lastSegment: string | undefined
let lastHeader: JwsHeader | undefined

/**
 * Decodes and parses a base64url protected header segment into a JSON object. The result is
 * deeply frozen and may be shared between calls (parsed once per distinct segment, bounded).
 */
export function parseProtectedHeader(segment: string): JwsHeader {
  // The last header seen first: one string comparison, no hashing of the fresh segment.
  if (segment === lastSegment) return lastHeader!
  const hit = headerCache.get(segment)
  if (hit !== undefined) {
    lastSegment = segment
    lastHeader = hit
    return hit
  }
  const bytes = decodeBase64url(segment)
  if (bytes === undefined || segment.length === 0) {
    // RFC 7515 §7.2.1 / §3.1: the protected header is canonical base64url of non-empty JSON.
    throw new JwkitError('ERR_JWS_INVALID', 'JWS protected header is not canonical base64url')
  }
  const header = deepFreeze(parseJson(bytes, 'ERR_JWS_INVALID', 'JWS protected header', MAX_HEADER_BYTES)) as JwsHeader
  if (segment.length <= 1024) {
    if (headerCache.size >= HEADER_CACHE_MAX) headerCache.clear()
    headerCache.set(segment, header)
    lastSegment = segment
    lastHeader = header
  }
  return header
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v)
  return Object.freeze(value)
}

/** Parses a JSON object strictly; every failure (syntax, duplicates, depth, size) gets `code`. */
export function parseJson(bytes: Uint8Array, code: 'ERR_JWS_INVALID' | 'ERR_JWT_INVALID', what: string, maxBytes: number): Record<string, unknown> {
  const value = parseJsonText(bytes, maxBytes, MAX_JSON_DEPTH, code, code, what)
  if (!isJsonObject(value)) throw new JwkitError(code, `${what} is not a JSON object`)
  return value
}

/** Options of the header checks a verifier applies. */
export interface HeaderCheckOptions {
  /** Extension names (besides `b64`) the caller understands and processes, RFC 7515 §4.1.11. */
  crit?: readonly string[]
}

/**
 * Checks the JOSE header of one signature: member types, `alg`, `crit`, `b64`. `protectedHeader`
 * holds the integrity-protected members; `unprotected` the others (JSON serialization).
 * Returns the algorithm and whether the payload is base64url-encoded.
 */
export function checkHeader(
  protectedHeader: JwsHeader,
  unprotected: JwsHeader | undefined,
  options: HeaderCheckOptions,
): { alg: string; b64: boolean } {
  // A cached (frozen) header without crit checks the same whatever the options: remember it.
  const cacheable = unprotected === undefined && !Object.hasOwn(protectedHeader, 'crit') && Object.isFrozen(protectedHeader)
  if (cacheable) {
    const hit = checkedHeaders.get(protectedHeader)
    if (hit !== undefined) return hit
  }
  const result = checkHeaderUncached(protectedHeader, unprotected, options)
  if (cacheable) checkedHeaders.set(protectedHeader, result)
  return result
}

const checkedHeaders = new WeakMap<JwsHeader, { alg: string; b64: boolean }>()

function checkHeaderUncached(
  protectedHeader: JwsHeader,
  unprotected: JwsHeader | undefined,
  options: HeaderCheckOptions,
): { alg: string; b64: boolean } {
  // Own members only: a polluted Object.prototype.crit or .b64 is no header member.
  protectedHeader = readOwn(protectedHeader, 'ERR_JWS_INVALID', 'the JWS protected header') as JwsHeader
  if (unprotected !== undefined) unprotected = readOwn(unprotected, 'ERR_JWS_INVALID', 'the JWS unprotected header') as JwsHeader
  if (unprotected !== undefined) {
    // RFC 7515 §7.2.1: the protected and unprotected member names must be disjoint.
    for (const name in unprotected) {
      if (Object.hasOwn(protectedHeader, name)) throw new JwkitError('ERR_JWS_INVALID', `JWS header member "${safe(name)}" appears both protected and unprotected`)
    }
  }
  const alg = protectedHeader.alg ?? unprotected?.alg
  if (typeof alg !== 'string' || alg.length === 0) throw new JwkitError('ERR_JWS_INVALID', 'JWS header member alg is missing or not a string')
  // RFC 7518 §3.6, RFC 8725 §3.1: unsecured JWS is never accepted, in any letter case.
  if (alg.toLowerCase() === 'none') throw new JwkitError('ERR_ALG_NONE', 'JWS header alg "none" (unsecured JWS) is refused')
  checkTypes(protectedHeader, 'protected')
  if (unprotected !== undefined) {
    checkTypes(unprotected, 'unprotected')
    // RFC 7515 §4.1.11: crit must be integrity protected; RFC 7797 §6: so must b64.
    if (unprotected.crit !== undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS header member crit must be in the protected header')
    if (unprotected.b64 !== undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS header member b64 must be in the protected header')
  }
  const crit = protectedHeader.crit
  if (crit !== undefined) {
    // RFC 7515 §4.1.11: a non-empty array of names, each present, each understood.
    if (!Array.isArray(crit) || crit.length === 0) throw new JwkitError('ERR_JWS_INVALID', 'JWS header member crit must be a non-empty array of names')
    const seen = new Set<string>()
    for (const name of crit) {
      if (typeof name !== 'string' || name.length === 0 || seen.has(name)) throw new JwkitError('ERR_JWS_INVALID', 'JWS header member crit must list distinct non-empty names')
      seen.add(name)
      if (REGISTERED.has(name)) throw new JwkitError('ERR_JWS_INVALID', `JWS header member crit names the registered parameter "${name}"`)
      if (!BUILTIN_CRIT.has(name) && !(options.crit ?? []).includes(name)) {
        throw new JwkitError('ERR_JWS_CRIT_UNSUPPORTED', `JWS header crit names extension "${safe(name)}", which is not understood`)
      }
      if (!Object.hasOwn(protectedHeader, name)) throw new JwkitError('ERR_JWS_CRIT_UNSUPPORTED', `JWS header crit names "${safe(name)}", which is not in the protected header`)
    }
  }
  let b64 = true
  if (protectedHeader.b64 !== undefined) {
    // RFC 7797 §6: b64 must be listed in crit.
    if (!crit?.includes('b64')) throw new JwkitError('ERR_JWS_CRIT_UNSUPPORTED', 'JWS header member b64 is used without being listed in crit (RFC 7797 §6)')
    b64 = protectedHeader.b64
  }
  return { alg, b64 }
}

const STRING_MEMBERS = ['alg', 'kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256'] as const

function checkTypes(header: JwsHeader, where: string): void {
  for (const name of STRING_MEMBERS) {
    if (header[name] !== undefined && typeof header[name] !== 'string') {
      throw new JwkitError('ERR_JWS_INVALID', `JWS ${where} header member ${name} must be a string`)
    }
  }
  if (header.b64 !== undefined && typeof header.b64 !== 'boolean') throw new JwkitError('ERR_JWS_INVALID', `JWS ${where} header member b64 must be a boolean`)
  if (header.jwk !== undefined && !isJsonObject(header.jwk)) throw new JwkitError('ERR_JWS_INVALID', `JWS ${where} header member jwk must be a JSON object`)
  if (header.x5c !== undefined && !(Array.isArray(header.x5c) && header.x5c.every((c) => typeof c === 'string'))) {
    throw new JwkitError('ERR_JWS_INVALID', `JWS ${where} header member x5c must be an array of strings`)
  }
}

/** A member name safe to echo in a message. */
export function safe(name: string): string {
  const cut = name.length > 40 ? name.slice(0, 40) + '…' : name
  return cut.replace(/[^\x20-\x7e]/g, '?')
}
