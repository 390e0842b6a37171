import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJsonStrict } from '../../src/util/json.ts'

const code = (fn: () => unknown) => {
  try { fn() } catch (e) { return (e as { code?: string }).code }
  return 'no error'
}

test('RFC 8259 §4: duplicate member names are refused, at any depth and through escapes', () => {
  assert.equal(code(() => parseJsonStrict('{"a":1,"a":2}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"x":{"a":1,"b":[{"c":1,"c":2}]}}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"a":1,"\\u0061":2}')), 'ERR_JSON_INVALID')
  assert.deepEqual(parseJsonStrict('{"a":{"a":1},"b":["a","a"]}'), { a: { a: 1 }, b: ['a', 'a'] })
  assert.deepEqual(parseJsonStrict('{"a\\"":1,"a":2}'), { 'a"': 1, a: 2 })
})

test('size and depth are bounded before parsing', () => {
  assert.equal(code(() => parseJsonStrict('[' .repeat(40) + ']'.repeat(40), { maxDepth: 32 })), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('"' + 'a'.repeat(100) + '"', { maxBytes: 50 })), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('{"a":', { code: 'ERR_JWK_INVALID' })), 'ERR_JWK_INVALID')
  assert.equal(code(() => parseJsonStrict(new Uint8Array([0x22, 0xff, 0x22]))), 'ERR_JSON_INVALID')
})

test('never throws anything but a JwkitError, whatever the text (fuzz)', async () => {
  const fc = (await import('fast-check')).default
  const { isJwkitError } = await import('../../src/errors.ts')
  const structural = fc.string({ maxLength: 40, unit: fc.constantFrom(...'{}[]":,\\ab1 '.split('')) })
  fc.assert(fc.property(fc.oneof(structural, fc.string({ maxLength: 40 })), (text) => {
    try {
      parseJsonStrict(text, { maxDepth: 4 })
    } catch (error) {
      assert.ok(isJwkitError(error), String(error))
    }
  }), { numRuns: 2000 })
  assert.equal(code(() => parseJsonStrict('{["a"]}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"a"["b"]}')), 'ERR_JSON_INVALID')
})

test('agrees with JSON.parse on valid JSON without duplicate names', async () => {
  const fc = (await import('fast-check')).default
  fc.assert(fc.property(fc.json({ maxDepth: 4 }), (text) => {
    assert.deepEqual(parseJsonStrict(text, { maxDepth: 10 }), JSON.parse(text))
  }), { numRuns: 500 })
})
