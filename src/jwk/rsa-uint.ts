/**
 * @module jwk/rsa-uint
 * Allocation-free readers for the RSA Base64urlUInt members (RFC 7518 §2, §6.3.1): `e` as a
 * number, `n` into a scratch buffer. Both accept exactly what `decodeBase64url` accepts (RFC 4648
 * §5 URL alphabet, no padding, canonical last character; property-tested against it) and answer
 * "not sure" for anything else, which the caller then reads and reports through the strict path.
 */
import { utf8Length, writeBase64url } from '#codec'

/** Value of each base64url character (RFC 4648 §5), -1 for the other ASCII characters. */
const DIGIT_VALUES = (() => {
  const table = new Int8Array(128).fill(-1)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i
  return table
})()

/**
 * A short Base64urlUInt (2 to 8 characters: at most 6 octets, exact in a double) as a number,
 * for `e` (almost always "AQAB"). Undefined for anything else: longer, not canonical base64url,
 * or not minimal (RFC 7518 §2: no leading zero octet).
 */
export function smallUInt(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const length = text.length
  // RFC 4648 §5 without padding: a length of 1 mod 4 is never canonical.
  if (length < 2 || length > 8 || (length & 3) === 1) return undefined
  let acc = 0
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? DIGIT_VALUES[c]! : -1
    if (v < 0) return undefined
    acc = acc * 64 + v
  }
  const octets = (length * 3) >>> 2
  const spare = 2 ** (length * 6 - octets * 8)
  // RFC 4648 §3.5: canonical text has zero bits past the last octet.
  if (acc % spare !== 0) return undefined
  const value = acc / spare
  // RFC 7518 §2 Base64urlUInt: no leading zero octet.
  if (octets > 1 && value < 2 ** (8 * (octets - 1))) return undefined
  return value
}

/**
 * Where {@link decodeUIntToScratch} writes: room for the largest modulus accepted (16384 bits).
 * It only ever holds public values (the modulus `n`).
 */
export const SCRATCH: Uint8Array = /* @__PURE__ */ new Uint8Array(2048)

/**
 * Decodes canonical unpadded base64url into {@link SCRATCH} without allocating; returns the
 * number of octets, or -1 when the text is not surely canonical or does not fit (the caller then
 * takes the strict `decodeBase64url` path, which decides and reports).
 */
export function decodeUIntToScratch(text: string): number {
  const length = text.length
  const rem = length & 3
  const octets = (length * 3) >>> 2
  if (rem === 1 || octets > SCRATCH.length) return -1
  // ASCII only: the UTF-8 length is one octet per character exactly then (Node's decoder would
  // read a character above U+00FF by its low octet).
  if (utf8Length(text) !== length) return -1
  // The codec's decoder also takes the standard alphabet's + and / (RFC 4648 §5 does not).
  if (text.indexOf('+') !== -1 || text.indexOf('/') !== -1) return -1
  if (rem !== 0) {
    // RFC 4648 §3.5: canonical text has zero bits past the last octet.
    const last = DIGIT_VALUES[text.charCodeAt(length - 1)]!
    if (last < 0 || (last & (rem === 2 ? 0x0f : 0x03)) !== 0) return -1
  }
  // The codec's decoder skips every other character (whitespace, '=' and the rest stop or shorten
  // the output), so canonical text is exactly the ASCII text that yields all its octets.
  return writeBase64url(SCRATCH, text) === octets ? octets : -1
}
