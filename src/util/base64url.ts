/**
 * @module util/base64url
 * Strict base64url (RFC 4648 §5, as RFC 7515 §2 uses it: no padding) and strict standard base64
 * (RFC 4648 §4, as RFC 7517 §4.7 requires for `x5c`).
 *
 * Strictness comes from one rule: decoding then re-encoding must give back the very same text.
 * Node's decoder skips characters outside the alphabet, stops at padding and ignores non-zero
 * trailing bits; each of those makes the round trip differ, so the input is refused. That one
 * comparison refuses padding, whitespace, the other alphabet and non-canonical final characters.
 */

/** Encodes bytes (or a UTF-8 string) as unpadded base64url. */
export function encodeBase64url(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : toBuffer(input)).toString('base64url')
}

/** Decodes canonical unpadded base64url; returns `undefined` for anything else. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (typeof text !== 'string') return undefined
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : undefined
}

/** True when `text` is canonical unpadded base64url (RFC 7515 §2). */
export function isBase64url(text: string): boolean {
  return decodeBase64url(text) !== undefined
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
