import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pointerRange, pointerTokens } from '../../src/web/logic/pointer.ts'

const text = `{
  "keys": [
    { "kty": "EC", "crv": "P-256", "x": "abc", "a/b": 1, "m~n": [true, null] },
    { "kty": "RSA", "n": "q\\"r", "e": "AQAB" }
  ]
}`
const at = (p: string) => {
  const r = pointerRange(text, p)
  return r && text.slice(r.start, r.end)
}

test('pointerRange finds members and elements (RFC 6901, escaped names too)', () => {
  assert.equal(at('/keys/0/x'), '"x": "abc"')
  assert.equal(at('/keys/1/n'), '"n": "q\\"r"')
  assert.equal(at('/keys/1/e'), '"e": "AQAB"')
  assert.equal(at('/keys/0/a~1b'), '"a/b": 1')
  assert.equal(at('/keys/0/m~0n/1'), 'null')
  assert.ok(at('/keys/1')!.startsWith('{ "kty": "RSA"'))
  assert.equal(at(''), text)
  assert.equal(at('/keys/2'), undefined)
  assert.equal(at('/keys/0/y'), undefined)
  assert.equal(at('keys'), undefined)
  assert.equal(pointerRange('{"a": [1, 2', '/a/5'), undefined, 'malformed text is not an error')
  assert.deepEqual(pointerTokens('/a~1b/~0'), ['a/b', '~'])
})
