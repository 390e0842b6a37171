import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { base64urlDefect, decodeBase64urlLenient } from '../../src/util/base64-lenient.ts'
import { decodeBase64url } from '../../src/util/base64url.ts'

const ok = (text: string) => {
  const r = decodeBase64urlLenient(text)
  assert.ok(r.ok, `${JSON.stringify(text)} has one reading`)
  return r
}
const refused = (text: string, reason: RegExp) => {
  const r = decodeBase64urlLenient(text)
  assert.ok(!r.ok, `${JSON.stringify(text)} refused`)
  assert.match(r.reason, reason)
  assert.ok(!r.reason.includes(text) || text === '', 'the reason never quotes the text')
}

describe('util/base64-lenient (issue 10)', () => {
  it('canonical base64url reads as itself with no spelling note', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64url')
      const r = ok(text)
      assert.deepEqual([...r.bytes], [...bytes])
      assert.deepEqual(r.spellings, [])
      assert.deepEqual(decodeBase64url(text), r.bytes)
    }))
  })
  it('padding and the standard alphabet used throughout have one reading: the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
      const std = Buffer.from(bytes).toString('base64')
      const url = Buffer.from(bytes).toString('base64url')
      for (const text of [std, std.replace(/=+$/, ''), url + '='.repeat((4 - (url.length % 4)) % 4)]) {
        assert.deepEqual([...ok(text).bytes], [...bytes])
      }
    }))
    assert.deepEqual(ok('AQAB').spellings, [])
    assert.deepEqual(ok('AQ==').spellings, ['padding'])
    assert.deepEqual(ok('+/8=').spellings, ['padding', 'standard-alphabet'])
  })
  it('what has two readings is refused, with the reason', () => {
    refused('a-b+', /mixes the base64url/)
    refused('ab cd', /whitespace/)
    refused('abcd\n', /whitespace/)
    refused('ab%d', /characters outside/)
    refused('ab=cd', /padding inside/)
    refused('AQ=', /wrong amount of = padding/)
    refused('AQAB=', /wrong amount of = padding/)
    refused('AR', /non-zero pad bits/)
    refused('ABCDE', /length no base64 text has/)
    assert.equal(base64urlDefect('AQ=='), 'has = padding')
    assert.equal(base64urlDefect('+/8'), 'uses the standard alphabet (+ /)')
  })
})
