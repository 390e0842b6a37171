/**
 * @module jwt/decode
 * `decodeJwt`: reads a compact JWS/JWT's header and payload WITHOUT verifying anything
 * (for display and debugging only; RFC 8725 §3.2 — never trust what this returns).
 */
import { JwkitError } from '../errors.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { utf8Encode } from '#codec'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { DEFAULT_MAX_BYTES, splitCompact } from '../jws/compact.ts'
import { parseProtectedHeader, type JwsHeader } from '../jws/header.ts'
import { ownOptions } from '../util/dict.ts'

export interface DecodedJwt {
  /** Always false: nothing was verified. */
  verified: false
  protectedHeader: JwsHeader
  /** The payload as JSON when it is a JSON object, else undefined. */
  claims?: Record<string, unknown>
  /** The payload octets. */
  payload: Uint8Array
}

/** Decodes without verifying. Throws `ERR_JWS_INVALID` for a malformed token. */
export function decodeJwt(token: string, options: { maxBytes?: number } = {}): DecodedJwt {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const parts = splitCompact(token, options.maxBytes ?? DEFAULT_MAX_BYTES)
  const protectedHeader = parseProtectedHeader(parts.header)
  const payload = protectedHeader.b64 === false ? utf8Encode(parts.payload) : decodeBase64url(parts.payload)
  if (payload === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWS payload is not canonical base64url')
  let claims: Record<string, unknown> | undefined
  try {
    const value = parseJsonStrict(payload, { maxDepth: 32, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES })
    if (isJsonObject(value)) claims = value
  } catch {
    claims = undefined
  }
  return claims === undefined ? { verified: false, protectedHeader, payload } : { verified: false, protectedHeader, claims, payload }
}
