// Outages never replace the last good set: it serves until staleIfErrorMs, failures observable.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ErrorCode } from '../../src/errors.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { startServer, type Reply } from './http-server.ts'
import type { JwkitError } from '../../src/errors.ts'
import type { RemoteJwksErrorEvent } from '../../src/jwks/remote.ts'
import { hookWaiter, makeKeys, manualClock, set, token } from './remote-fixtures.ts'

const server = await startServer()
after(() => server.close())
const { k1, k2 } = await makeKeys('k1', 'k2')
const t1 = await token(k1!)
const t2 = await token(k2!)

const failures: Record<string, { reply: () => Reply; code: ErrorCode; status?: number }> = {
  'HTTP 500': { reply: () => ({ status: 500, body: 'oops' }), code: 'ERR_JWKS_FETCH_FAILED', status: 500 },
  'HTTP 503': { reply: () => ({ status: 503 }), code: 'ERR_JWKS_FETCH_FAILED', status: 503 },
  'HTTP 404': { reply: () => ({ status: 404 }), code: 'ERR_JWKS_FETCH_FAILED', status: 404 },
  timeout: { reply: () => ({ delayMs: 2_500, body: set(k2!) }), code: 'ERR_JWKS_TIMEOUT' },
  'connection reset': { reply: () => { throw new Error('reset') }, code: 'ERR_JWKS_FETCH_FAILED' },
  'invalid JSON': { reply: () => ({ body: '{"keys": [' }), code: 'ERR_JWKS_INVALID' },
  'duplicate member names': { reply: () => ({ body: '{"keys": [], "keys": []}' }), code: 'ERR_JWKS_INVALID' },
  'not a set': { reply: () => ({ body: [k2!.public] }), code: 'ERR_JWKS_INVALID' },
  'oversized body': { reply: () => ({ body: { keys: [k2!.public], pad: 'x'.repeat(9_000) } }), code: 'ERR_JWKS_RESPONSE_TOO_LARGE' },
  'no usable key (unknown kty only)': { reply: () => ({ body: { keys: [{ kty: 'XYZ', kid: 'k2' }] } }), code: 'ERR_JWKS_INVALID' },
  'no usable key (empty)': { reply: () => ({ body: { keys: [] } }), code: 'ERR_JWKS_INVALID' },
  'no usable key (enc only)': { reply: () => ({ body: { keys: [{ ...k2!.public, use: 'enc' }] } }), code: 'ERR_JWKS_INVALID' },
}

for (const [name, failure] of Object.entries(failures)) {
  test(`outage (${name}): the last good set keeps serving until staleIfErrorMs; one retry per cooldown`, async () => {
    const path = `/o/${encodeURIComponent(name)}`
    let down = false
    server.handle((req) => (req.path !== path ? { status: 404 } : down ? failure.reply() : { body: set(k1!), headers: { 'cache-control': 'max-age=60' } }))
    const count = () => server.count(path)
    const clock = manualClock()
    const onError = hookWaiter<[JwkitError, RemoteJwksErrorEvent]>()
    const errors = () => onError.calls.map(([e, ev]) => ({ code: e.code, servingStale: ev.servingStale }))
    const jwks = createRemoteJwks(server.url(path), {
      // 1.5 s: a loaded machine must not turn a slow 500 into a timeout.
      now: clock.now, timeoutMs: 1_500, maxResponseBytes: 8_192, cooldownMs: 30_000, staleIfErrorMs: 120_000,
      onError: onError.hook,
    })
    await verifyJwt(t1, jwks)
    down = true
    clock.advance(61_000) // stale: the verification waits for the refetch, which fails, then uses the stale set
    assert.equal((await verifyJwt(t1, jwks)).key.kid, 'k1')
    assert.equal(count(), 2)
    assert.equal(jwks.stats.failing, true)
    assert.equal(jwks.stats.stale, true)
    assert.equal(jwks.stats.lastError?.code, failure.code)
    assert.deepEqual(errors(), [{ code: failure.code, servingStale: true }])
    // refresh() reports the failure, and the set stays.
    await assert.rejects(jwks.refresh(), (e: { code: string; detail?: { status?: number } }) => e.code === failure.code && (failure.status === undefined || e.detail?.status === failure.status))
    assert.equal(count(), 3)
    assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['k1'])
    // Within the cooldown: served stale with no request at all.
    clock.advance(10_000)
    await verifyJwt(t1, jwks)
    assert.equal(count(), 3)
    // After it: one retry, in the background; the verification does not wait for it.
    clock.advance(25_000)
    const retried = onError.next()
    await verifyJwt(t1, jwks)
    assert.equal(errors().length, 2) // answered before the retry failed
    await retried
    assert.equal(count(), 4)
    assert.equal(errors().length, 3)
    // Past freshUntil + staleIfErrorMs (60 s + 120 s): refused with the failure's code.
    clock.advance(90_000)
    await assert.rejects(verifyJwt(t1, jwks), { code: failure.code })
    assert.equal(count(), 5)
    await assert.rejects(verifyJwt(t1, jwks), { code: failure.code }) // backoff: no request
    assert.equal(count(), 5)
    // The endpoint recovers: after the cooldown, the next verification fetches and succeeds.
    down = false
    clock.advance(30_000)
    await verifyJwt(t1, jwks)
    assert.equal(count(), 6)
    assert.equal(jwks.stats.failing, false)
    assert.equal(jwks.stats.fresh, true)
  })
}

