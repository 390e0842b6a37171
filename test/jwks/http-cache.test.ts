import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cachingHeaders, freshnessOf, parseCacheControl, parseHttpDate } from '../../src/jwks/http-cache.ts'

const policy = { cacheMaxAgeMs: 600_000, minTtlMs: 60_000, maxTtlMs: 86_400_000 }
const h = (init: Record<string, string>) => new Headers(init)
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)

test('RFC 9111 §5.2: Cache-Control directives, case-insensitive, quoted values, first max-age wins', () => {
  assert.deepEqual(parseCacheControl('public, MAX-AGE=300'), { noCache: false, noStore: false, maxAge: 300 })
  assert.deepEqual(parseCacheControl('max-age="120"'), { noCache: false, noStore: false, maxAge: 120 })
  assert.equal(parseCacheControl('max-age=100, max-age=5').maxAge, 100)
  assert.equal(parseCacheControl('no-cache="set-cookie, x", max-age=5').noCache, true)
  assert.equal(parseCacheControl('No-Store').noStore, true)
  assert.equal(parseCacheControl('max-age=1.5').maxAge, null)
  assert.equal(parseCacheControl('max-age=-1').maxAge, null)
  assert.equal(parseCacheControl('max-age').maxAge, null)
  assert.deepEqual(parseCacheControl(null), { noCache: false, noStore: false })
  assert.deepEqual(parseCacheControl(''), { noCache: false, noStore: false })
})

test('RFC 9111 §4.2.1: max-age sets the lifetime, clamped to [minTtlMs, maxTtlMs]', () => {
  assert.deepEqual(freshnessOf(h({ 'cache-control': 'max-age=300' }), NOW, policy), { ttlMs: 300_000, source: 'max-age', requestedMs: 300_000 })
  assert.equal(freshnessOf(h({ 'cache-control': 'max-age=5' }), NOW, policy).ttlMs, 60_000)
  assert.equal(freshnessOf(h({ 'cache-control': 'max-age=31536000' }), NOW, policy).ttlMs, 86_400_000)
})

test('RFC 9111 §5.1: Age is subtracted from max-age', () => {
  assert.equal(freshnessOf(h({ 'cache-control': 'max-age=600', age: '100' }), NOW, policy).ttlMs, 500_000)
  assert.equal(freshnessOf(h({ 'cache-control': 'max-age=600', age: 'junk' }), NOW, policy).ttlMs, 600_000)
})

test('no-cache and no-store mean the minimum TTL, never "fetch per request"', () => {
  for (const cc of ['no-cache', 'no-store', 'max-age=3600, no-store', 'private, no-cache']) {
    const f = freshnessOf(h({ 'cache-control': cc }), NOW, policy)
    assert.equal(f.ttlMs, 60_000, cc)
    assert.equal(f.source, 'no-cache')
  }
})

test('RFC 9111 §4.2.1: Expires minus Date, when there is no max-age', () => {
  const date = new Date(NOW - 3_600_000).toUTCString() // server clock an hour behind ours
  const expires = new Date(NOW - 3_600_000 + 900_000).toUTCString()
  const f = freshnessOf(h({ expires, date }), NOW, policy)
  assert.equal(f.source, 'expires')
  assert.equal(f.ttlMs, 900_000)
  // Without Date: Expires minus our clock.
  assert.equal(freshnessOf(h({ expires: new Date(NOW + 1_200_000).toUTCString() }), NOW, policy).ttlMs, 1_200_000)
  // max-age wins over Expires (§5.3).
  assert.equal(freshnessOf(h({ expires, date, 'cache-control': 'max-age=120' }), NOW, policy).ttlMs, 120_000)
})

test('RFC 9111 §5.3: an invalid Expires ("0") is in the past: the minimum TTL', () => {
  const f = freshnessOf(h({ expires: '0' }), NOW, policy)
  assert.equal(f.ttlMs, 60_000)
  assert.equal(f.source, 'invalid')
  assert.equal(freshnessOf(h({ 'cache-control': 'max-age=abc' }), NOW, policy).source, 'invalid')
})

test('no freshness information: cacheMaxAgeMs', () => {
  assert.deepEqual(freshnessOf(h({}), NOW, policy), { ttlMs: 600_000, source: 'default' })
  assert.equal(freshnessOf(h({}), NOW, { ...policy, cacheMaxAgeMs: 1_000 }).ttlMs, 60_000)
})

test('HTTP-date parsing (RFC 9110 §5.6.7)', () => {
  assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), Date.UTC(1994, 10, 6, 8, 49, 37))
  assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), Date.UTC(1994, 10, 6, 8, 49, 37))
  assert.equal(parseHttpDate('0'), undefined)
  assert.equal(parseHttpDate('-1'), undefined)
  assert.equal(parseHttpDate(''), undefined)
  assert.equal(parseHttpDate(null), undefined)
})

test('cachingHeaders reports the caching headers present', () => {
  assert.deepEqual(cachingHeaders(h({ etag: '"v1"', 'cache-control': 'max-age=60', 'content-type': 'application/json' })), {
    'cache-control': 'max-age=60',
    etag: '"v1"',
  })
})
