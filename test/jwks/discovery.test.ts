// OpenID Connect Discovery 1.0 and RFC 8414 against a loopback server: by issuer, exact match, cached.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileCache } from '../../src/jwks/cache-adapter.ts'
import { discover } from '../../src/jwks/discovery.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { startServer, type Reply } from './http-server.ts'
import { makeKeys, manualClock, set, token } from './remote-fixtures.ts'

const server = await startServer()
const dir = await mkdtemp(join(tmpdir(), 'jwkit-discovery-'))
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})
const { k1, k2 } = await makeKeys('k1', 'k2')
const t1 = await token(k1!)
const t2 = await token(k2!)
const OIDC = '/.well-known/openid-configuration'
const OAUTH = '/.well-known/oauth-authorization-server'

function routes(table: Record<string, () => Reply>) {
  server.handle((req) => table[req.path]?.() ?? { status: 404 })
}
const policy = { timeoutMs: 1_000, maxResponseBytes: 65_536, cacheMaxAgeMs: 600_000, minTtlMs: 60_000, maxTtlMs: 86_400_000, now: Date.now }

test('OIDC Discovery §4: the issuer\'s openid-configuration names the jwks_uri; tokens verify', async () => {
  const issuer = server.origin
  routes({
    [OIDC]: () => ({ body: { issuer, jwks_uri: server.url('/keys-a'), token_endpoint: server.url('/token') } }),
    '/keys-a': () => ({ body: set(k1!) }),
  })
  const before = { d: server.count(OIDC), k: server.count('/keys-a') }
  const jwks = createRemoteJwks({ issuer })
  await verifyJwt(t1, jwks)
  await verifyJwt(t1, jwks)
  assert.equal(server.count(OIDC) - before.d, 1)
  assert.equal(server.count('/keys-a') - before.k, 1)
  assert.equal(jwks.metadata()?.['token_endpoint'], server.url('/token'))
  assert.equal(jwks.stats.discoveryFetches, 1)
  assert.equal(jwks.stats.url, server.url('/keys-a'))
})

test('RFC 8414 §3.1: falls back to oauth-authorization-server, inserted before the issuer path', async () => {
  const issuer = server.url('/tenant/one')
  routes({
    [`${OAUTH}/tenant/one`]: () => ({ body: { issuer, jwks_uri: server.url('/keys-b') } }),
    '/keys-b': () => ({ body: set(k1!) }),
  })
  const jwks = createRemoteJwks({ issuer })
  await verifyJwt(t1, jwks)
  assert.equal(server.count(`/tenant/one${OIDC}`), 1) // tried first, 404
  assert.equal(server.count(`${OAUTH}/tenant/one`), 1)
  assert.equal(server.count('/keys-b'), 1)
})

test('the document\'s issuer must equal the configured one exactly; no fallback then', async () => {
  const issuer = server.url('/x')
  for (const other of [issuer + '/', server.url('/X'), server.url('/y'), issuer.replace('127.0.0.1', 'localhost')]) {
    routes({ [`/x${OIDC}`]: () => ({ body: { issuer: other, jwks_uri: server.url('/keys-c') } }), '/keys-c': () => ({ body: set(k1!) }) })
    const before = server.count(`${OAUTH}/x`)
    await assert.rejects(verifyJwt(t1, createRemoteJwks({ issuer })), { code: 'ERR_DISCOVERY_ISSUER_MISMATCH' }, other)
    assert.equal(server.count(`${OAUTH}/x`), before)
  }
  assert.equal(server.count('/keys-c'), 0)
})

