/**
 * @module jws/verify
 * `verifyJws`: RFC 7515 §5.2 for the compact (§7.1), flattened JSON (§7.2.2) and general JSON
 * (§7.2.1) serializations, with detached content (Appendix F) and unencoded payloads (RFC 7797).
 * A general JWS verifies when one of its signatures verifies with an acceptable key; the result
 * says which (`signatureIndex`).
 */
import { JwkitError, isJwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'
import { latin1Encode as latin1, utf8Encode } from '#codec'
import { concatBytes } from '../util/bytes.ts'
import { isJsonObject } from '../util/json.ts'
import { DEFAULT_MAX_BYTES, splitCompact } from './compact.ts'
import { checkHeader, parseProtectedHeader, type JwsHeader } from './header.ts'
import { checkAllowlist, resolveCandidates, verifyWithCandidates, type VerifyKeyInput } from './verify-core.ts'
import type { KeySelectionHeader } from './key-source.ts'
import { ownOptions, readOwn } from '../util/dict.ts'

export interface VerifyJwsOptions {
  /** Algorithms accepted; default: the key's own `alg`, or what its type and curve permit. */
  algorithms?: readonly string[]
  /** Extensions (besides `b64`) the caller understands in `crit` (RFC 7515 §4.1.11). */
  crit?: readonly string[]
  /** The content of a detached JWS (RFC 7515 Appendix F). */
  detachedPayload?: Uint8Array | string
  /** Bound on the token (compact) or on the sum of a JSON JWS's strings; default 256 KiB. */
  maxBytes?: number
  /** Most keys tried from a key source for one signature; default 5. */
  maxCandidates?: number
  /**
   * Refuse a key that is valid only once normalised from a non-canonical form (see parseJwk),
   * whether given as a JWK or resolved by a key source (default false). Token segments are
   * strict base64url in both modes.
   */
  strict?: boolean
}

export interface VerifyJwsResult {
  payload: Uint8Array
  protectedHeader: JwsHeader
  unprotectedHeader?: JwsHeader
  /** The key that verified: its public JWK (or the `oct` JWK). */
  key: Jwk
  /** General serialization: the index of the signature that verified. */
  signatureIndex?: number
}

/** A flattened JWS JSON Serialization object (RFC 7515 §7.2.2). */
export interface FlattenedJws {
  payload?: string
  protected?: string
  header?: JwsHeader
  signature: string
}

/** A general JWS JSON Serialization object (RFC 7515 §7.2.1). */
export interface GeneralJws {
  payload?: string
  signatures: Array<Omit<FlattenedJws, 'payload'>>
}

const MAX_SIGNATURES = 16

/** Verifies a JWS in any serialization; throws a `JwkitError` for anything it refuses. */
export async function verifyJws(jws: string | FlattenedJws | GeneralJws, key: VerifyKeyInput, options: VerifyJwsOptions = {}): Promise<VerifyJwsResult> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const allowlist = checkAllowlist(options.algorithms)
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (typeof jws === 'string') return verifyCompact(jws, key, options, allowlist, maxBytes)
  if (jws === undefined || typeof jws === 'function' || typeof jws === 'symbol') throw new TypeError('a JWS must be a compact string or a JSON serialization object')
  // Any other JSON value (null, a number, a boolean, an array) is data: refused as a malformed JWS.
  if (!isJsonObject(jws)) throw new JwkitError('ERR_JWS_INVALID', 'a JWS must be a compact string or a JSON serialization object')
  const own = readOwn(jws, 'ERR_JWS_INVALID', 'the JWS object')
  const size = jsonSizeOf(own, 'ERR_JWS_INVALID', 'the JWS object')
  if (size > maxBytes) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the JWS is about ${size} characters, the limit is ${maxBytes}`)
  return verifyJson(own, key, options, allowlist)
}

async function verifyCompact(token: string, key: VerifyKeyInput, options: VerifyJwsOptions, allowlist: readonly string[] | undefined, maxBytes: number): Promise<VerifyJwsResult> {
  const parts = splitCompact(token, maxBytes)
  const protectedHeader = parseProtectedHeader(parts.header)
  const { alg, b64 } = checkHeader(protectedHeader, undefined, options)
  if (allowlist !== undefined && !allowlist.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} is not in the algorithms allowlist`)
  const { payload, data } = compactPayload(parts.header, parts.payload, b64, options.detachedPayload, token, parts.signingInputEnd)
  const signature = decodeBase64url(parts.signature)
  if (signature === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS signature is not canonical base64url')
  const found = resolveCandidates(key, protectedHeader as KeySelectionHeader, options.maxCandidates, options.strict === true)
  const candidates = Array.isArray(found) ? found : await found
  const checked = verifyWithCandidates(alg, candidates, data, signature, allowlist, options.strict === true)
  const used = checked instanceof Promise ? await checked : checked
  return { payload, protectedHeader, key: used.publicJwk }
}

