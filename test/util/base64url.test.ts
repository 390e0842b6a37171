import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeBase64url, encodeBase64url, decodeBase64 } from '../../src/util/base64url.ts'
import * as node from '../../src/util/codec-node.ts'
import * as web from '../../src/util/codec-web.ts'

test('RFC 4648 §5: base64url round trip', () => {
  for (let n = 0; n < 64; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff))
    assert.deepEqual(decodeBase64url(encodeBase64url(bytes)), bytes)
  }
})

test('RFC 7515 §2: padding, whitespace, standard alphabet and non-canonical tails are refused', () => {
  for (const bad of ['AQ==', 'AQ=', ' AQ', 'AQ\n', 'a+b/', 'AR', 'AQB', 'A', '!!!!']) {
    assert.equal(decodeBase64url(bad), undefined, bad)
  }
  assert.deepEqual(decodeBase64url('AQ'), Buffer.from([1]))
})

test('RFC 7517 §4.7: standard base64 is strict too', () => {
  assert.deepEqual(decodeBase64('AQ=='), Buffer.from([1]))
  for (const bad of ['AQ', 'AQ=', 'A-_=', 'AR==']) assert.equal(decodeBase64(bad), undefined, bad)
})

// decodeBase64url checks canonical text without re-encoding (src/util/base64url.ts): its verdict
// and bytes must be the round trip's on any text, short or long, with each codec's decoder.
test('decodeBase64url gives the re-encode rule\'s verdict on mutated text of every length', () => {
  const special = ['+', '/', '=', ' ', '\n', '\t', '.', '\0', '\x7f', 'é', '\u00c1', '\u00ff', '\u0141', '\u0151', '\u2b41', '\ud83d', '\ude00', '😀']
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom(...special, 'A', 'B', 'Q', 'g', 'w', '_', '-') }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: fc.constantFrom(...special, 'A') }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), ch: fc.constant('') }),
    fc.record({ kind: fc.constant('pad' as const), at: fc.nat(), ch: fc.constantFrom('=', '==') }),
  )
  const text = fc.tuple(fc.uint8Array({ maxLength: 400 }), fc.array(mutation, { maxLength: 3 })).map(([bytes, ms]) => {
    let t = node.toBase64url(bytes)
    for (const m of ms) {
      const at = t.length === 0 ? 0 : m.at % t.length
      if (m.kind === 'replace' && t.length > 0) t = t.slice(0, at) + m.ch + t.slice(at + 1)
      else if (m.kind === 'insert') t = t.slice(0, at) + m.ch + t.slice(at)
      else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + 1)
      else if (m.kind === 'pad') t += m.ch
    }
    return t
  })
  const byRoundTrip = (codec: Pick<typeof node, 'fromBase64url' | 'toBase64url'>, t: string): Uint8Array | undefined => {
    if ((t.length & 3) === 1) return undefined
    const bytes = codec.fromBase64url(t)
    return codec.toBase64url(bytes) === t ? new Uint8Array(bytes) : undefined
  }
  let refused = 0
  fc.assert(fc.property(text, (t) => {
    const got = decodeBase64url(t)
    const want = byRoundTrip(node, t)
    assert.deepEqual(byRoundTrip(web, t), want, 'the two codecs\' round trips agree')
    assert.deepEqual(got === undefined ? undefined : new Uint8Array(got), want, JSON.stringify(t))
    if (want === undefined) refused++
  }), { numRuns: 4000 })
  assert.ok(refused > 1000, `mutations make non-canonical text (${refused} of 4000)`)
  // The cases the checks exist for, long and short: each decodes to the canonical text's bytes.
  const canonical = node.toBase64url(new Uint8Array(256).fill(0x41))
  for (const t of [canonical.slice(0, 10) + '\u0151' + canonical.slice(11), canonical.replace('Q', '+'), canonical.slice(0, 20) + ' ' + canonical.slice(20), canonical + '=', 'QUFB\u0151UFB', 'QUFB+UFB']) {
    assert.equal(decodeBase64url(t), undefined, JSON.stringify(t.slice(0, 24)))
  }
})
