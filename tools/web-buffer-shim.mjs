// Browsers have no Buffer, and jwkit's byte helpers still use it: the page bundle
// (tools/build-web.mjs) and the Chromium bundle of the portable suite (test/runtimes/harness.ts)
// resolve the free identifier `Buffer` to the `buffer` package (esbuild `inject`), taught the
// `base64url` encoding Node has and the package lacks. It goes once the library stops using Buffer.
import { Buffer as PolyBuffer } from 'buffer'

const toStd = (text) => text.replace(/-/g, '+').replace(/_/g, '/')
const from = PolyBuffer.from
PolyBuffer.from = function (value, enc, length) {
  if (enc === 'base64url' && typeof value === 'string') return from.call(PolyBuffer, toStd(value), 'base64')
  return from.call(PolyBuffer, value, enc, length)
}
const byteLength = PolyBuffer.byteLength
PolyBuffer.byteLength = function (value, enc) {
  return byteLength.call(PolyBuffer, enc === 'base64url' && typeof value === 'string' ? toStd(value) : value, enc === 'base64url' ? 'base64' : enc)
}
const toString = PolyBuffer.prototype.toString
PolyBuffer.prototype.toString = function (enc, start, end) {
  if (enc === 'base64url') return toString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return toString.call(this, enc, start, end)
}

// Node's Buffer also takes a plain Uint8Array where the package wants a Buffer, and writes base64url.
const equals = PolyBuffer.prototype.equals
PolyBuffer.prototype.equals = function (other) {
  return equals.call(this, other instanceof Uint8Array && !PolyBuffer.isBuffer(other) ? PolyBuffer.from(other.buffer, other.byteOffset, other.byteLength) : other)
}
const compare = PolyBuffer.prototype.compare
PolyBuffer.prototype.compare = function (other, ...rest) {
  return compare.call(this, other instanceof Uint8Array && !PolyBuffer.isBuffer(other) ? PolyBuffer.from(other.buffer, other.byteOffset, other.byteLength) : other, ...rest)
}
const write = PolyBuffer.prototype.write
PolyBuffer.prototype.write = function (text, offset, length, enc) {
  const args = [offset, length, enc]
  const i = args.indexOf('base64url')
  if (i === -1 || typeof text !== 'string') return write.call(this, text, offset, length, enc)
  args[i] = 'base64'
  return write.call(this, toStd(text), ...args)
}

export const Buffer = PolyBuffer
