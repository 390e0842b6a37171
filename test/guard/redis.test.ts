// Redis for many instances, for real: the shared Redis at 127.0.0.1:6379 (replay across two
// processes; one JWK Set fetch across five instances) and a private redis-server on another
// loopback port that this test starts and stops mid-run (never the shared one).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { createClient } from 'redis'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { createRedisJwksCache } from '../../src/jwks/redis-cache.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { createDpopProof } from '../../src/guard/create-proof.ts'
import { createRedisReplayCache } from '../../src/guard/redis-replay-cache.ts'
import { verifyAccessToken } from '../../src/guard/access-token.ts'
import { AUDIENCE, ISSUER, accessToken, clientJkt, clientKey, issuerKey, keys, refused } from './helpers.ts'

const SHARED = 'redis://127.0.0.1:6379'
const run = randomBytes(6).toString('hex')
const cleanups: Array<() => Promise<unknown> | unknown> = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function redisClient(url: string, disableOfflineQueue = false) {
  const client = createClient({ url, disableOfflineQueue, socket: { reconnectStrategy: (n: number) => Math.min(50 * (n + 1), 200) } })
  client.on('error', () => undefined)
  await client.connect()
  cleanups.push(() => client.destroy())
  return client
}

async function startResourceServer(prefix: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/resource-server.ts', import.meta.url).pathname], {
    env: { ...process.env, REDIS_URL: SHARED, REDIS_PREFIX: prefix, JWKS: JSON.stringify({ keys: [toPublicJwk(issuerKey)] }), ISSUER, AUDIENCE },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  cleanups.push(() => child.kill('SIGTERM'))
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  return { url: line, child }
}

test('replay across two processes sharing Redis: a proof accepted by one instance is refused by the other', { timeout: 120_000 }, async () => {
  const prefix = `jwkit-test:${run}:dpop:`
  const [a, b] = await Promise.all([startResourceServer(prefix), startResourceServer(prefix)])
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const send = async (base: string, proof: string) => {
    const res = await fetch(base + '/things', { headers: { authorization: `DPoP ${token}`, dpop: proof } })
    return { status: res.status, www: res.headers.get('www-authenticate'), body: (await res.json()) as { code?: string; pid?: number } }
  }
  const proof = await createDpopProof(clientKey, { htm: 'GET', htu: 'https://api.example/things', accessToken: token })
  const first = await send(a.url, proof)
  assert.equal(first.status, 200, JSON.stringify(first.body))
  assert.equal(first.body.pid, a.child.pid)
  const replay = await send(b.url, proof)
  assert.equal(replay.status, 401)
  assert.equal(replay.body.code, 'ERR_DPOP_PROOF_REPLAYED')
  assert.match(replay.www!, /^Bearer, DPoP error="invalid_dpop_proof", error_description="DPoP proof jti was already used"/)
  // And back to the first instance: refused there too.
  assert.equal((await send(a.url, proof)).body.code, 'ERR_DPOP_PROOF_REPLAYED')
  // A fresh proof passes on the second instance: the shared key is per proof, not per token.
  const fresh = await send(b.url, await createDpopProof(clientKey, { htm: 'GET', htu: 'https://api.example/things', accessToken: token }))
  assert.deepEqual([fresh.status, fresh.body.pid], [200, b.child.pid])
  // The key in Redis expires with the proof window (SET NX PX).
  const client = await redisClient(SHARED)
  const found = await client.keys(`${prefix}*`)
  assert.equal(found.length, 2)
  const ttl = await client.pTTL(found[0]!)
  assert.ok(ttl > 290_000 && ttl <= 310_000, String(ttl))
  await client.del(found)
})

