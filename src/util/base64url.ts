/**
 * @module util/base64url
 * Strict base64url (RFC 4648 §5, as RFC 7515 §2 uses it: no padding) and strict standard base64
 * (RFC 4648 §4, as RFC 7517 §4.7 requires for `x5c`).
 *
 * Strictness comes from one rule: decoding then re-encoding must give back the very same text.
 * The codec's decoder (`#codec`: Node's Buffer, or plain JavaScript elsewhere) skips characters
 * outside the alphabet, stops at padding and ignores non-zero trailing bits; each of those makes
 * the round trip differ, so the input is refused. That one comparison refuses padding,
 * whitespace, the other alphabet and non-canonical final characters.
 *
 * base64url is decoded without the re-encode, by checks that give the same verdict
 * (test/util/base64url.test.ts compares the two on mutated text): the decoder read every
 * character (the byte count the length promises), none from the other alphabet (`+`, `/`: the
 * decoders take both), none above U+007F (Node's decoder reads such a unit by its low octet:
 * U+0151 as `Q`), and zero pad bits in the final character. `isBase64url` checks short text by
 * one regular expression (no bytes needed) and long text by decoding it so.
 */
import { fromBase64, fromBase64url, toBase64, toBase64url, utf8Encode, utf8Length } from '#codec'

/** Encodes bytes (or a UTF-8 string) as unpadded base64url. */
export function encodeBase64url(input: Uint8Array | string): string {
  return toBase64url(typeof input === 'string' ? utf8Encode(input) : input)
}

/** Below this length isBase64url checks by a regular expression, cheaper than decoding (measured). */
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
  if (text.length < SHORT) return URL_ALPHABET.test(text) && padBitsZero(text, rem)
  return decodeBase64url(text) !== undefined
}

/** RFC 4648 §3.5: the unused low bits of the final character are zero (`rem`: the length mod 4, 0, 2 or 3; the final character is in the alphabet). */
function padBitsZero(text: string, rem: number): boolean {
  if (rem === 0) return true
  const last = VALUES[text.charCodeAt(text.length - 1)]!
  return (rem === 2 ? last & 0x0f : last & 0x03) === 0
}

/** Length in bytes of what canonical base64url text decodes to. */
export function base64urlDecodedLength(text: string): number {
  return (text.length * 3) >>> 2
}

/** Decodes canonical unpadded base64url; returns `undefined` for anything else. */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined
  const rem = text.length & 3
  if (rem === 1) return undefined
  const bytes = fromBase64url(text)
  // A character skipped (outside both alphabets) or padding (the decoder stops) leaves fewer bytes.
  if (bytes.length !== base64urlDecodedLength(text)) return undefined
  // Read as values but not canonical base64url: the standard alphabet, and units above U+007F.
  if (text.includes('+') || text.includes('/') || utf8Length(text) !== text.length) return undefined
  return padBitsZero(text, rem) ? bytes : undefined
}

/** Encodes bytes as padded standard base64. */
export function encodeBase64(input: Uint8Array): string {
  return toBase64(input)
}

/** Decodes canonical padded standard base64 (RFC 4648 §4); returns `undefined` for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined
  const bytes = fromBase64(text)
  return toBase64(bytes) === text ? bytes : undefined
}

