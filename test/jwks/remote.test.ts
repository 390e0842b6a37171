// createRemoteJwks against a loopback server: one fetch at a time, HTTP caching, rotation, cooldown.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRemoteJwks, type RemoteJwksFetchEvent } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { startServer, type Reply } from './http-server.ts'
import { hookWaiter, makeKeys, manualClock, set, token } from './remote-fixtures.ts'

const server = await startServer()
after(() => server.close())
const { k1, k2, k3 } = await makeKeys('k1', 'k2', 'k3')
const t1 = await token(k1!)
const t2 = await token(k2!)

/** Serves `body()` at `path` with `headers`; returns the path's request counter. */
function serve(path: string, reply: () => Reply) {
  server.handle((req) => (req.path === path ? reply() : { status: 404 }))
  return () => server.count(path)
}

test('cold start: one fetch, then every verification from the held set', async () => {
  const count = serve('/a', () => ({ body: set(k1!, k2!), headers: { 'cache-control': 'max-age=300' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/a'), { now: clock.now })
  assert.equal(jwks.jwks(), undefined)
  assert.equal((await verifyJwt(t1, jwks)).claims.sub, 'alice')
  for (let i = 0; i < 50; i++) await verifyJwt(i % 2 ? t1 : t2, jwks)
  assert.equal(count(), 1)
  assert.equal(jwks.stats.fetches, 1)
  assert.ok(jwks.stats.cacheHits >= 50)
  assert.equal(jwks.stats.fresh, true)
  assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['k1', 'k2'])
})

test('one fetch at a time: 500 concurrent verifications at a cold start share one request', async () => {
  const count = serve('/b', () => ({ body: set(k1!), delayMs: 50 }))
  const jwks = createRemoteJwks(server.url('/b'))
  const results = await Promise.all(Array.from({ length: 500 }, () => verifyJwt(t1, jwks)))
  assert.equal(results.length, 500)
  assert.equal(count(), 1)
  // refresh() calls made together also share one request.
  await Promise.all([jwks.refresh(), jwks.refresh(), jwks.refresh()])
  assert.equal(count(), 2)
})

test('Cache-Control max-age: no request while fresh; a background refresh shortly before it ends', async () => {
  let version = 1
  const count = serve('/c', () => ({ body: version === 1 ? set(k1!) : set(k1!, k2!), headers: { 'cache-control': 'max-age=120' }, delayMs: 100 }))
  const clock = manualClock()
  const fetched = hookWaiter()
  const jwks = createRemoteJwks(server.url('/c'), { now: clock.now, cooldownMs: 1e9, onFetch: fetched.hook })
  await verifyJwt(t1, jwks)
  clock.advance(100_000) // fresh, before the refresh lead (a tenth of 120 s)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 1)
  version = 2
  clock.advance(10_000) // 110 s: within 12 s of the end: refresh in the background
  const done = fetched.next()
  await verifyJwt(t1, jwks) // served from the held set, not waiting for the slow fetch
  assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['k1']) // the refresh has not landed yet
  assert.equal(jwks.stats.fresh, true)
  await done
  assert.equal(count(), 2)
  assert.equal(jwks.stats.fetches, 2)
  assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['k1', 'k2'])
  // The new set is fresh for another 120 s from the refresh.
  clock.advance(100_000)
  await verifyJwt(t2, jwks)
  assert.equal(count(), 2)
})

test('expired set: the next verification waits for the refetch', async () => {
  let version = 1
  const count = serve('/d', () => ({ body: version === 1 ? set(k1!) : set(k2!), headers: { 'cache-control': 'max-age=60' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/d'), { now: clock.now, cooldownMs: 1e9 })
  await verifyJwt(t1, jwks)
  version = 2
  clock.advance(61_000)
  // k1 is gone from the new set: refused after the refetch, which happened before the answer.
  await assert.rejects(verifyJwt(t1, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.equal(count(), 2)
  await verifyJwt(t2, jwks)
  assert.equal(count(), 2)
})

test('RFC 9110 §13.1.2: revalidation sends If-None-Match; a 304 renews freshness without a body', async () => {
  let changed = false
  const count = serve('/e', (): Reply => {
    const req = server.requests.at(-1)!
    if (!changed && req.headers['if-none-match'] === '"v1"') return { status: 304, headers: { 'cache-control': 'max-age=60', etag: '"v1"' } }
    return { body: changed ? set(k2!) : set(k1!), headers: { 'cache-control': 'max-age=60', etag: changed ? '"v2"' : '"v1"', 'last-modified': 'Sun, 06 Nov 1994 08:49:37 GMT' } }
  })
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/e'), { now: clock.now, minTtlMs: 1_000, cooldownMs: 1e9 })
  await verifyJwt(t1, jwks)
  assert.equal(server.requests.at(-1)!.headers['if-none-match'], undefined)
  clock.advance(61_000)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 2)
  assert.equal(server.requests.at(-1)!.headers['if-none-match'], '"v1"')
  assert.equal(jwks.stats.notModified, 1)
  assert.equal(jwks.stats.fresh, true)
  clock.advance(30_000)
  await verifyJwt(t1, jwks) // renewed: still fresh, no request
  assert.equal(count(), 2)
  changed = true
  clock.advance(31_000)
  await assert.rejects(verifyJwt(t1, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.equal(count(), 3)
  await verifyJwt(t2, jwks)
})

test('If-Modified-Since when the server gives only Last-Modified', async () => {
  const lm = 'Sun, 06 Nov 1994 08:49:37 GMT'
  const count = serve('/e2', () => {
    const req = server.requests.at(-1)!
    return req.headers['if-modified-since'] === lm ? { status: 304 } : { body: set(k1!), headers: { 'last-modified': lm } }
  })
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/e2'), { now: clock.now })
  await verifyJwt(t1, jwks)
  clock.advance(601_000) // default cacheMaxAgeMs: 10 min
  await verifyJwt(t1, jwks)
  assert.equal(count(), 2)
  assert.equal(jwks.stats.notModified, 1)
})

test('no-cache / no-store mean the minimum TTL, not a fetch per verification', async () => {
  for (const cc of ['no-cache', 'no-store']) {
    const path = `/f-${cc}`
    const count = serve(path, () => ({ body: set(k1!), headers: { 'cache-control': cc } }))
    const clock = manualClock()
    const jwks = createRemoteJwks(server.url(path), { now: clock.now, minTtlMs: 30_000 })
    for (let i = 0; i < 20; i++) await verifyJwt(t1, jwks)
    clock.advance(25_000)
    await verifyJwt(t1, jwks)
    assert.equal(count(), 1, cc)
    clock.advance(6_000)
    await verifyJwt(t1, jwks)
    assert.equal(count(), 2, cc)
  }
})

test('maxTtlMs clamps a long max-age; Expires is used without max-age', async () => {
  const count = serve('/g', () => ({ body: set(k1!), headers: { 'cache-control': 'max-age=31536000' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/g'), { now: clock.now, maxTtlMs: 3_600_000 })
  await verifyJwt(t1, jwks)
  clock.advance(3_601_000)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 2)

  const clock2 = manualClock()
  // Expires minus the server's Date (real time), so the test clock's offset does not matter.
  const count2 = serve('/g2', () => ({ body: set(k1!), headers: { expires: new Date(Date.now() + 300_000).toUTCString() } }))
  const jwks2 = createRemoteJwks(server.url('/g2'), { now: clock2.now })
  await verifyJwt(t1, jwks2)
  assert.ok(Math.abs(jwks2.stats.freshUntil! - (clock2.now() + 300_000)) <= 1_000)
  clock2.advance(200_000)
  await verifyJwt(t1, jwks2)
  assert.equal(count2(), 1)
})

test('rotation: a token with an unknown kid triggers an immediate refetch and verifies', async () => {
  let keys = set(k1!)
  const count = serve('/h', () => ({ body: keys, headers: { 'cache-control': 'max-age=3600' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/h'), { now: clock.now })
  await verifyJwt(t1, jwks)
  keys = set(k2!, k1!) // the issuer rotates: new first key
  clock.advance(5_000)
  assert.equal((await verifyJwt(t2, jwks)).key.kid, 'k2')
  assert.equal(count(), 2)
  await verifyJwt(t2, jwks)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 2)
})

test('a routine fetch does not start the cooldown window', async () => {
  let keys = set(k1!)
  const count = serve('/i', () => ({ body: keys }))
  const jwks = createRemoteJwks(server.url('/i'))
  await verifyJwt(t1, jwks) // routine (cold start) fetch
  keys = set(k1!, k2!)
  await verifyJwt(t2, jwks) // unknown kid right after: refetched anyway
  assert.equal(count(), 2)
})

test('a storm of made-up kids: each refused with ERR_JWKS_NO_MATCHING_KEY, one upstream request per cooldown window', async () => {
  const count = serve('/j', () => ({ body: set(k1!), headers: { 'cache-control': 'max-age=86400' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/j'), { now: clock.now, cooldownMs: 30_000 })
  await verifyJwt(t1, jwks)
  const forged = await Promise.all(Array.from({ length: 200 }, (_, i) => token(k3!, `made-up-${i}`)))
  const storm = async () => {
    const outcomes = await Promise.allSettled(forged.map((t) => verifyJwt(t, jwks)))
    for (const o of outcomes) {
      assert.equal(o.status, 'rejected')
      assert.equal((o as PromiseRejectedResult).reason.code, 'ERR_JWKS_NO_MATCHING_KEY')
    }
  }
  await storm()
  assert.equal(count(), 2) // the first unknown kid refetched once
  clock.advance(10_000)
  await storm()
  clock.advance(10_000)
  await storm()
  assert.equal(count(), 2) // within the window: none
  clock.advance(10_001)
  await storm()
  assert.equal(count(), 3) // a new window: one
  // Legitimate tokens kept verifying throughout, from the cache.
  await verifyJwt(t1, jwks)
  assert.equal(count(), 3)
})

test('a kid that is not a string is refused without a refetch', async () => {
  const count = serve('/k', () => ({ body: set(k1!) }))
  const jwks = createRemoteJwks(server.url('/k'))
  await verifyJwt(t1, jwks)
  await assert.rejects(jwks.getKeys({ alg: 'ES256', kid: 42 as unknown as string }) as Promise<unknown>)
  assert.equal(count(), 1)
})

test('RFC 7517 §5: keys of unknown type (and private keys) are skipped, the rest used; stats and onFetch report them', async () => {
  const body = { keys: [{ kty: 'XYZ', kid: 'future' }, k1!.public, k2!.private] }
  const count = serve('/l', () => ({ body }))
  const events: Array<{ skipped: readonly { path: string }[]; keys: number; status: number }> = []
  const jwks = createRemoteJwks(server.url('/l'), { onFetch: (e) => events.push(e) })
  await verifyJwt(t1, jwks)
  // k2 was published with its private part: not used.
  await assert.rejects(verifyJwt(t2, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.equal(jwks.stats.keys, 1)
  assert.equal(jwks.stats.skipped, 2)
  assert.deepEqual(events[0]!.skipped.map((p) => p.path), ['/keys/0', '/keys/2'])
  assert.equal(events[0]!.status, 200)
  assert.ok(count() >= 1)
})

test('the source never follows jku/x5u from a token, and refuses a non-allowed URL before any request', async () => {
  const attacker = await startServer(() => ({ body: set(k3!) }))
  try {
    const count = serve('/m', () => ({ body: set(k1!) }))
    const jwks = createRemoteJwks(server.url('/m'))
    const { signJwt } = await import('../../src/jwt/sign.ts')
    const evil = await signJwt({ sub: 'mallory' }, k3!.private, { kid: 'k3', protectedHeader: { jku: attacker.url('/jwks') } as never })
    await assert.rejects(verifyJwt(evil, jwks))
    assert.equal(attacker.count(), 0)
    assert.ok(count() >= 1)
  } finally {
    await attacker.close()
  }
  assert.throws(() => createRemoteJwks('http://jwks.example/keys'), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  assert.throws(() => createRemoteJwks('file:///etc/jwks.json'), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  let called = 0
  const jwks = createRemoteJwks('http://jwks.example/keys', {
    insecureAllowHttp: true,
    fetch: async () => {
      called++
      return new Response(JSON.stringify(set(k1!)))
    },
  })
  await verifyJwt(t1, jwks)
  assert.equal(called, 1)
})

test('caller mistakes are TypeError / RangeError', () => {
  assert.throws(() => createRemoteJwks(42 as unknown as string), TypeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { timeoutMs: -1 }), RangeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { cooldownMs: Number.NaN }), RangeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { minTtlMs: 10, maxTtlMs: 5 }), RangeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { fetch: 'no' as never }), TypeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { headers: { cookie: 'a' } }), TypeError)
  assert.throws(() => createRemoteJwks(server.url('/x'), { cache: {} as never }), TypeError)
})

test('options reach the wire: headers sent, maxKeys enforced, redirects only when allowed', async () => {
  server.handle((req) => {
    if (req.path === '/n/moved') return { status: 301, headers: { location: '/n/here' } }
    if (req.path === '/n/here') return { body: set(k1!) }
    if (req.path === '/n/three') return { body: set(k1!, k2!, k3!) }
    return { status: 404 }
  })
  const withHeader = createRemoteJwks(server.url('/n/here'), { headers: { authorization: 'Bearer api-key' } })
  await verifyJwt(t1, withHeader)
  assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer api-key')
  assert.equal(server.requests.at(-1)!.headers.cookie, undefined)
  await assert.rejects(verifyJwt(t1, createRemoteJwks(server.url('/n/three'), { maxKeys: 2 })), { code: 'ERR_JWKS_INVALID' })
  await verifyJwt(t1, createRemoteJwks(server.url('/n/three'), { maxKeys: 3 }))
  await assert.rejects(verifyJwt(t1, createRemoteJwks(server.url('/n/moved'))), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  const followed = createRemoteJwks(server.url('/n/moved'), { allowRedirects: true })
  await verifyJwt(t1, followed)
  assert.equal(followed.stats.url, server.url('/n/moved')) // the configured URL, not the redirect target
  assert.equal(server.count('/n/here'), 2)
})

test('onFetch reports why each fetch ran; stats show the last fetch time', async () => {
  let keys = set(k1!)
  serve('/s', () => ({ body: keys, headers: { 'cache-control': 'max-age=100' } }))
  const clock = manualClock()
  const fetched = hookWaiter<[RemoteJwksFetchEvent]>()
  const reasons = () => fetched.calls.map(([e]) => `${e.reason}:${e.status}:${e.keys}`)
  const jwks = createRemoteJwks(server.url('/s'), { now: clock.now, onFetch: fetched.hook })
  await verifyJwt(t1, jwks)
  assert.equal(jwks.stats.lastFetchAt, clock.now())
  keys = set(k1!, k2!)
  await verifyJwt(t2, jwks)
  clock.advance(95_000)
  const background = fetched.next()
  await verifyJwt(t1, jwks)
  await background
  clock.advance(200_000)
  await verifyJwt(t1, jwks)
  await jwks.refresh()
  assert.deepEqual(reasons(), ['initial:200:1', 'unknown-kid:200:2', 'background:200:2', 'expired:200:2', 'refresh:200:2'])
  assert.equal(jwks.stats.lastFetchAt, clock.now())
})

test('a cache adapter that never answers does not hang verification (bounded by timeoutMs)', async () => {
  const count = serve('/u', () => ({ body: set(k1!) }))
  const jwks = createRemoteJwks(server.url('/u'), {
    timeoutMs: 100,
    cache: { get: () => new Promise(() => undefined), set: () => new Promise(() => undefined) },
  })
  await verifyJwt(t1, jwks)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 1)
})