test('one JWK Set fetch across five instances through Redis (cold start, then an unknown kid after rotation)', { timeout: 60_000 }, async () => {
  const first = await generateJwk('ES256', { kid: 'k1' })
  const second = await generateJwk('ES256', { kid: 'k2' })
  let published = [toPublicJwk(first)]
  let hits = 0
  const server = createServer((_req, res) => {
    hits++
    // A slow identity provider: the others must wait on the lock, not fetch.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(JSON.stringify({ keys: published })), 150)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  const key = `jwkit-test:${run}:jwks`
  const instances = await Promise.all(Array.from({ length: 5 }, async () => createRemoteJwks(url, { cache: createRedisJwksCache(await redisClient(SHARED), { key, pollMs: 20 }), cooldownMs: 0 })))
  cleanups.push(async () => (await redisClient(SHARED)).del([key, key + ':lock']))
  const t1 = await signJwt({ sub: 'a' }, first, { kid: 'k1', expiresIn: 60 })
  await Promise.all(instances.map((jwks) => verifyJwt(t1, jwks)))
  assert.equal(hits, 1)
  // Rotation: a token under a new kid reaches every instance at once.
  published = [toPublicJwk(second), toPublicJwk(first)]
  const t2 = await signJwt({ sub: 'b' }, second, { kid: 'k2', expiresIn: 60 })
  await Promise.all(instances.map((jwks) => verifyJwt(t2, jwks)))
  assert.equal(hits, 2)
  // A new instance starts from Redis: no fetch at all.
  const late = createRemoteJwks(url, { cache: createRedisJwksCache(await redisClient(SHARED), { key }) })
  await verifyJwt(t2, late)
  assert.equal(hits, 2)
})

test('a failed fetch releases the lock: the next instance fetches at once, still one at a time', { timeout: 60_000 }, async () => {
  const k = await generateJwk('ES256', { kid: 'k1' })
  let hits = 0
  const server = createServer((_req, res) => {
    hits++
    // The first request fails (the identity provider is down for a moment), later ones succeed.
    setTimeout(() => (hits === 1 ? res.writeHead(500).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [toPublicJwk(k)] }))), 100)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  const key = `jwkit-test:${run}:jwks-fail`
  cleanups.push(async () => (await redisClient(SHARED)).del([key, key + ':lock']))
  const instances = await Promise.all(Array.from({ length: 5 }, async () => createRemoteJwks(url, { cache: createRedisJwksCache(await redisClient(SHARED), { key, pollMs: 20, lockMs: 10_000 }) })))
  const token = await signJwt({ sub: 'a' }, k, { kid: 'k1', expiresIn: 60 })
  const started = Date.now()
  const outcomes = await Promise.allSettled(instances.map((jwks) => verifyJwt(token, jwks)))
  // One instance saw the failure; the next took the lock at once (not after 10 s) and fetched for the rest.
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'])
  assert.equal(hits, 2)
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
})

test('ioredis works as the client too (its call()), and shares the jti keys with node-redis', { timeout: 60_000 }, async () => {
  const { Redis } = await import('ioredis')
  const io = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 })
  await io.connect()
  cleanups.push(() => io.disconnect())
  const prefix = `jwkit-test:${run}:io:`
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const url = 'https://api.example/things'
  const viaIo = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { replayCache: createRedisReplayCache(io, { prefix }) } }
  const viaNode = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { replayCache: createRedisReplayCache(await redisClient(SHARED), { prefix }) } }
  const request = { method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await createDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token }) } }
  await verifyAccessToken(request, viaIo)
  await refused(verifyAccessToken(request, viaIo), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' })
  await refused(verifyAccessToken(request, viaNode), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' })
  // The JWK Set cache and its lock through ioredis: three instances, one fetch.
  const k = await generateJwk('ES256', { kid: 'io-1' })
  let hits = 0
  const server = createServer((_q, res) => {
    hits++
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [toPublicJwk(k)] })), 100)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  const key = `jwkit-test:${run}:io-jwks`
  cleanups.push(() => io.del(key, key + ':lock'))
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  const instances = Array.from({ length: 3 }, () => createRemoteJwks(jwksUrl, { cache: createRedisJwksCache(io, { key, pollMs: 20 }) }))
  const t = await signJwt({ sub: 'io' }, k, { kid: 'io-1', expiresIn: 60 })
  await Promise.all(instances.map((jwks) => verifyJwt(t, jwks)))
  assert.equal(hits, 1)
  const keysLeft = await io.keys(`${prefix}*`)
  if (keysLeft.length > 0) await io.del(...keysLeft)
})

