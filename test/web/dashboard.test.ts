/**
 * The dashboard's logic in Node: the admin client against a real key server (real manager,
 * SQLite store, loopback HTTP, Node's fetch) — probe with and without the admin API, the token
 * only as Authorization: Bearer, the actions; the confirmation texts; the view over real data.
 */
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { AdminApiError, createAdminClient, isUsableToken, type FetchLike } from '../../src/web/logic/admin-client.ts'
import { actionsFor, consequenceOf } from '../../src/web/logic/consequences.ts'
import { dashboardView } from '../../src/web/logic/dashboard-view.ts'
import type { TimelineKey } from '../../src/web/logic/timeline.ts'
import { findAll, textOf } from '../../src/web/logic/vnode.ts'
import { ADMIN_TOKEN, startRealServer, type RealServer } from '../server/real-server.ts'
import { close, listen } from '../server/http-helpers.ts'

const nodeFetch = fetch as unknown as FetchLike
let s: RealServer
let bare: RealServer
before(async () => {
  s = await startRealServer({ algorithms: ['ES256', 'EdDSA'] })
  bare = await startRealServer({}, { adminToken: undefined })
})
after(async () => {
  await s?.stop()
  await bare?.stop()
})

test('probe: disabled without the admin API (404), enabled when it asks for a token (401)', async () => {
  assert.equal(await createAdminClient(nodeFetch, bare.base + '/dashboard', () => undefined).probe(), 'disabled')
  assert.equal(await createAdminClient(nodeFetch, s.base + '/dashboard', () => undefined).probe(), 'enabled')
})

test('list, rotate, retire, revoke with the token; a wrong token is a 401 AdminApiError; no token is refused before any request', async () => {
  let token: string | undefined = ADMIN_TOKEN
  const client = createAdminClient(nodeFetch, s.base + '/dashboard', () => token)
  const list = await client.list()
  assert.equal(list.keys.length, 4)
  assert.deepEqual(list.policy.algorithms, ['ES256', 'EdDSA'])
  assert.equal(typeof list.policy.rotateEvery, 'number')
  assert.equal(list.status.storeReachable, true)
  const rotations = list.status.rotations
  await client.rotate('EdDSA') // the next key is minutes old: the rotation is scheduled, not done
  const scheduled = await client.list()
  assert.equal(scheduled.status.rotations, rotations)
  const nextEd = scheduled.keys.find((k) => k.alg === 'EdDSA' && k.state === 'next')!
  assert.equal(nextEd.activateAt, (nextEd.publishedAt ?? 0) + scheduled.policy.prepublish)
  await client.rotate('EdDSA', true) // now: an emergency
  const after1 = await client.list()
  assert.equal(after1.status.rotations, rotations + 1)
  assert.equal(after1.keys.find((k) => k.kid === nextEd.kid)!.state, 'active')
  const next = after1.keys.find((k) => k.alg === 'ES256' && k.state === 'next')!
  await client.retire(next.kid)
  assert.equal((await client.list()).keys.find((k) => k.kid === next.kid)!.state, 'retired')
  await client.revoke(next.kid)
  assert.equal((await client.list()).keys.find((k) => k.kid === next.kid)!.state, 'revoked')
  const jwks = await client.jwks()
  assert.equal(jwks.status, 200)
  assert.match(jwks.etag ?? '', /^"/)
  assert.match(jwks.cacheControl ?? '', /^public, max-age=\d+$/)
  assert.ok(!jwks.body.includes(next.kid), 'the revoked key left the set')
  token = 'wrong-token-but-well-formed-0123'
  await assert.rejects(client.list(), (e: unknown) => e instanceof AdminApiError && e.status === 401 && e.code === 'ERR_HTTP_UNAUTHORIZED')
  let called = 0
  const counting: FetchLike = (...args) => { called++; return nodeFetch(...args) }
  token = 'short'
  await assert.rejects(createAdminClient(counting, s.base, () => token).list(), (e: unknown) => e instanceof AdminApiError && e.status === 401)
  assert.equal(called, 0, 'an unusable token is never sent')
  assert.ok(isUsableToken(ADMIN_TOKEN) && !isUsableToken('has space in it 0123') && !isUsableToken('0123456789abcde'))
})

test('the token is sent only as Authorization: Bearer, to the page origin, without cookies or referrer', async () => {
  const seen: IncomingHttpHeaders[] = []
  const spy = createServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: [], status: {}, policy: {} }))
  })
  const base = await listen(spy)
  try {
    let init: Parameters<FetchLike>[1] | undefined
    const client = createAdminClient((url, i) => { init = i; return nodeFetch(url, i) }, base + '/dashboard', () => ADMIN_TOKEN)
    await client.list()
    assert.equal(seen[0]!.authorization, `Bearer ${ADMIN_TOKEN}`)
    assert.equal(seen[0]!.cookie, undefined)
    assert.deepEqual([init!.credentials, init!.cache, init!.referrerPolicy, init!.redirect], ['omit', 'no-store', 'no-referrer', 'error'])
    await client.jwks()
    assert.equal(seen[1]!.authorization, undefined, 'the public set is fetched without the token')
    const evil = createAdminClient(nodeFetch, base + '/dashboard', () => ADMIN_TOKEN)
    await evil.retire('../../../../http://elsewhere.example/') // a kid is one encoded path segment
    assert.ok(seen.every((h) => h.host === new URL(base).host))
    assert.equal(seen.length, 3)
  } finally {
    await close(spy)
  }
})

