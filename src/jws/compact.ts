/**
 * @module jws/compact
 * The JWS Compact Serialization (RFC 7515 §7.1): exactly three segments separated by periods,
 * under a size bound, each canonical base64url (RFC 7515 §2; the payload segment may be empty for
 * detached content, Appendix F, or unencoded with `b64: false`, RFC 7797 §5.2).
 */
import { JwkitError } from '../errors.ts'

/** Default bound on a whole token or JSON-serialized JWS, in characters (256 KiB). */
export const DEFAULT_MAX_BYTES = 256 * 1024

/** The three segments of a compact JWS; `signingInputEnd` is the index of the second period. */
export interface CompactParts {
  readonly header: string
  readonly payload: string
  readonly signature: string
  readonly signingInputEnd: number
}

/** Splits a compact JWS; refuses anything but three segments and anything over `maxBytes`. */
export function splitCompact(token: unknown, maxBytes: number = DEFAULT_MAX_BYTES): CompactParts {
  if (typeof token !== 'string') throw new TypeError('a compact JWS must be a string')
  if (token.length > maxBytes) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the JWS is ${token.length} characters, the limit is ${maxBytes}`)
  const a = token.indexOf('.')
  const b = a === -1 ? -1 : token.indexOf('.', a + 1)
  // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature), nothing more.
  if (b === -1 || token.indexOf('.', b + 1) !== -1) throw new JwkitError('ERR_JWS_INVALID', 'a compact JWS has exactly three period-separated segments')
  return { header: token.slice(0, a), payload: token.slice(a + 1, b), signature: token.slice(b + 1), signingInputEnd: b }
}
