/**
 * Lost state is refused, never papered over: a database whose KEK file is gone, a 0-byte or
 * foreign database file, a store that does not exist (read-only opens create nothing), and a
 * path whose directory cannot be created (at once, not in a loop).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { dropSchema, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const dir = mkdtempSync(join(tmpdir(), 'jwkit-lost-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const quiet = { warn() {} }
const env = {} // no JWKIT_KEK: the embedded default (a KEK file beside the database)

const refused = (code: string, ...patterns: RegExp[]) => (e: unknown) => {
  assert.equal((e as { code?: string }).code, code, (e as Error).message)
  for (const p of patterns) assert.match((e as Error).message, p)
  return true
}

async function withKeys(path: string): Promise<void> {
  const store = await openKeyStore(`sqlite:${path}`, { env, logger: quiet })
  const manager = createKeyManager(store, {}, { pollIntervalMs: 0, logger: quiet })
  await manager.init()
  await manager.close()
  await store.close()
}

describe('lost state is refused', () => {
  it('a missing KEK file beside a database with sealed keys is ERR_KEK_MISSING saying so; no new KEK is made', async () => {
    const sub = join(dir, 'kek-gone')
    const path = join(sub, 'keys.db')
    await withKeys(path)
    unlinkSync(join(sub, 'kek'))
    await assert.rejects(openKeyStore(`sqlite:${path}`, { env, logger: quiet }), refused('ERR_KEK_MISSING', /holds 2 sealed keys but its KEK file .*kek is missing/, /JWKIT_KEK/))
    assert.ok(!existsSync(join(sub, 'kek')), 'no new KEK created')
  })

  it('a database without keys gets a new KEK file (the first use)', async () => {
    const sub = join(dir, 'fresh')
    const store = await openKeyStore(`sqlite:${join(sub, 'keys.db')}`, { env, logger: quiet })
    await store.close()
    assert.ok(existsSync(join(sub, 'kek')))
    // Gone again before any key was made: still nothing to lose, a new KEK is fine.
    unlinkSync(join(sub, 'kek'))
    await (await openKeyStore(`sqlite:${join(sub, 'keys.db')}`, { env, logger: quiet })).close()
    assert.ok(existsSync(join(sub, 'kek')))
  })

  it('a 0-byte, non-SQLite or foreign SQLite file is ERR_STORE_UNAVAILABLE naming the file, left untouched', async () => {
    const empty = join(dir, 'empty.db')
    writeFileSync(empty, '')
    await assert.rejects(openKeyStore(`sqlite:${empty}`, { env, logger: quiet }), refused('ERR_STORE_UNAVAILABLE', /empty\.db is an empty file, not a jwkit key store; refusing to initialise it/))
    const text = join(dir, 'notes.db')
    writeFileSync(text, 'these are not keys\n')
    await assert.rejects(openKeyStore(`sqlite:${text}`, { env, logger: quiet }), refused('ERR_STORE_UNAVAILABLE', /notes\.db is not an SQLite database/))
    const foreign = join(dir, 'app.db')
    const db = new Database(foreign)
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)')
    db.close()
    await assert.rejects(openKeyStore(`sqlite:${foreign}`, { env, logger: quiet }), refused('ERR_STORE_UNAVAILABLE', /app\.db holds no jwkit key store/))
    const check = new Database(foreign)
    assert.deepEqual(check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all().map((r) => (r as { name: string }).name), ['users'])
    check.close()
    assert.ok(!existsSync(join(dir, 'kek')), 'no KEK was created for a refused file')
  })

  it('mustExist: a missing store is "does not exist", and no directory, database or KEK is created', async () => {
    const sub = join(dir, 'typo', 'deeper')
    await assert.rejects(openKeyStore(`sqlite:${join(sub, 'keys.db')}`, { env, logger: quiet, mustExist: true }), refused('ERR_STORE_MISSING', /keys\.db does not exist/))
    assert.ok(!existsSync(join(dir, 'typo')))
    // An existing store without keys opens read-only without a KEK file being created.
    const path = join(dir, 'ro', 'keys.db')
    await (await openKeyStore(`sqlite:${path}`, { env: { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }, logger: quiet })).close()
    const store = await openKeyStore(`sqlite:${path}`, { env, logger: quiet, mustExist: true })
    assert.deepEqual(await store.list(), [])
    await store.close()
    assert.deepEqual(readdirSync(join(dir, 'ro')).filter((f) => f === 'kek'), [])
  })

  it('PostgreSQL, mustExist: a schema without jwkit tables is "does not exist" and is not created', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('missing')
    try {
      await assert.rejects(openKeyStore(schemaUrl(schema), { env: { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }, mustExist: true }), refused('ERR_STORE_MISSING', /does not exist/))
      const created = await openKeyStore(schemaUrl(schema), { env: { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' } })
      await created.close()
    } finally {
      await dropSchema(schema)
    }
  })

  it('publicOnly reads public keys without a KEK (SQLite whose KEK file is gone; PostgreSQL without JWKIT_KEK) and refuses to seal or unseal', async (t) => {
    const sub = join(dir, 'public-only')
    const path = join(sub, 'keys.db')
    await withKeys(path)
    unlinkSync(join(sub, 'kek'))
    const store = await openKeyStore(`sqlite:${path}`, { env, logger: quiet, mustExist: true, publicOnly: true })
    try {
      const records = await store.list()
      assert.equal(records.length, 2)
      assert.ok(records.every((r) => typeof r.publicJwk.x === 'string' && !('d' in r.publicJwk)))
      assert.throws(() => store.sealer!.unseal(records[0]!.kid, records[0]!.sealed), refused('ERR_KEK_MISSING', /opened for public keys only/))
      assert.throws(() => store.sealer!.seal('k', { kty: 'oct', k: 'AAAA' }), refused('ERR_KEK_MISSING'))
      // a key manager needs the private keys: it is refused, and changes nothing
      const manager = createKeyManager(store, {}, { pollIntervalMs: 0, logger: quiet })
      await assert.rejects(manager.init(), refused('ERR_KEK_MISSING'))
      await manager.close()
      assert.deepEqual((await store.list()).map((r) => [r.kid, r.state]), records.map((r) => [r.kid, r.state]))
    } finally {
      await store.close()
    }
    assert.ok(!existsSync(join(sub, 'kek')), 'no KEK file made')

    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('public')
    const kek = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
    try {
      const sealed = await openKeyStore(schemaUrl(schema), { env: kek, logger: quiet })
      const manager = createKeyManager(sealed, {}, { pollIntervalMs: 0, logger: quiet })
      await manager.init()
      await manager.close()
      await sealed.close()
      await assert.rejects(openKeyStore(schemaUrl(schema), { env: {}, mustExist: true }), refused('ERR_KEK_MISSING'))
      const reader = await openKeyStore(schemaUrl(schema), { env: {}, logger: quiet, mustExist: true, publicOnly: true })
      try {
        const records = await reader.list()
        assert.deepEqual(records.map((r) => r.state).sort(), ['active', 'next'])
        assert.throws(() => reader.sealer!.unseal(records[0]!.kid, records[0]!.sealed), refused('ERR_KEK_MISSING'))
      } finally {
        await reader.close()
      }
    } finally {
      await dropSchema(schema)
    }
  })

  it('a path under /proc, or whose directory cannot be made, fails at once', async () => {
    const start = Date.now()
    for (const path of ['/proc/jwkit-test/deeper/keys.db', '/proc/self/jwkit/keys.db', '/dev/null/keys.db']) {
      await assert.rejects(openKeyStore(`sqlite:${path}`, { env, logger: quiet }), refused('ERR_STORE_UNAVAILABLE'), path)
    }
    assert.ok(Date.now() - start < 5_000, 'no spinning loop')
  })
})
