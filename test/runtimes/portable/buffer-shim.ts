// Browsers have no Buffer: the Chromium bundle resolves the free identifier `Buffer` to the
// `buffer` package (esbuild `inject`), taught the `base64url` encoding Node has and the package
// lacks. The library still uses Buffer in its byte helpers; see the README's runtime section
// (workerd gets Node's own Buffer from the nodejs_compat flag).
import { Buffer as PolyBuffer } from 'buffer'

type Enc = string | undefined
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
B.prototype.toString = function (this: unknown, enc?: Enc, start?: number, end?: number) {
  if (enc === 'base64url') return toString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return toString.call(this, enc, start, end)
}

export const Buffer = PolyBuffer
