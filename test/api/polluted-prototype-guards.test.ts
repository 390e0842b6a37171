// A polluted Object.prototype changes no decision of the relying-party guards (src/guard/) and
// the Redis JWK Set cache: the scenarios of polluted-prototype.test.ts for the functions listed
// in GUARD_FUNCTIONS (pollution.ts), in a file of their own to keep each file's run time short.
// Each scenario returns what was decided: a claim, a status with its error code and challenge, a
// replay answer. Redis is the real one at 127.0.0.1:6379, under a key prefix of this run.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createClient } from 'redis'
import * as main from '../../src/index.ts'
import { isJwkitError } from '../../src/errors.ts'
import { GUARD_FUNCTIONS, claims, headerOf, payloadOf, pollutionTests, requestMembers, type Scenario } from './pollution.ts'

const api = main

// ---- fixtures (made before any pollution) ----
const NOW = Math.floor(Date.now() / 1000)
const es = await api.generateJwk('ES256', { kid: 'es' })
const esPublic = api.toPublicJwk(es)
const GUARD_ISSUER = 'https://issuer.example'
const HTU = 'https://api.example/resource'
const localKeys = api.createLocalJwks({ keys: [esPublic] })
const clientKey = await api.generateJwk('ES256')
const bearer = await api.signJwt({ iss: GUARD_ISSUER, aud: 'rp', sub: 'alice', scope: 'read', exp: NOW + 600, iat: NOW }, es)
const bearerExpired = await api.signJwt({ iss: GUARD_ISSUER, aud: 'rp', sub: 'alice', scope: 'read', exp: NOW - 600, iat: NOW - 1200 }, es)
const probe = await api.verifyDpopProof(await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU }), { method: 'GET', url: HTU, replayCache: api.createMemoryReplayCache() })
const bound = await api.signJwt({ iss: GUARD_ISSUER, aud: 'rp', sub: 'alice', scope: 'read', cnf: { jkt: probe.jkt }, exp: NOW + 600, iat: NOW }, es)
const certBound = await api.signJwt({ iss: GUARD_ISSUER, aud: 'rp', sub: 'alice', cnf: { 'x5t#S256': 'x'.repeat(43) }, exp: NOW + 600, iat: NOW }, es)
const proof = await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU })
const proofAth = await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU, accessToken: bound })
const proofOld = await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU, iat: new Date(Date.now() - 900_000) })
const { kty, crv, x, y } = api.toPublicJwk(clientKey) as Record<string, unknown>
const proofNoJti = await api.signJwt({ htm: 'GET', htu: HTU }, clientKey, { alg: 'ES256', typ: 'dpop+jwt', iat: new Date(), protectedHeader: { jwk: { kty, crv, x, y } } })
const nonces = api.createDpopNonces({ secret: new Uint8Array(32).fill(7) })
const proofNonce = await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU, nonce: nonces.current() })
const spent = api.createMemoryReplayCache()
const proofSpent = await api.createDpopProof(clientKey, { htm: 'GET', htu: HTU, accessToken: bound })
await api.verifyDpopProof(proofSpent, { method: 'GET', url: HTU, replayCache: spent })
const fresh = () => api.createMemoryReplayCache()
// fetch Requests are made here: undici's Request constructor reads its init dictionary through
// the prototype (a Node limit, not jwkit's); a GET Request can be given to the guard many times.
const fetchBearer = new Request(HTU, { headers: { authorization: `Bearer ${bearer}` } })
const fetchExpired = new Request(HTU, { headers: { authorization: `Bearer ${bearerExpired}` } })
const fetchNone = new Request(HTU)
const fetchDpop = new Request(HTU, { headers: { authorization: `DPoP ${bound}`, dpop: proofAth } })
/** The handler's Response init, complete: undici reads a missing `headers` through the prototype. */
const RESPONSE_INIT = { status: 200, statusText: 'OK', headers: {} }
const guardBase = { keys: localKeys, issuer: GUARD_ISSUER, audience: 'rp' }
const request = (authorization: string, extra: Record<string, string> = {}, url = HTU) => ({ method: 'GET', url, headers: { authorization, ...extra } })
/** What a guard decided: the scheme, subject and binding, or the status, code and challenge. */
async function guarded(work: Promise<main.AccessTokenResult>): Promise<string> {
  try {
    const r = await work
    // The result's own members (a caller reading r.jkt on a polluted prototype is the caller's affair).
    return `ok ${r.scheme} ${r.claims.sub} ${Object.hasOwn(r, 'jkt') ? r.jkt : '-'} ${Object.hasOwn(r, 'dpopNonce') ? r.dpopNonce : '-'}`
  } catch (error) {
    if (api.isGuardError(error)) return `${error.status} ${error.code} ${error.wwwAuthenticate ?? '-'}`
    throw error
  }
}
/** A refusal's code and path (which claim was at fault). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work
    return 'accepted'
  } catch (error) {
    if (isJwkitError(error)) return `${error.code} ${error.path ?? ''}`
    throw error
  }
}
const atHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url')
const idClaims = { iss: GUARD_ISSUER, aud: 'client', sub: 'alice', exp: NOW + 600, iat: NOW, nonce: 'n-1', auth_time: NOW - 60, at_hash: atHash('at-1') }
const idToken = await api.signJwt(idClaims, es)
const idTokenExpired = await api.signJwt({ ...idClaims, exp: NOW - 600, iat: NOW - 1200 }, es)
const { auth_time: _a, ...noAuthTime } = idClaims
const idTokenNoAuthTime = await api.signJwt(noAuthTime, es)
const idTokenTwoAudiences = await api.signJwt({ ...idClaims, aud: ['client', 'other'] }, es)
const idTokenAzp = await api.signJwt({ ...idClaims, aud: ['client', 'other'], azp: 'client' }, es)
const redis = createClient({ url: 'redis://127.0.0.1:6379' })
await redis.connect()
const closedRedis = createClient({ url: 'redis://127.0.0.1:6379' })
await closedRedis.connect()
await closedRedis.quit()
const REDIS_PREFIX = `jwkit-test:pollution:${process.pid}:${Date.now()}:`
let redisN = 0
const redisKey = () => `${REDIS_PREFIX}${++redisN}`
const jwksEntry = { jwks: { keys: [esPublic] }, fetchedAt: Date.now(), freshUntil: Date.now() + 60_000, url: 'https://issuer.example/jwks' }

/** Scenarios per guard function: each returns what it decided (or throws). */
const SCENARIOS: Record<string, Scenario[]> = {
  createRedisJwksCache: [
    async () => {
      const key = redisKey()
      const cache = api.createRedisJwksCache(redis, { key })
      await cache.set(jwksEntry)
      const got = await cache.get()
      const ttl = await redis.pTTL(key)
      return `${got?.jwks.keys.length} ${ttl > 23 * 3_600_000 && ttl <= 24 * 3_600_000}`
    },
    async () => {
      const key = redisKey()
      const cache = api.createRedisJwksCache(redis, { key, ttlMs: 60_000, lockMs: 5000, pollMs: 10, timeoutMs: 2000 })
      const before = await cache.beforeFetch!({ reason: 'initial', fetchedAt: undefined })
      await cache.set(jwksEntry)
      return `${before === undefined} ${(await cache.get())?.jwks.keys.length} ${await redis.exists(key + ':lock')} ${(await redis.pTTL(key)) <= 60_000}`
    },
    async () => { const errors: string[] = []; const cache = api.createRedisJwksCache(closedRedis, { key: redisKey(), onError: (e) => errors.push((e as Error).name) }); return `${await cache.get()} ${errors.length}` },
  ],
  createMemoryReplayCache: [
    () => { const c = api.createMemoryReplayCache(); return [c.claim('a', 60_000), c.claim('a', 60_000), c.claim('b', 60_000)] },
    () => { const c = api.createMemoryReplayCache({ maxEntries: 2 }); return [c.claim('a', 60_000), c.claim('b', 60_000), c.claim('c', 60_000), c.claim('a', 60_000), c.claim('c', 60_000)] },
    () => { let t = 0; const c = api.createMemoryReplayCache({ now: () => t }); const r = [c.claim('a', 10), c.claim('a', 10)]; t = 11; return [...r, c.claim('a', 10)] },
  ],
  createRedisReplayCache: [
    async () => { const prefix = redisKey(); const c = api.createRedisReplayCache(redis, { prefix }); return [await c.claim('j', 60_000), await c.claim('j', 60_000), await redis.exists(prefix + 'j')] },
    async () => { const c = api.createRedisReplayCache(redis); const j = redisKey(); const r = [await c.claim(j, 60_000), await c.claim(j, 60_000), await redis.exists('jwkit:dpop:' + j)]; await redis.del('jwkit:dpop:' + j); return r },
    async () => api.createRedisReplayCache(closedRedis).claim(redisKey(), 60_000),
    async () => { const c = api.createRedisReplayCache(closedRedis, { onUnavailable: 'memory', onError: () => {} }); const j = redisKey(); return [await c.claim(j, 60_000), await c.claim(j, 60_000)] },
  ],
  createDpopNonces: [
    () => { const n = api.createDpopNonces({ secret: new Uint8Array(32).fill(1), now: () => 1_700_000_000_000 }); return [n.current(), n.check(n.current()), n.check('A'.repeat(32))] },
    () => { const n = api.createDpopNonces(); return [n.check(n.current()), n.check('A'.repeat(32))] },
  ],
  createDpopProof: [
    async () => { const p = await api.createDpopProof(clientKey, { htm: 'GET', htu: `${HTU}?q=1` }); const c = JSON.parse(Buffer.from(p.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>; return `${headerOf(p)} ${payloadOf(p)} ${c.htm} ${c.htu}` },
    async () => { const p = await api.createDpopProof(clientKey, { htm: 'POST', htu: HTU, accessToken: 'at', nonce: 'n', alg: 'ES256', claims: { extra: 1 } }); const c = JSON.parse(Buffer.from(p.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>; return `${payloadOf(p)} ${c.ath} ${c.nonce}` },
  ],
  verifyDpopProof: [
    async () => (await api.verifyDpopProof(proof, { method: 'GET', url: HTU, replayCache: fresh() })).jkt,
    async () => (await api.verifyDpopProof(proofAth, { method: 'GET', url: HTU, accessToken: bound, replayCache: fresh(), maxAge: 60, clockTolerance: 1 })).jkt,
    () => refusal(api.verifyDpopProof(proofSpent, { method: 'GET', url: HTU, replayCache: spent })),
    () => refusal(api.verifyDpopProof(proofOld, { method: 'GET', url: HTU, replayCache: fresh() })),
    () => refusal(api.verifyDpopProof(proof, { method: 'POST', url: HTU, replayCache: fresh() })),
    () => refusal(api.verifyDpopProof(proof, { method: 'GET', url: 'https://api.example/other', replayCache: fresh() })),
    () => refusal(api.verifyDpopProof(proof, { method: 'GET', url: HTU, accessToken: bound, replayCache: fresh() })),
    () => refusal(api.verifyDpopProof(proof, { method: 'GET', url: HTU, nonces, replayCache: fresh() })),
    async () => (await api.verifyDpopProof(proofNonce, { method: 'GET', url: HTU, nonces, replayCache: fresh() })).jkt,
    () => refusal(api.verifyDpopProof(proof, { method: 'GET', url: HTU, algorithms: ['ES384'], replayCache: fresh() })),
    () => refusal(api.verifyDpopProof(proofNoJti, { method: 'GET', url: HTU, replayCache: fresh() })),
  ],
  verifyAccessToken: [
    () => guarded(api.verifyAccessToken(request(`Bearer ${bearer}`), guardBase)),
    () => guarded(api.verifyAccessToken(request(`Bearer ${bearerExpired}`), guardBase)),
    () => guarded(api.verifyAccessToken(request(`Bearer ${bearer}`), { ...guardBase, scopes: ['admin'], realm: 'api' })),
    () => guarded(api.verifyAccessToken(request(`Bearer ${bearer}`), { ...guardBase, scopes: ['read'], profile: undefined })),
    () => guarded(api.verifyAccessToken(request(`Bearer ${bound}`), { ...guardBase, dpop: true })),
    () => guarded(api.verifyAccessToken(request(`DPoP ${bound}`, { dpop: proofAth }), { ...guardBase, dpop: { replayCache: fresh() } })),
    () => guarded(api.verifyAccessToken(request(`DPoP ${bound}`, { dpop: proofSpent }), { ...guardBase, dpop: { replayCache: spent } })),
    () => guarded(api.verifyAccessToken(request(`DPoP ${bound}`, { dpop: proofAth }), guardBase)),
    () => guarded(api.verifyAccessToken(request('', {}, `${HTU}?access_token=${bearer}`), guardBase)),
    () => guarded(api.verifyAccessToken(request(`Bearer ${certBound}`), guardBase)),
  ],
  withAccessToken: [
    async () => {
      const handler = api.withAccessToken(async (_req, auth) => new Response(`hello ${auth.claims.sub}`, RESPONSE_INIT), guardBase)
      const answers = [await handler(fetchBearer), await handler(fetchExpired), await handler(fetchNone)]
      return Promise.all(answers.map(async (r) => `${r.status} ${r.headers.get('www-authenticate')} ${await r.text()}`))
    },
    async () => {
      const handler = api.withAccessToken(async () => new Response('ok', RESPONSE_INIT), { ...guardBase, dpop: { replayCache: fresh() } })
      const r = await handler(fetchDpop)
      return `${r.status} ${r.headers.get('www-authenticate')}`
    },
  ],
  verifyIdToken: [
    async () => (await api.verifyIdToken(idToken, localKeys, { issuer: GUARD_ISSUER, audience: 'client' })).claims.sub,
    async () => (await api.verifyIdToken(idToken, localKeys, { issuer: GUARD_ISSUER, audience: 'client', nonce: 'n-1', maxAge: 3600, accessToken: 'at-1', algorithms: ['ES256'], clockTolerance: 5 })).claims.sub,
    () => refusal(api.verifyIdToken(idToken, localKeys, { issuer: GUARD_ISSUER, audience: 'client', nonce: 'n-2' })),
    () => refusal(api.verifyIdToken(idToken, localKeys, { issuer: GUARD_ISSUER, audience: 'client', maxAge: 10 })),
    () => refusal(api.verifyIdToken(idToken, localKeys, { issuer: GUARD_ISSUER, audience: 'client', accessToken: 'at-2' })),
    () => refusal(api.verifyIdToken(idTokenNoAuthTime, localKeys, { issuer: GUARD_ISSUER, audience: 'client', maxAge: 3600 })),
    () => refusal(api.verifyIdToken(idTokenExpired, localKeys, { issuer: GUARD_ISSUER, audience: 'client' })),
    () => refusal(api.verifyIdToken(idTokenTwoAudiences, localKeys, { issuer: GUARD_ISSUER, audience: 'client' })),
    async () => (await api.verifyIdToken(idTokenAzp, localKeys, { issuer: GUARD_ISSUER, audience: 'client' })).claims.sub,
  ],
}

/**
 * Beside their options, the guards read members of untrusted objects by name: the DPoP proof's
 * header and claims, the access token's claims and its `cnf` binding, and the request (a plain
 * object, an IncomingMessage or a fetch Request). The JWS layer under them (verifyJwt) is polluted
 * with every header member in polluted-prototype.test.ts; here, to keep the run short, the header
 * members the guards themselves decide on. The access token's signature and claims go through
 * verifyJwt too: its own claim checks are covered there, the binding and scope reads here.
 */
const PROOF_HEADER = ['alg', 'typ', 'jwk', 'kid']
const UNTRUSTED_MEMBERS: Record<string, readonly string[]> = {
  verifyDpopProof: [...PROOF_HEADER, ...claims, 'htm', 'htu', 'ath', 'nonce'],
  verifyAccessToken: [...claims, 'cnf', 'jkt', 'x5t#S256', 'scope', ...requestMembers],
  withAccessToken: requestMembers,
  verifyIdToken: [...PROOF_HEADER, ...claims, 'azp', 'nonce', 'auth_time', 'at_hash', 'c_hash'],
}

test('this file covers exactly the guard functions (the others are in polluted-prototype.test.ts)', () => {
  assert.deepEqual(Object.keys(SCENARIOS).sort(), [...GUARD_FUNCTIONS].sort())
})

pollutionTests(SCENARIOS, UNTRUSTED_MEMBERS)

after(async () => {
  for (const key of await redis.keys(`${REDIS_PREFIX}*`)) await redis.del(key)
  await redis.quit()
})
