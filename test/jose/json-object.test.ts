import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parseJsonObject } from '../../src/jose/json-object.ts'
import { parseJsonStrict, isJsonObject } from '../../src/util/json.ts'
import { isJwkitError } from '../../src/errors.ts'

const parse = (text: string, depth = 16) => parseJsonObject(Buffer.from(text), 'ERR_JWT_INVALID', 'claims', 1 << 20, depth)
const refused = (text: string, depth?: number) => assert.throws(() => parse(text, depth), (e) => isJwkitError(e) && e.code === 'ERR_JWT_INVALID', text)

test('duplicates are found at any depth, through escapes, and strings never confuse the count', () => {
  for (const t of ['{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '{"x":{"b":1,"b":2}}', '{"x":[{"b":1,"b":[]}]}', '{"a\\\\":1,"a\\\\":2}']) refused(t)
  for (const t of ['{"a:b":"c:d"}', '{"a\\"":":","b":"\\\\"}', '{"a":[":",{"b":"\\":"}]}', '{}', '{"k":{}}', '{ "a" : 1 , "b" : [ 1 , 2 ] }']) {
    assert.deepEqual(parse(t), JSON.parse(t))
  }
})

test('not an object, not JSON, not UTF-8, too deep, too large', () => {
  for (const t of ['[1]', '"s"', '1', 'null', '{', '{"a":1}x', '\ufeff{}']) refused(t)
  assert.throws(() => parseJsonObject(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'ERR_JWT_INVALID', 'c', 100, 4), (e) => isJwkitError(e) && e.code === 'ERR_JWT_INVALID')
  refused('{"a":[[[1]]]}', 3)
  assert.deepEqual(parse('{"a":[[1]]}', 3), { a: [[1]] })
  assert.throws(() => parseJsonObject(Buffer.from('{"a":1}'), 'ERR_JWS_INVALID', 'h', 3, 4), (e) => isJwkitError(e) && e.code === 'ERR_JWS_INVALID')
})

test('agrees with util/json parseJsonStrict on random objects, with and without injected duplicates', () => {
  const verdict = (f: () => unknown) => { try { const v = f(); return isJsonObject(v) ? 'ok' : 'no' } catch { return 'no' } }
  fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.boolean(), (obj, dup) => {
    let text = JSON.stringify(obj)
    const keys = Object.keys(obj)
    if (dup && keys.length > 0) text = text.slice(0, -1) + `,${JSON.stringify(keys[0])}:0}`
    const a = verdict(() => parse(text))
    const b = verdict(() => parseJsonStrict(text, { maxDepth: 16 }))
    assert.equal(a, b, text)
    if (dup && keys.length > 0) assert.equal(a, 'no')
  }), { numRuns: 500 })
})
