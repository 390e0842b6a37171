/**
 * No private key material at rest in plaintext: the SQLite file (with its WAL) and every
 * PostgreSQL row are scanned for private member names and values, and for PEM armour.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import type { KeyStore } from '../../src/store/types.ts'
import { dropSchema, pgQuery, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const env = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'priv']

/** Fills a store with keys of several types; returns every private member value it holds. */
async function fill(store: KeyStore): Promise<string[]> {
  const manager = createKeyManager(store, { algorithms: ['ES256', 'EdDSA', 'RS256'] }, { pollIntervalMs: 0 })
  await manager.init()
  await manager.rotate({ now: true }) // retired keys too
  await manager.close()
  const secrets: string[] = []
  for (const r of await store.list()) {
    const jwk = store.sealer!.unseal(r.kid, r.sealed) as unknown as Record<string, unknown>
    for (const m of PRIVATE_MEMBERS) if (typeof jwk[m] === 'string') secrets.push(jwk[m] as string)
  }
  assert.ok(secrets.length >= 6 * 1 + 2 * 5)
  return secrets
}

function scan(text: string, secrets: string[], where: string): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `${where}: a private member value in plaintext`)
    assert.ok(!text.includes(Buffer.from(s, 'base64url').toString('latin1')), `${where}: raw private key bytes`)
  }
  for (const m of PRIVATE_MEMBERS) assert.ok(!text.includes(`"${m}":`), `${where}: private member "${m}"`)
  assert.ok(!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text), `${where}: PEM`)
}

describe('no private key in plaintext at rest', () => {
  it('SQLite: the database file and its WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-scan-'))
    try {
      const path = join(dir, 'keys.db')
      const store = await openKeyStore(`sqlite:${path}`, { env })
      const secrets = await fill(store)
      // Scan while open (the WAL holds the recent writes), then after the checkpoint on close.
      for (const f of [path, `${path}-wal`]) if (existsSync(f)) scan(readFileSync(f).toString('latin1'), secrets, f)
      await store.close()
      scan(readFileSync(path).toString('latin1'), secrets, path)
      // The scan can fail: the public members are there in plaintext.
      assert.ok(readFileSync(path).toString('latin1').includes('"kty":"EC"'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: every row of every jwkit table', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('scan')
    try {
      const store = await openKeyStore(schemaUrl(schema), { env })
      const secrets = await fill(store)
      await store.close()
      for (const table of ['jwkit_keys', 'jwkit_meta', 'jwkit_schema']) {
        const { rows } = await pgQuery(`SELECT * FROM "${schema}".${table}`)
        const text = rows.map((row) => Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') + v.toString('hex') : String(v))).join('|')).join('\n')
        scan(text, secrets, table)
      }
      const { rows } = await pgQuery(`SELECT public_jwk FROM "${schema}".jwkit_keys`)
      assert.ok(rows.length >= 9)
    } finally {
      await dropSchema(schema)
    }
  })
})