/** The payload octets and the signing input of a compact JWS. */
function compactPayload(headerSeg: string, payloadSeg: string, b64: boolean, detached: Uint8Array | string | undefined, token: string, end: number): { payload: Uint8Array; data: Uint8Array } {
  if (payloadSeg === '' && detached !== undefined) {
    // RFC 7515 Appendix F: the signing input uses the detached content.
    const payload = typeof detached === 'string' ? utf8Encode(detached) : detached
    if (!b64) return { payload, data: concatBytes(latin1(headerSeg + '.'), payload) }
    return { payload, data: latin1(headerSeg + '.' + encodeBase64url(payload)) }
  }
  if (detached !== undefined) throw new JwkitError('ERR_JWS_INVALID', 'a detached payload was given, but the JWS carries a payload')
  if (!b64) {
    // RFC 7797 §5.2: the unencoded payload is used as is.
    const payload = utf8Encode(payloadSeg)
    return { payload, data: concatBytes(latin1(headerSeg + '.'), payload) }
  }
  const payload = decodeBase64url(payloadSeg)
  if (payload === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS payload is not canonical base64url')
  return { payload, data: latin1(token.slice(0, end)) }
}

async function verifyJson(jws: Record<string, unknown>, key: VerifyKeyInput, options: VerifyJwsOptions, allowlist: readonly string[] | undefined): Promise<VerifyJwsResult> {
  const general = Object.hasOwn(jws, 'signatures')
  if (general && (Object.hasOwn(jws, 'signature') || Object.hasOwn(jws, 'protected') || Object.hasOwn(jws, 'header'))) {
    // RFC 7515 §7.2.2: the flattened members never appear beside "signatures".
    throw new JwkitError('ERR_JWS_INVALID', 'a JWS JSON object has both "signatures" and flattened members')
  }
  const list = general ? jws.signatures : [jws]
  if (!Array.isArray(list) || list.length === 0) throw new JwkitError('ERR_JWS_INVALID', 'JWS member signatures must be a non-empty array')
  if (list.length > MAX_SIGNATURES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `a JWS has ${list.length} signatures, the limit is ${MAX_SIGNATURES}`)
  const payloadMember = jws.payload
  if (payloadMember !== undefined && typeof payloadMember !== 'string') throw new JwkitError('ERR_JWS_INVALID', 'JWS member payload must be a string')
  let firstError: unknown
  let sawSignatureFailure = false
  let b64Seen: boolean | undefined
  for (let i = 0; i < list.length; i++) {
    try {
      const result = await verifyJsonSignature(list[i], payloadMember, key, options, allowlist, (b64) => {
        // RFC 7797 §3: every signature of one JWS uses the same b64 value.
        if (b64Seen !== undefined && b64Seen !== b64) throw new JwkitError('ERR_JWS_INVALID', 'the signatures of a JWS disagree on b64')
        b64Seen = b64
      })
      return general ? { ...result, signatureIndex: i } : result
    } catch (error) {
      if (!isJwkitError(error)) throw error
      firstError ??= error
      if (error.code === 'ERR_JWS_SIGNATURE_INVALID') sawSignatureFailure = true
    }
  }
  if (list.length > 1 && sawSignatureFailure) throw new JwkitError('ERR_JWS_SIGNATURE_INVALID', 'signature verification failed')
  throw firstError
}

async function verifyJsonSignature(
  entry: unknown,
  payloadMember: string | undefined,
  key: VerifyKeyInput,
  options: VerifyJwsOptions,
  allowlist: readonly string[] | undefined,
  noteB64: (b64: boolean) => void,
): Promise<VerifyJwsResult> {
  if (!isJsonObject(entry)) throw new JwkitError('ERR_JWS_INVALID', 'a JWS signature entry must be a JSON object')
  const { protected: protSeg, header: given, signature: sigSeg } = readOwn(entry, 'ERR_JWS_INVALID', 'a JWS signature entry')
  const unprotected = isJsonObject(given) ? readOwn(given, 'ERR_JWS_INVALID', 'the JWS unprotected header') : given
  if (typeof sigSeg !== 'string') throw new JwkitError('ERR_JWS_INVALID', 'JWS member signature must be a string')
  if (protSeg !== undefined && typeof protSeg !== 'string') throw new JwkitError('ERR_JWS_INVALID', 'JWS member protected must be a string')
  if (unprotected !== undefined && !isJsonObject(unprotected)) throw new JwkitError('ERR_JWS_INVALID', 'JWS member header must be a JSON object')
  if (protSeg === undefined && unprotected === undefined) throw new JwkitError('ERR_JWS_INVALID', 'a JWS signature has neither protected nor header')
  const protectedHeader: JwsHeader = protSeg === undefined ? {} : parseProtectedHeader(protSeg)
  const { alg, b64 } = checkHeader(protectedHeader, unprotected as JwsHeader | undefined, options)
  noteB64(b64)
  if (allowlist !== undefined && !allowlist.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} is not in the algorithms allowlist`)
  let payload: Uint8Array
  let encodedPayload: Uint8Array
  // RFC 7515 Appendix F: detached content; an empty payload member counts as detached when the
  // caller supplies the content (as for the compact form).
  if (payloadMember === undefined || (payloadMember === '' && options.detachedPayload !== undefined)) {
    const detached = options.detachedPayload
    if (detached === undefined) throw new JwkitError('ERR_JWS_INVALID', 'the JWS has no payload and no detached payload was given')
    payload = typeof detached === 'string' ? utf8Encode(detached) : detached
    encodedPayload = b64 ? latin1(encodeBase64url(payload)) : payload
  } else {
    if (options.detachedPayload !== undefined) throw new JwkitError('ERR_JWS_INVALID', 'a detached payload was given, but the JWS carries a payload')
    if (b64) {
      const decoded = decodeBase64url(payloadMember)
      if (decoded === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS payload is not canonical base64url')
      payload = decoded
      encodedPayload = latin1(payloadMember)
    } else {
      payload = utf8Encode(payloadMember)
      encodedPayload = payload
    }
  }
  const signature = decodeBase64url(sigSeg)
  if (signature === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS signature is not canonical base64url')
  // RFC 7515 §5.2 step 8: ASCII(BASE64URL(protected) || '.' || payload).
  const data = concatBytes(latin1((protSeg ?? '') + '.'), encodedPayload)
  const selection = { ...(unprotected as JwsHeader | undefined), ...protectedHeader, alg } as KeySelectionHeader
  const found = resolveCandidates(key, selection, options.maxCandidates, options.strict === true)
  const candidates = Array.isArray(found) ? found : await found
  const checked = verifyWithCandidates(alg, candidates, data, signature, allowlist, options.strict === true)
  const used = checked instanceof Promise ? await checked : checked
  const result: VerifyJwsResult = { payload, protectedHeader, key: used.publicJwk }
  if (unprotected !== undefined) result.unprotectedHeader = unprotected as JwsHeader
  return result
}

/** {@link jsonSize}, a throwing getter or trap deeper in the object becoming a JwkitError. */
function jsonSizeOf(value: unknown, code: 'ERR_JWS_INVALID', what: string): number {
  try {
    return jsonSize(value)
  } catch (cause) {
    throw new JwkitError(code, `${what} cannot be read (a getter or proxy trap threw)`, { cause })
  }
}

/** Rough size of a JSON JWS: the sum of its string lengths (bounded walk). */
function jsonSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length
  if (depth > 8 || typeof value !== 'object' || value === null) return 8
  let n = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += jsonSize(v, depth + 1) + 4
  return n
}
