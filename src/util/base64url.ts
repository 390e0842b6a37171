/**
 * @module util/base64url
 * Strict base64url (RFC 4648 §5, as RFC 7515 §2 uses it: no padding) and strict standard base64
 * (RFC 4648 §4, as RFC 7517 §4.7 requires for `x5c`).
 *
 * Strictness comes from one rule: decoding then re-encoding must give back the very same text.
 * Node's decoder skips characters outside the alphabet, stops at padding and ignores non-zero
 * trailing bits; each of those makes the round trip differ, so the input is refused. That one
 * comparison refuses padding, whitespace, the other alphabet and non-canonical final characters.
 * Short base64url text (most JWK members, JWS headers) is checked without the re-encode: the
 * alphabet by one regular expression, the final character by its value; same verdict, faster.
 */

/** Encodes bytes (or a UTF-8 string) as unpadded base64url. */
export function encodeBase64url(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : toBuffer(input)).toString('base64url')
}

/** Below this length a regular-expression check is cheaper than re-encoding (measured). */
const SHORT = 128
const URL_ALPHABET = /^[A-Za-z0-9_-]*$/
/** Value of each base64url character (-1 for others), for the final-character check. */
const VALUES = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i
  return table
})()

/**
 * True when `text` is canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5 and §3.5): URL
 * alphabet only, a length that is not 1 mod 4, and zero bits in the unused low bits of the last
 * character. Exactly the strings for which decode-then-encode gives the same text.
 */
export function isBase64url(text: string): boolean {
  if (typeof text !== 'string') return false
  const rem = text.length & 3
  if (rem === 1) return false
  if (text.length < SHORT) {
    if (!URL_ALPHABET.test(text)) return false
    if (rem === 0) return true
    const last = VALUES[text.charCodeAt(text.length - 1)]!
    return (rem === 2 ? last & 0x0f : last & 0x03) === 0 // RFC 4648 §3.5: pad bits are zero
  }
  return Buffer.from(text, 'base64url').toString('base64url') === text
}

/** Length in bytes of what canonical base64url text decodes to. */
export function base64urlDecodedLength(text: string): number {
  return (text.length * 3) >>> 2
}

/** Decodes canonical unpadded base64url; returns `undefined` for anything else. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (typeof text !== 'string') return undefined
  if (text.length < SHORT) return isBase64url(text) ? Buffer.from(text, 'base64url') : undefined
  // Long text: Node's decoder skips foreign characters and stops at padding, so the round trip
  // differs for anything non-canonical; one native re-encode beats a per-character scan here.
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : undefined
}

/** Encodes bytes as padded standard base64. */
export function encodeBase64(input: Uint8Array): string {
  return toBuffer(input).toString('base64')
}

/** Decodes canonical padded standard base64 (RFC 4648 §4); returns `undefined` for anything else. */
export function decodeBase64(text: string): Buffer | undefined {
  if (typeof text !== 'string') return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : undefined
}

/** A Buffer view over the same memory (no copy). */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
