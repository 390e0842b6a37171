import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeBase64url, encodeBase64url, decodeBase64 } from '../../src/util/base64url.ts'

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
