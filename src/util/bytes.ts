/**
 * @module util/bytes
 * Byte helpers over plain Uint8Array: constant-time comparison, equality, ordering,
 * concatenation, big-endian integers. Text encodings live in the codec (`#codec`).
 */
import { fromHex, toHex } from '#codec'

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
  return joinBytes(parts)
}

/** Concatenates a list of byte arrays (a list of any length: no spread into arguments, e.g. a body's received chunks). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** True when both hold the same bytes (not constant-time: for public values; MACs use timingSafeEqualBytes). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Orders byte strings as unsigned big-endian (shorter first on a common prefix), like memcmp: -1, 0 or 1. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/** Four bytes, the big-endian unsigned 32-bit `n`. */
export function uint32BE(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)
}

/** The big-endian unsigned 32-bit integer at `offset`. */
export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0
}

/** Big-endian unsigned bytes to a bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  return BigInt('0x' + toHex(bytes))
}

/** A bigint to big-endian unsigned bytes; minimal length unless `length` is given (left-padded). */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new RangeError('bigIntToBytes: negative value')
  let hex = value.toString(16)
  if (hex.length % 2 === 1) hex = '0' + hex
  if (value === 0n) hex = ''
  const bytes = fromHex(hex)
  if (length === undefined) return bytes.length === 0 ? new Uint8Array(1) : bytes
  if (bytes.length > length) throw new RangeError('bigIntToBytes: value does not fit')
  const out = new Uint8Array(length)
  out.set(bytes, length - bytes.length)
  return out
}

/**
 * `value instanceof Uint8Array` without touching a Proxy: `instanceof` runs a Proxy's
 * getPrototypeOf trap (which may throw), `ArrayBuffer.isView` reads an internal slot only.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && value instanceof Uint8Array
}
