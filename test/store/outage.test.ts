/**
 * Outage: a manager on PostgreSQL through a TCP proxy on loopback that the test closes. While
 * PostgreSQL is unreachable the manager keeps signing with the key it holds, keeps its published
 * set, reports storeReachable false; rotation waits and happens once the store is back.
 */
import assert from 'node:assert/strict'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import * as jose from 'jose'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { dropSchema, POSTGRES_URL, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const env = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
const DAY = 86_400_000

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
function proxy(target: URL) {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  const start = (port = 0) => new Promise<number>((resolve, reject) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      sockets.add(client).add(upstream)
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
      client.pipe(upstream).pipe(client)
    })
    server.on('error', reject)
    server.listen(port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port))
  })
  const cut = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy()
    sockets.clear()
    server!.close(() => resolve())
  })
  return { start, cut }
}

describe('store outage (PostgreSQL unreachable)', () => {
  it('keeps signing and publishing, reports it, and recovers', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('outage')
    const p = proxy(new URL(POSTGRES_URL))
    const port = await p.start()
    const url = new URL(POSTGRES_URL)
    url.host = `127.0.0.1:${port}`
    url.searchParams.set('schema', schema)
    let now = Date.now()
    const store = await openKeyStore(url.toString(), { env, connectTimeoutMs: 1000, queryTimeoutMs: 2000, listenRetryMs: 100 })
    const manager = createKeyManager(store, {}, { now: () => now, pollIntervalMs: 100 })
    try {
      await manager.init()
      const set = manager.publicJwks()
      const active = (await manager.activeKey()).kid
      await p.cut()
      now += 31 * DAY // a rotation is due, but the store is gone
      await assert.rejects(manager.tick(), (e: unknown) => (e as { code?: string }).code === 'ERR_STORE_UNAVAILABLE')
      const st = manager.status()
      assert.equal(st.storeReachable, false)
      assert.ok(st.storeErrors >= 1)
      const token = await manager.signJwt({ during: 'outage' })
      const { protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(manager.publicJwks() as jose.JSONWebKeySet), { currentDate: new Date(now) })
      assert.equal(protectedHeader.kid, active)
      assert.equal(manager.publicJwks(), set)
      await new Promise((r) => setTimeout(r, 300)) // polls fail meanwhile, without throwing anywhere
      assert.equal(manager.status().storeReachable, false)
      await p.start(port)
      const start = Date.now()
      while ((await manager.activeKey()).kid === active) {
        assert.ok(Date.now() - start < 8000, 'recovers and rotates once the store is back')
        await new Promise((r) => setTimeout(r, 50))
      }
      assert.equal(manager.status().storeReachable, true)
      assert.notEqual(manager.publicJwks(), set)
    } finally {
      await manager.close()
      await store.close()
      await p.cut().catch(() => {})
      await dropSchema(schema)
    }
  })
})
