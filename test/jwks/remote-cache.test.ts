// Persistence across restarts and cold starts: memory and file adapters; a cache is never trusted.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryCache, toCacheEntry, type JwksCacheEntry } from '../../src/jwks/cache-adapter.ts'
import { createFileCache } from '../../src/jwks/file-cache.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { startServer } from './http-server.ts'
import { makeKeys, manualClock, set, token } from './remote-fixtures.ts'

const server = await startServer()
const dir = await mkdtemp(join(tmpdir(), 'jwkit-cache-'))
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})
const { k1, k2 } = await makeKeys('k1', 'k2')
const t1 = await token(k1!)

function serve(path: string, headers: Record<string, string> = { 'cache-control': 'max-age=600', etag: '"e1"' }) {
  server.handle((req) => {
    if (req.path !== path) return { status: 404 }
    if (req.headers['if-none-match'] === headers.etag) return { status: 304, headers }
    return { body: set(k1!), headers }
  })
  return () => server.count(path)
}

test('file cache: a restarted source verifies from the file with no request while it is fresh', async () => {
  const count = serve('/a')
  const file = join(dir, 'a.json')
  const clock = manualClock()
  const first = createRemoteJwks(server.url('/a'), { now: clock.now, cache: createFileCache(file) })
  await verifyJwt(t1, first)
  assert.equal(count(), 1)
  const saved = toCacheEntry(JSON.parse(await readFile(file, 'utf8')))!
  assert.equal(saved.etag, '"e1"')
  assert.equal(saved.url, server.url('/a'))
  assert.equal(saved.freshUntil, clock.now() + 600_000)
  // No temp file is left behind by the atomic write.
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('a.json')), ['a.json'])

  clock.advance(60_000)
  const restarted = createRemoteJwks(server.url('/a'), { now: clock.now, cache: createFileCache(file) })
  await verifyJwt(t1, restarted)
  assert.equal(count(), 1)
  assert.equal(restarted.stats.fetches, 0)
  // Once stale, the restarted source revalidates with the cached ETag: 304, no body.
  clock.advance(600_000)
  await verifyJwt(t1, restarted)
  assert.equal(count(), 2)
  assert.equal(server.requests.at(-1)!.headers['if-none-match'], '"e1"')
  assert.equal(restarted.stats.notModified, 1)
})

test('cold start during an outage with a stale cache file: serves the cached set (stale-if-error)', async () => {
  const file = join(dir, 'b.json')
  const clock = manualClock()
  serve('/b')
  await verifyJwt(t1, createRemoteJwks(server.url('/b'), { now: clock.now, cache: createFileCache(file) }))
  server.handle(() => ({ status: 503 }))
  clock.advance(3_600_000)
  const cold = createRemoteJwks(server.url('/b'), { now: clock.now, cache: createFileCache(file) })
  await verifyJwt(t1, cold)
  assert.equal(cold.stats.failing, true)
  assert.equal(cold.stats.lastError?.code, 'ERR_JWKS_FETCH_FAILED')
})

test('a corrupt, foreign or tampered cache file is treated as empty', async () => {
  const count = serve('/c')
  const good: JwksCacheEntry = { jwks: set(k2!), fetchedAt: 1, freshUntil: Number.MAX_SAFE_INTEGER, url: server.url('/c') }
  const corrupt: Array<[string, string]> = [
    ['truncated', '{"jwks": {"keys": ['],
    ['not JSON', '\u0000\u0001garbage'],
    ['wrong shape', JSON.stringify({ keys: [k2!.public] })],
    ['duplicate names', '{"jwks": {"keys": []}, "jwks": {"keys": []}, "fetchedAt": 1, "freshUntil": 1}'],
    ['bad times', JSON.stringify({ ...good, freshUntil: 'tomorrow' })],
    ['no usable key', JSON.stringify({ ...good, jwks: { keys: [{ kty: 'XYZ' }] } })],
    ['another URL', JSON.stringify({ ...good, url: server.url('/elsewhere') })],
    ['private key planted', JSON.stringify({ ...good, jwks: { keys: [k2!.private] } })],
  ]
  for (const [name, text] of corrupt) {
    const file = join(dir, `c-${corrupt.indexOf(corrupt.find((c) => c[0] === name)!)}.json`)
    await writeFile(file, text)
    const before = count()
    const jwks = createRemoteJwks(server.url('/c'), { cache: createFileCache(file) })
    await verifyJwt(t1, jwks)
    assert.equal(count() - before, 1, name)
    assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['k1'], name)
    // The file now holds the fetched set.
    assert.equal(toCacheEntry(JSON.parse(await readFile(file, 'utf8')))?.url, server.url('/c'), name)
  }
  // A missing file, and a directory where the file should be, are empty caches too.
  assert.equal(await createFileCache(join(dir, 'missing.json')).get(), undefined)
  assert.equal(await createFileCache(dir).get(), undefined)
  assert.throws(() => createFileCache(''), TypeError)
})

test('memory cache: shared between two sources, the second makes no request', async () => {
  const count = serve('/d')
  const cache = createMemoryCache()
  await verifyJwt(t1, createRemoteJwks(server.url('/d'), { cache }))
  const second = createRemoteJwks(server.url('/d'), { cache })
  await verifyJwt(t1, second)
  assert.equal(count(), 1)
})

test('an adapter that throws on get and set does not stop verification', async () => {
  const count = serve('/e')
  const jwks = createRemoteJwks(server.url('/e'), {
    cache: { get: () => { throw new Error('down') }, set: async () => { throw new Error('down') } },
  })
  await verifyJwt(t1, jwks)
  await verifyJwt(t1, jwks)
  assert.equal(count(), 1)
})
