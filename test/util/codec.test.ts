// The two byte codecs (`#codec`): src/util/codec-web.ts (browsers, workers, Bun, Deno) must give
// what src/util/codec-node.ts (Node's Buffer) gives, on any input: the strict base64url rule in
// src/util/base64url.ts re-encodes and compares, so the lenient decoders must agree too.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import * as node from '../../src/util/codec-node.ts'
import * as web from '../../src/util/codec-web.ts'

const plain = (b: Uint8Array) => new Uint8Array(b)
// Text near base64: both alphabets, padding, whitespace, Latin-1, non-BMP and lone surrogates.
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('+', '/', '=', ' ', '\n', '.', '\0', 'é', '\u00ff', '\u0142', '\u2b41', '\ud83d', '\ude00', '😀') },
)
const nearBase64 = fc.string({ unit, maxLength: 60 })

describe('byte codecs: web agrees with node', () => {
  it('the codec the tests import on Node is the node one', () => {
    assert.equal(node.CODEC_NAME, 'node')
    assert.equal(web.CODEC_NAME, 'web')
  })

  it('base64url, base64 and hex encode the same', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      assert.equal(web.toBase64url(b), node.toBase64url(b))
      assert.equal(web.toBase64(b), node.toBase64(b))
      assert.equal(web.toHex(b), node.toHex(b))
      assert.equal(web.latin1Decode(b), node.latin1Decode(b))
    }), { numRuns: 2000 })
    const big = new Uint8Array(100_000).map((_, i) => i * 7)
    assert.equal(web.latin1Decode(big), node.latin1Decode(big))
  })

  it('the lenient decoders read any text the same (foreign characters skipped, stop at =)', () => {
    fc.assert(fc.property(nearBase64, (t) => {
      assert.deepEqual(plain(web.fromBase64url(t)), plain(node.fromBase64url(t)), JSON.stringify(t))
      assert.deepEqual(plain(web.fromBase64(t)), plain(node.fromBase64(t)), JSON.stringify(t))
      const a = new Uint8Array(8)
      const b = new Uint8Array(8)
      assert.equal(web.writeBase64url(a, t), node.writeBase64url(b, t), JSON.stringify(t))
      assert.deepEqual(a, b)
    }), { numRuns: 5000 })
  })

  it('hex decodes the same, stopping at the first pair that is not hex', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxg '.split('')), maxLength: 40 }), (t) => {
      assert.deepEqual(plain(web.fromHex(t)), plain(node.fromHex(t)), JSON.stringify(t))
    }), { numRuns: 3000 })
  })

  it('UTF-8 and latin1 encode and measure the same (lone surrogates as U+FFFD)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('\ud83d', '\ude00', '\ud800x'), fc.string({ unit: 'binary', maxLength: 3 })), maxLength: 30 })
    fc.assert(fc.property(text, (t) => {
      assert.deepEqual(plain(web.utf8Encode(t)), plain(node.utf8Encode(t)), JSON.stringify(t))
      assert.equal(web.utf8Length(t), node.utf8Length(t), JSON.stringify(t))
      assert.deepEqual(plain(web.latin1Encode(t)), plain(node.latin1Encode(t)), JSON.stringify(t))
    }), { numRuns: 3000 })
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      assert.equal(web.utf8Decode(b), node.utf8Decode(b))
    }), { numRuns: 3000 })
  })

  it('writeBase64url stops at the end of the target', () => {
    const a = new Uint8Array(3)
    assert.equal(web.writeBase64url(a, 'AQIDBAUG'), 3)
    assert.deepEqual(a, Uint8Array.of(1, 2, 3))
  })
})
