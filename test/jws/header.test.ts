// jose/header parseJson: the JSON objects of a token (JOSE header, JWT claims set) through
// util/json's strict parser with every failure, size and depth included, under the token's code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJson } from '../../src/jws/header.ts'
import { isJwkitError } from '../../src/errors.ts'

const parse = (text: string) => parseJson(Buffer.from(text), 'ERR_JWT_INVALID', 'claims', 1 << 20)
const refused = (text: string) => assert.throws(() => parse(text), (e) => isJwkitError(e) && e.code === 'ERR_JWT_INVALID', text)

test('duplicates are found at any depth, through escapes, and strings never confuse the count', () => {
  for (const t of ['{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '{"x":{"b":1,"b":2}}', '{"x":[{"b":1,"b":[]}]}', '{"a\\\\":1,"a\\\\":2}']) refused(t)
  for (const t of ['{"a:b":"c:d"}', '{"a\\"":":","b":"\\\\"}', '{"a":[":",{"b":"\\":"}]}', '{}', '{"k":{}}', '{ "a" : 1 , "b" : [ 1 , 2 ] }']) {
    assert.deepEqual(parse(t), JSON.parse(t))
  }
})

test('not an object, not JSON, not UTF-8, too deep, too large: all under the token code', () => {
  for (const t of ['[1]', '"s"', '1', 'null', '{', '{"a":1}x', '\ufeff{}']) refused(t)
  assert.throws(() => parseJson(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'ERR_JWT_INVALID', 'c', 100), (e) => isJwkitError(e) && e.code === 'ERR_JWT_INVALID')
  // MAX_JSON_DEPTH is 16: 16 nested containers pass, 17 do not; a 100k-deep array is refused too.
  assert.deepEqual(parse('{"a":' + '['.repeat(15) + ']'.repeat(15) + '}'), JSON.parse('{"a":' + '['.repeat(15) + ']'.repeat(15) + '}'))
  refused('{"a":' + '['.repeat(16) + ']'.repeat(16) + '}')
  refused('{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}')
  assert.throws(() => parseJson(Buffer.from('{"a":1}'), 'ERR_JWS_INVALID', 'h', 3), (e) => isJwkitError(e) && e.code === 'ERR_JWS_INVALID')
})
