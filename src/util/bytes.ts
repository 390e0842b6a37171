/**
 * @module util/bytes
 * Byte helpers: constant-time comparison, concatenation, big-endian integers.
 */

/**
 * Compares two byte strings in time that depends only on their lengths (RFC 7515 §10.3 asks for
 * constant-time MAC comparison). JavaScript cannot promise constant time; this avoids early exit.
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts)
}

/** Big-endian unsigned bytes to a bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  return BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'))
}

/** A bigint to big-endian unsigned bytes; minimal length unless `length` is given (left-padded). */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new RangeError('bigIntToBytes: negative value')
  let hex = value.toString(16)
  if (hex.length % 2 === 1) hex = '0' + hex
  if (value === 0n) hex = ''
  const bytes = Buffer.from(hex, 'hex')
  if (length === undefined) return bytes.length === 0 ? Buffer.alloc(1) : bytes
  if (bytes.length > length) throw new RangeError('bigIntToBytes: value does not fit')
  const out = Buffer.alloc(length)
  bytes.copy(out, length - bytes.length)
  return out
}

/**
 * `value instanceof Uint8Array` without touching a Proxy: `instanceof` runs a Proxy's
 * getPrototypeOf trap (which may throw), `ArrayBuffer.isView` reads an internal slot only.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && value instanceof Uint8Array
}
