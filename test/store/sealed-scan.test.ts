/**
 * Removed and revoked keys leave no sealed private material at rest: the sealed blobs of those
 * keys are looked for in the SQLite database file, its WAL (with free pages, which are part of
 * the file) and in every PostgreSQL row, after revoke and after removal. The blobs of the keys
 * still in use are found, so the scan can fail.
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
const T0 = 1_800_000_000_000

/** Runs a lifecycle with a revoke and a removal; returns the sealed blobs that must be gone and those that must stay. */
async function lifecycle(store: KeyStore): Promise<{ gone: Buffer[]; kept: Buffer[] }> {
  let now = T0
  const manager = createKeyManager(store, { algorithms: ['ES256', 'RS256'] }, { now: () => now, pollIntervalMs: 0, logger: { warn() {} } })
  await manager.init()
  const sealedOf = async () => new Map((await store.list()).map((r) => [r.kid, Buffer.from(r.sealed)]))
  now += manager.policy.prepublish
  await manager.rotate() // the first active keys retire
  const before = await sealedOf()
  const retired = manager.keys().filter((r) => r.state === 'retired').map((r) => r.kid)
  const revoked = manager.keys().find((r) => r.state === 'next' && r.alg === 'RS256')!.kid
  await manager.revoke(revoked)
  now += manager.policy.retireGrace
  await manager.tick() // the retired keys are removed
  await manager.close()
  const after = await store.list()
  for (const kid of [...retired, revoked]) assert.equal(after.find((r) => r.kid === kid)!.sealed.length, 0)
  const live = after.filter((r) => r.state === 'active' || r.state === 'next')
  assert.ok(retired.length === 2 && live.length >= 4)
  return { gone: [...retired, revoked].map((kid) => before.get(kid)!), kept: live.map((r) => Buffer.from(r.sealed)) }
}

describe('no sealed material of removed or revoked keys at rest', () => {
  it('SQLite: database file and WAL (free pages included)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-sealed-scan-'))
    try {
      const path = join(dir, 'keys.db')
      const store = await openKeyStore(`sqlite:${path}`, { env })
      const { gone, kept } = await lifecycle(store)
      const scan = () => {
        const files = [path, `${path}-wal`].filter(existsSync).map((f) => [f, readFileSync(f)] as const)
        for (const [f, bytes] of files) for (const blob of gone) assert.equal(bytes.indexOf(blob), -1, `${f}: a shredded sealed key is still there`)
        const all = Buffer.concat(files.map(([, b]) => b))
        for (const blob of kept) assert.notEqual(all.indexOf(blob), -1, 'the sealed keys in use are found (the scan can fail)')
      }
      scan() // while open
      await store.close()
      scan() // after the last checkpoint
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: every row of every jwkit table', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('sealscan')
    try {
      const store = await openKeyStore(schemaUrl(schema), { env })
      const { gone, kept } = await lifecycle(store)
      await store.close()
      const texts: string[] = []
      for (const table of ['jwkit_keys', 'jwkit_meta', 'jwkit_schema']) {
        const { rows } = await pgQuery(`SELECT * FROM "${schema}".${table}`)
        texts.push(rows.map((row) => Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))).join('|')).join('\n'))
      }
      const text = texts.join('\n')
      for (const blob of gone) assert.ok(!text.includes(blob.toString('hex')), 'a shredded sealed key is still in a row')
      for (const blob of kept) assert.ok(text.includes(blob.toString('hex')), 'the sealed keys in use are found')
    } finally {
      await dropSchema(schema)
    }
  })
})