const HOUR = 3_600_000
const policy = { rotateEvery: 30 * 24 * HOUR, prepublish: 2 * HOUR + 600_000, retireGrace: 2 * HOUR + 300_000, jwksMaxAge: HOUR }
const now = Date.UTC(2026, 5, 1)
const key = (kid: string, state: TimelineKey['state'], publishedAgo: number): TimelineKey => ({
  kid, alg: 'ES256', state, createdAt: now - publishedAgo, publishedAt: now - publishedAgo,
  activatedAt: state === 'active' ? now - publishedAgo : null, retiredAt: null, removedAt: null,
})

test('confirmations state the consequence: a ready next key, a scheduled rotation, an emergency, a revocation', () => {
  const ready = consequenceOf('rotate', { alg: 'ES256' }, [key('A', 'active', 40 * 24 * HOUR), key('N', 'next', 5 * HOUR)], policy, now)
  assert.equal(ready.warning, false)
  assert.match(ready.lines.join(' '), /The next key N activates now \(published 5 hours ago/)
  assert.match(ready.lines.join(' '), /active ES256 key A is retired: it stops signing/)
  const young = [key('A', 'active', 40 * 24 * HOUR), key('N', 'next', 10 * 60_000)]
  const scheduled = consequenceOf('rotate', { alg: 'ES256' }, young, policy, now)
  assert.equal(scheduled.warning, false)
  assert.match(scheduled.lines.join(' '), /scheduled to activate at 2026-06-01 02:00:00 UTC \(in 2 hours\).*Until then the active key keeps signing/)
  const early = consequenceOf('rotate-now', { alg: 'ES256' }, young, policy, now)
  assert.equal(early.warning, true)
  assert.match(early.lines.join(' '), /Emergency rotation: .*refuse new tokens until they refetch/)
  const none = consequenceOf('rotate-now', { alg: 'ES256' }, [key('A', 'active', 40 * 24 * HOUR)], policy, now)
  assert.equal(none.warning, true)
  assert.match(none.lines.join(' '), /no next key .* created and signs at once/)
  assert.match(consequenceOf('rotate', { alg: 'ES256' }, [key('A', 'active', HOUR)], policy, now).lines.join(' '), /one is published now and takes over at/)
  const revoke = consequenceOf('revoke', { kid: 'N' }, [key('A', 'active', HOUR), key('N', 'next', HOUR)], policy, now)
  assert.equal(revoke.warning, true)
  assert.match(revoke.lines.join(' '), /leaves the published JWK Set at once.*cannot be undone/)
  const retireNext = consequenceOf('retire', { kid: 'N' }, [key('A', 'active', HOUR), key('N', 'next', HOUR)], policy, now)
  assert.match(retireNext.lines.join(' '), /never sign/)
  const retireActive = consequenceOf('retire', { kid: 'A' }, young, policy, now)
  assert.match(retireActive.lines.join(' '), /scheduled to activate .* Then it stops signing/)
  assert.deepEqual(actionsFor('active'), ['retire', 'revoke'])
  assert.deepEqual(actionsFor('retired'), ['revoke'])
  assert.deepEqual(actionsFor('revoked'), [])
})

test('the view: how to enable the admin API, and with data every key, its actions, the schedule, the timeline and the served set', async () => {
  const disabled = textOf(dashboardView({ mode: 'disabled', now }, { request() {}, zoom() {} }))
  assert.match(disabled, /JWKIT_ADMIN_TOKEN/)
  assert.match(disabled, /JWKIT_ADMIN_TOKEN_FILE/)
  const client = createAdminClient(nodeFetch, s.base + '/dashboard', () => ADMIN_TOKEN)
  const data = await client.list()
  const requests: string[] = []
  const view = dashboardView({ mode: 'ready', now: Date.now(), data, jwks: await client.jwks() }, { request: (a, t) => requests.push(`${a} ${t.kid ?? t.alg}`), zoom: (z) => requests.push(`zoom ${z}`) })
  const rows = findAll(view, (n) => n.tag === 'tr' && n.attrs['data-kid'] !== undefined)
  assert.equal(rows.length, data.keys.filter((k) => k.state !== 'removed').length)
  const buttons = findAll(view, (n) => n.tag === 'button')
  const rotate = buttons.filter((b) => b.attrs['data-action'] === 'rotate')
  assert.equal(rotate.length, 2, 'one Rotate per algorithm')
  assert.equal(buttons.filter((b) => b.attrs['data-action'] === 'rotate-now').length, 2, 'and one Rotate now')
  ;(rotate[0]!.attrs.onclick as () => void)()
  assert.deepEqual(requests, ['rotate ES256'])
  assert.equal(findAll(view, (n) => n.tag === 'svg').length, 1)
  const text = textOf(view)
  assert.match(text, /ETag/)
  assert.match(text, /reachable/)
  for (const b of buttons) assert.ok(typeof b.attrs['aria-label'] === 'string' && String(b.attrs['aria-label']).length > 6, 'every button names its target')
})
