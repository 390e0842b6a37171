// Browsers have no Buffer: the Chromium bundle resolves the free identifier `Buffer` to the
// `buffer` package (esbuild `inject`), taught the `base64url` encoding Node has and the package
// lacks. The library still uses Buffer in its byte helpers; see the README's runtime section
// (workerd gets Node's own Buffer from the nodejs_compat flag).
import { Buffer as PolyBuffer } from 'buffer'

const B = PolyBuffer as unknown as { from: (...a: unknown[]) => unknown; byteLength: (...a: unknown[]) => number; prototype: { toString: (...a: unknown[]) => string } }
const toStd = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/')
const from = B.from
B.from = function (value: unknown, enc?: unknown, length?: unknown) {
  if (enc === 'base64url' && typeof value === 'string') return from.call(PolyBuffer, toStd(value), 'base64')
  return from.call(PolyBuffer, value, enc, length)
}
const byteLength = B.byteLength
B.byteLength = function (value: unknown, enc?: unknown) {
  return byteLength.call(PolyBuffer, enc === 'base64url' && typeof value === 'string' ? toStd(value) : value, enc === 'base64url' ? 'base64' : enc)
}
const toString = B.prototype.toString
B.prototype.toString = function (this: unknown, enc?: unknown, start?: unknown, end?: unknown) {
  if (enc === 'base64url') return toString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return toString.call(this, enc, start, end)
}

const W = PolyBuffer.prototype as unknown as { write: (...a: unknown[]) => number }
const write = W.write
W.write = function (this: unknown, text: unknown, ...rest: unknown[]) {
  if (rest.includes('base64url') && typeof text === 'string') return write.call(this, toStd(text), ...rest.map((r) => (r === 'base64url' ? 'base64' : r)))
  return write.call(this, text, ...rest)
}

// Node's Buffer methods take any Uint8Array where the package insists on a Buffer.
const P = PolyBuffer.prototype as unknown as { equals: (o: Uint8Array) => boolean; compare: (o: Uint8Array) => number }
const equals = P.equals
P.equals = function (this: Uint8Array, other: Uint8Array) {
  return equals.call(this, PolyBuffer.isBuffer(other) ? other : PolyBuffer.from(other.buffer, other.byteOffset, other.byteLength))
}
const compare = P.compare
P.compare = function (this: Uint8Array, other: Uint8Array) {
  return compare.call(this, PolyBuffer.isBuffer(other) ? other : PolyBuffer.from(other.buffer, other.byteOffset, other.byteLength))
}

export const Buffer = PolyBuffer
