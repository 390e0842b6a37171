import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  createJwksSnapshot, ifNoneMatchMatches, jitteredMaxAge, jwksMaxAgeSeconds, negotiateJwksType,
} from '../../src/server/jwks-response.ts'
import type { JwkSet } from '../../src/jwk/types.ts'

test('snapshot: bytes are the JSON of the set; ETag is strong and changes with the bytes', () => {
  const set = { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'BB', kid: '1' }] } as JwkSet
  const a = createJwksSnapshot(set)
  assert.deepEqual(JSON.parse(a.body.toString()), set)
  assert.match(a.etag, /^"[A-Za-z0-9_-]{43}"$/)
  assert.equal(a.dropped, 0)
  assert.deepEqual(a.kids, ['1'])
  assert.equal(createJwksSnapshot(set).etag, a.etag)
  assert.notEqual(createJwksSnapshot({ keys: [{ ...set.keys[0]!, kid: '2' }] } as JwkSet).etag, a.etag)
})

test('snapshot: a private member reaching the server is dropped, an oct key left out (defence in depth)', () => {
  const set = { keys: [
    { kty: 'EC', crv: 'P-256', x: 'AA', y: 'BB', d: 'SECRET', kid: '1' },
    { kty: 'RSA', n: 'N', e: 'AQAB', p: 'P', q: 'Q', dp: 'DP', dq: 'DQ', qi: 'QI', d: 'D', kid: '2' },
    { kty: 'oct', k: 'K', kid: '3' },
    { kty: 'AKP', alg: 'ML-DSA-44', pub: 'PUB', priv: 'PRIV', kid: '4' },
  ] } as unknown as JwkSet
  const s = createJwksSnapshot(set)
  assert.equal(s.dropped, 1 + 6 + 1 + 1)
  const text = s.body.toString()
  for (const m of ['SECRET', '"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', '"k"', 'PRIV']) assert.ok(!text.includes(m), m)
  assert.deepEqual(s.kids, ['1', '2', '4'])
})

test('RFC 9110 §13.1.2 weak comparison for If-None-Match', () => {
  const etag = '"abc"'
  assert.equal(ifNoneMatchMatches(undefined, etag), false)
  assert.equal(ifNoneMatchMatches('"abc"', etag), true)
  assert.equal(ifNoneMatchMatches('W/"abc"', etag), true)
  assert.equal(ifNoneMatchMatches('"x", W/"y" ,"abc"', etag), true)
  assert.equal(ifNoneMatchMatches(' * ', etag), true)
  assert.equal(ifNoneMatchMatches('"abcd"', etag), false)
  assert.equal(ifNoneMatchMatches('abc', etag), false)
  assert.equal(ifNoneMatchMatches('"ab", "c"', etag), false)
})

test('RFC 9110 §12.5.1 negotiation between application/jwk-set+json and application/json', () => {
  assert.equal(negotiateJwksType(undefined), 'application/json')
  assert.equal(negotiateJwksType('*/*'), 'application/json')
  assert.equal(negotiateJwksType('application/jwk-set+json'), 'application/jwk-set+json')
  assert.equal(negotiateJwksType('application/JWK-SET+JSON; charset=utf-8'), 'application/jwk-set+json')
  assert.equal(negotiateJwksType('application/jwk-set+json, application/json'), 'application/jwk-set+json')
  assert.equal(negotiateJwksType('application/jwk-set+json;q=0.4, application/json;q=0.9'), 'application/json')
  assert.equal(negotiateJwksType('application/jwk-set+json;q=0'), 'application/json')
  assert.equal(negotiateJwksType('application/jwk-set+json;q=zz'), 'application/json')
})

test('max-age: min(jwksMaxAge, prepublish / 2, cap); jitter only lowers it, by at most 20 %', () => {
  const policy = { algorithms: ['ES256'], rotateEvery: 1, retireGrace: 1, maxTokenTtl: 1, prepublish: 7_800_000, jwksMaxAge: 3_600_000 }
  assert.equal(jwksMaxAgeSeconds(policy), 3600)
  assert.equal(jwksMaxAgeSeconds({ ...policy, prepublish: 1_000_000 }), 500)
  assert.equal(jwksMaxAgeSeconds(policy, 60), 60)
  assert.equal(jitteredMaxAge(3600, () => 0), 3600)
  assert.equal(jitteredMaxAge(3600, () => 0.5), 3240)
  assert.equal(jitteredMaxAge(3600, () => 0.9999999), 2881)
  assert.equal(jitteredMaxAge(3600, () => 7), 3600)
  assert.equal(jitteredMaxAge(3600, () => NaN), 3600)
  for (let i = 0; i < 100; i++) {
    const v = jitteredMaxAge(3600, Math.random)
    assert.ok(v > 2880 && v <= 3600)
  }
})