test('malformed documents are ERR_DISCOVERY_INVALID; a jwks_uri the URL policy refuses is ERR_JWKS_URL_NOT_ALLOWED', async () => {
  const issuer = server.url('/m')
  const cases: Array<[unknown, string]> = [
    ['{"issuer": ', 'ERR_DISCOVERY_INVALID'],
    [[1, 2], 'ERR_DISCOVERY_INVALID'],
    [{ issuer }, 'ERR_DISCOVERY_INVALID'],
    [{ issuer, jwks_uri: 42 }, 'ERR_DISCOVERY_INVALID'],
    [{ issuer: 7, jwks_uri: server.url('/k') }, 'ERR_DISCOVERY_INVALID'],
    [{ issuer, jwks_uri: 'http://keys.example/jwks' }, 'ERR_JWKS_URL_NOT_ALLOWED'],
    [{ issuer, jwks_uri: 'file:///etc/jwks.json' }, 'ERR_JWKS_URL_NOT_ALLOWED'],
    [{ issuer, jwks_uri: '/relative' }, 'ERR_JWKS_URL_NOT_ALLOWED'],
  ]
  for (const [body, code] of cases) {
    routes({ [`/m${OIDC}`]: () => ({ body: typeof body === 'string' ? body : (body as object) }) })
    await assert.rejects(discover(issuer, policy), { code }, JSON.stringify(body))
  }
  // An outage of the OIDC location is not a reason to try RFC 8414.
  routes({ [`/m${OIDC}`]: () => ({ status: 500 }) })
  const before = server.count(`${OAUTH}/m`)
  await assert.rejects(discover(issuer, policy), { code: 'ERR_JWKS_FETCH_FAILED' })
  assert.equal(server.count(`${OAUTH}/m`), before)
  // Bad issuers are refused when the source is created.
  assert.throws(() => createRemoteJwks({ issuer: 'http://op.example' }), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  assert.throws(() => createRemoteJwks({ issuer: server.url('/?tenant=a') }), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  assert.throws(() => createRemoteJwks({ issuer: 42 } as never), TypeError)
})

test('the discovery document is cached by its own freshness; a failing discovery keeps the last jwks_uri', async () => {
  const issuer = server.url('/c')
  let keys = set(k1!)
  let discoveryDown = false
  routes({
    [`/c${OIDC}`]: () => (discoveryDown ? { status: 503 } : { body: { issuer, jwks_uri: server.url('/keys-d') }, headers: { 'cache-control': 'max-age=3600' } }),
    '/keys-d': () => ({ body: keys, headers: { 'cache-control': 'max-age=60' } }),
  })
  const clock = manualClock()
  const jwks = createRemoteJwks({ issuer }, { now: clock.now })
  await verifyJwt(t1, jwks)
  clock.advance(61_000) // the set is stale, the document is not
  await verifyJwt(t1, jwks)
  assert.equal(server.count(`/c${OIDC}`), 1)
  assert.equal(server.count('/keys-d'), 2)
  clock.advance(3_600_000) // both stale; discovery fails: the last jwks_uri is used
  discoveryDown = true
  keys = set(k1!, k2!)
  await verifyJwt(t2, jwks)
  assert.equal(server.count(`/c${OIDC}`), 2)
  assert.equal(server.count('/keys-d'), 3)
  assert.equal(jwks.stats.lastError?.code, 'ERR_JWKS_FETCH_FAILED')
})

test('the discovery result persists in the cache adapter: a restarted source makes no request', async () => {
  const issuer = server.url('/p')
  routes({ [`/p${OIDC}`]: () => ({ body: { issuer, jwks_uri: server.url('/keys-p') } }), '/keys-p': () => ({ body: set(k1!) }) })
  const file = join(dir, 'p.json')
  const clock = manualClock()
  await verifyJwt(t1, createRemoteJwks({ issuer }, { now: clock.now, cache: createFileCache(file) }))
  const total = server.count()
  const restarted = createRemoteJwks({ issuer }, { now: clock.now, cache: createFileCache(file) })
  await verifyJwt(t1, restarted)
  assert.equal(server.count(), total)
  // A cache written for another issuer is ignored.
  const other = server.url('/q')
  routes({ [`/q${OIDC}`]: () => ({ body: { issuer: other, jwks_uri: server.url('/keys-q') } }), '/keys-q': () => ({ body: set(k1!) }) })
  await verifyJwt(t1, createRemoteJwks({ issuer: other }, { now: clock.now, cache: createFileCache(file) }))
  assert.equal(server.count(`/q${OIDC}`), 1)
})

test('caller headers are for the issuer\'s origin: a jwks_uri on another origin gets none (createRemoteJwks and fetchJwks)', async () => {
  const keys = await startServer(() => ({ body: set(k1!) }))
  try {
    const issuer = server.origin
    routes({
      [OIDC]: () => ({ body: { issuer, jwks_uri: keys.url('/jwks') } }),
    })
    const headers = { authorization: 'Bearer issuer-only', 'x-tenant': 't1' }
    await verifyJwt(t1, createRemoteJwks({ issuer }, { headers }))
    assert.equal(server.requests.at(-1)!.path, OIDC)
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer issuer-only')
    assert.equal(keys.requests.at(-1)!.headers.authorization, undefined)
    assert.equal(keys.requests.at(-1)!.headers['x-tenant'], undefined)
    const { fetchJwks } = await import('../../src/jwks/fetch-jwks.ts')
    const seen = keys.count()
    await fetchJwks({ issuer }, { headers })
    assert.equal(keys.count(), seen + 1)
    assert.equal(keys.requests.at(-1)!.headers.authorization, undefined)
    // A JWK Set URL configured directly is its own origin: the headers go there.
    await fetchJwks(keys.url('/jwks'), { headers })
    assert.equal(keys.requests.at(-1)!.headers.authorization, 'Bearer issuer-only')
  } finally {
    await keys.close()
  }
})
