/**
 * Key store and manager bench: signing a JWT with the manager's active key (ES256) against
 * jose `SignJWT` and the node:crypto floor (one ECDSA sign over a prepared signing input);
 * sealing / unsealing a private JWK (AES-256-GCM) against a bare AES-GCM round; the per-poll
 * cost of a manager (version() + tick() with nothing due) on SQLite and, when reachable, PostgreSQL.
 * Medians (p50) of the per-call latency.
 * Run: node --import tsx bench/store.ts   (or npm run bench store)
 */
import { createCipheriv, createPrivateKey, randomBytes, sign } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as jose from 'jose'
import { createKeyManager } from '../src/store/key-manager.ts'
import { openKeyStore } from '../src/store/open-key-store.ts'
import type { KeyStore } from '../src/store/types.ts'
import { invokedDirectly, measure, ratioTable, type Row } from './lib.ts'

async function pollCost(store: KeyStore) {
  const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false })
  await manager.init()
  return { manager, poll: async () => { await store.version(); await manager.tick() } }
}

export async function run(): Promise<void> {
  const env = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-bench-'))
  const sqlite = await openKeyStore(`sqlite:${join(dir, 'keys.db')}`, { env })
  const { manager, poll } = await pollCost(sqlite)
  const active = await manager.activeKey()
  const privateJwk = sqlite.sealer!.unseal(active.kid, active.sealed)
  const keyObject = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  const signingInput = Buffer.from('eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiJhbGljZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ')
  const rows: Row[] = []
  rows.push(...(await measure('sign a JWT (ES256, active key)', {
    'floor: crypto.sign over the signing input': () => sign('sha256', signingInput, { key: keyObject, dsaEncoding: 'ieee-p1363' }),
    'jwkit manager.signJwt': () => manager.signJwt({ sub: 'alice' }),
    'jose SignJWT': () => new jose.SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256', kid: active.kid }).setIssuedAt().setExpirationTime('1h').sign(keyObject),
  })))
  const kek = randomBytes(32)
  const plain = Buffer.from(JSON.stringify(privateJwk))
  const sealed = sqlite.sealer!.seal(active.kid, privateJwk).sealed
  rows.push(...(await measure('seal + unseal a private JWK', {
    'floor: AES-256-GCM encrypt (no parse)': () => {
      const c = createCipheriv('aes-256-gcm', kek, randomBytes(12))
      c.update(plain)
      c.final()
      return c.getAuthTag()
    },
    'jwkit sealer.seal': () => sqlite.sealer!.seal(active.kid, privateJwk),
    'jwkit sealer.unseal (decrypt + strict JSON)': () => sqlite.sealer!.unseal(active.kid, sealed),
  })))
  const pollRows: Row[] = await measure('manager poll (version + tick, nothing due)', {
    'jwkit SQLite': poll,
  })
  let pg: { store: KeyStore; schema: string } | undefined
  try {
    const schema = `jwkit_bench_${process.pid}`
    const store = await openKeyStore(`postgres://postgres@127.0.0.1:5432/test?schema=${schema}`, { env, connectTimeoutMs: 2000 })
    pg = { store, schema }
    const p = await pollCost(store)
    pollRows.push(...(await measure('manager poll (version + tick, nothing due)', { 'jwkit PostgreSQL (loopback)': p.poll })))
    await p.manager.close()
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`)
  }
  console.table(ratioTable(rows))
  console.table(pollRows.map((r) => ({ group: r.group, task: r.task, 'median µs': r.medianUs.toFixed(2) })))
  await manager.close()
  await sqlite.close()
  if (pg) {
    const { default: pgModule } = await import('pg')
    const c = new pgModule.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' })
    await c.connect()
    await c.query(`DROP SCHEMA IF EXISTS "${pg.schema}" CASCADE`)
    await c.end()
    await pg.store.close()
  }
  rmSync(dir, { recursive: true, force: true })
}

if (invokedDirectly(import.meta.url)) await run()