const redisServer = spawnSync('which', ['redis-server']).status === 0

test('Redis stopped mid-run: reject mode refuses (503) instead of accepting unchecked; memory mode keeps refusing local replays and reports every failure; both recover', { skip: !redisServer && 'redis-server is not installed', timeout: 120_000 }, async () => {
  let port = 0
  const start = async (): Promise<ChildProcess | undefined> => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] })
    cleanups.push(() => child.kill('SIGKILL'))
    for await (const chunk of child.stdout!) if (String(chunk).includes('Ready to accept connections')) return child
    return undefined // it exited: the port was taken
  }
  let server: ChildProcess | undefined
  for (let attempt = 0; attempt < 5 && server === undefined; attempt++) {
    port = 20_000 + Math.floor(Math.random() * 20_000)
    server = await start()
  }
  assert.ok(server, 'a private redis-server started')
  const client = await redisClient(`redis://127.0.0.1:${port}`)
  // Without an offline queue, a command sent during the outage is dropped, not replayed on reconnect.
  const noQueue = await redisClient(`redis://127.0.0.1:${port}`, true)
  const errors: unknown[] = []
  const strict = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { replayCache: createRedisReplayCache(client, { timeoutMs: 300 }) } }
  const lenient = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { replayCache: createRedisReplayCache(noQueue, { timeoutMs: 300, onUnavailable: 'memory', onError: (e) => errors.push(e) }) } }
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const url = 'https://api.example/things'
  const request = async () => ({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await createDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token }) } })
  const live = await request()
  await verifyAccessToken(live, strict)
  await refused(verifyAccessToken(live, strict), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' })

  server!.kill('SIGKILL') // our own private server, by its pid
  await once(server!, 'exit')
  const started = Date.now()
  await refused(verifyAccessToken(await request(), strict), { status: 503, code: 'ERR_REPLAY_CACHE_UNAVAILABLE', www: undefined })
  assert.ok(Date.now() - started < 3000, 'the deadline bounds the wait')
  // memory mode: a new proof passes, its replay to this instance is refused, every failure is reported.
  const during = await request()
  await verifyAccessToken(during, lenient)
  await refused(verifyAccessToken(during, lenient), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' })
  assert.equal(errors.length, 2)

  server = await start()
  assert.ok(server, 'the private redis-server restarted on its port')
  for (let i = 0; i < 100 && !(client.isReady && noQueue.isReady); i++) await new Promise((r) => setTimeout(r, 50))
  assert.ok(client.isReady && noQueue.isReady, 'the clients reconnected')
  await verifyAccessToken(await request(), strict)
  // A jti seen only during the outage stays refused here once Redis is back.
  await refused(verifyAccessToken(during, lenient), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' })
  const after = await request()
  await verifyAccessToken(after, lenient)
  await refused(verifyAccessToken(after, strict), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED' }) // it reached Redis

  // The JWK Set cache falls back to fetching itself when Redis goes away.
  server!.kill('SIGKILL')
  await once(server!, 'exit')
  const jwksServer = createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [toPublicJwk(issuerKey)] })))
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => jwksServer.close(resolve)))
  const remote = createRemoteJwks(`http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`, { cache: createRedisJwksCache(client, { timeoutMs: 200 }) })
  const ok = await verifyAccessToken({ method: 'GET', url, headers: { authorization: `Bearer ${await accessToken()}` } }, { keys: remote, issuer: ISSUER, audience: AUDIENCE })
  assert.equal(ok.scheme, 'Bearer')
})