test('an unknown-kid refetch that fails keeps the set, and the token is refused with ERR_JWKS_NO_MATCHING_KEY', async () => {
  let down = false
  server.handle((req) => (req.path !== '/p' ? { status: 404 } : down ? { status: 502 } : { body: set(k1!), headers: { 'cache-control': 'max-age=600' } }))
  const jwks = createRemoteJwks(server.url('/p'))
  await verifyJwt(t1, jwks)
  down = true
  await assert.rejects(verifyJwt(t2, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.equal(jwks.stats.lastError?.code, 'ERR_JWKS_FETCH_FAILED')
  await verifyJwt(t1, jwks)
  assert.equal(server.count('/p'), 2)
})

test('cold start during an outage: refused with the failure code; retries at most once per cooldown', async () => {
  server.handle((req) => (req.path === '/q' ? { status: 500 } : { status: 404 }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/q'), { now: clock.now })
  await assert.rejects(verifyJwt(t1, jwks), { code: 'ERR_JWKS_FETCH_FAILED' })
  await assert.rejects(verifyJwt(t1, jwks), { code: 'ERR_JWKS_FETCH_FAILED' })
  assert.equal(server.count('/q'), 1)
  assert.equal(jwks.jwks(), undefined)
  server.handle((req) => (req.path === '/q' ? { body: set(k1!) } : { status: 404 }))
  clock.advance(30_000)
  await verifyJwt(t1, jwks)
  assert.equal(server.count('/q'), 2)
})

test('a background refresh that fails while the set is fresh does not disturb verification', async () => {
  let down = false
  server.handle((req) => (req.path !== '/r' ? { status: 404 } : down ? { status: 500 } : { body: set(k1!), headers: { 'cache-control': 'max-age=100' } }))
  const clock = manualClock()
  const failed = hookWaiter()
  const jwks = createRemoteJwks(server.url('/r'), {
    now: clock.now,
    onFetch: () => { throw new Error('a hook that throws') },
    onError: () => { failed.hook(); throw new Error('so does this one') },
  })
  await verifyJwt(t1, jwks)
  down = true
  clock.advance(95_000) // inside the refresh lead
  const done = failed.next()
  await verifyJwt(t1, jwks)
  await done
  assert.equal(server.count('/r'), 2)
  assert.equal(jwks.stats.fresh, true)
  assert.equal(jwks.stats.failing, true)
  clock.advance(10_000) // now stale and failing: served stale, retry only after the cooldown
  await verifyJwt(t1, jwks)
  assert.equal(server.count('/r'), 2)
})
