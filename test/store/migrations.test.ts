import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { dropSchema, pgQuery, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const env = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c

describe('migrations', () => {
  it('are numbered 1, 2, ... in order', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1))
  })

  it('SQLite: applied once, recorded in jwkit_schema; a newer schema is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-mig-'))
    try {
      const path = join(dir, 'keys.db')
      await (await openKeyStore(`sqlite:${path}`, { env })).close()
      await (await openKeyStore(`sqlite:${path}`, { env })).close() // idempotent
      const db = new Database(path)
      assert.deepEqual(db.prepare('SELECT version FROM jwkit_schema ORDER BY version').all().map((r) => (r as { version: number }).version), MIGRATIONS.map((m) => m.version))
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      db.prepare('INSERT INTO jwkit_schema (version, applied_at) VALUES (?, 0)').run(LATEST_SCHEMA_VERSION + 1)
      db.close()
      await assert.rejects(openKeyStore(`sqlite:${path}`, { env }), code('ERR_STORE_SCHEMA_TOO_NEW'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: same schema, concurrent first opens migrate once; a newer schema is refused', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('mig')
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openKeyStore(schemaUrl(schema), { env })))
      await Promise.all(stores.map((s) => s.close()))
      const { rows } = await pgQuery(`SELECT version FROM "${schema}".jwkit_schema ORDER BY version`)
      assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version))
      await pgQuery(`INSERT INTO "${schema}".jwkit_schema (version, applied_at) VALUES ($1, 0)`, [LATEST_SCHEMA_VERSION + 1])
      await assert.rejects(openKeyStore(schemaUrl(schema), { env }), code('ERR_STORE_SCHEMA_TOO_NEW'))
    } finally {
      await dropSchema(schema)
    }
  })
})

describe('openKeyStore', () => {
  it('refuses unknown schemes and bad paths with ERR_STORE_URL_INVALID', async () => {
    for (const url of ['mysql://x', 'sqlite:', 'file:/tmp/x', '', 'postgres://[bad']) {
      await assert.rejects(openKeyStore(url, { env }), code('ERR_STORE_URL_INVALID'), url)
    }
    await assert.rejects(openKeyStore(`postgres://u@h/db?schema=Bad-Name`, { env }), code('ERR_STORE_URL_INVALID'))
  })
  it('PostgreSQL needs a configured KEK (ERR_KEK_MISSING); wrong types are TypeErrors', async () => {
    await assert.rejects(openKeyStore('postgres://postgres@127.0.0.1:5432/test', { env: {} }), code('ERR_KEK_MISSING'))
    await assert.rejects(openKeyStore(42 as unknown as string), TypeError)
  })
  it('an unreachable PostgreSQL is ERR_STORE_UNAVAILABLE, and the password never shows', async () => {
    await assert.rejects(openKeyStore('postgres://u:secret-password@127.0.0.1:1/db', { env, connectTimeoutMs: 2000 }), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'ERR_STORE_UNAVAILABLE')
      assert.ok(!(e as Error).message.includes('secret-password'))
      return true
    })
  })
})

describe('no password in a store label', () => {
  it('PostgreSQL: ?password= and ?sslpassword= never reach KeyStore.url (logged by the server)', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('redact')
    try {
      const base = schemaUrl(schema)
      const store = await openKeyStore(`${base}&password=hunter2-query&sslpassword=hunter2-ssl`, { env })
      try {
        assert.ok(!store.url.includes('hunter2'), store.url)
        assert.match(store.url, /password=\*\*\*/)
      } finally {
        await store.close()
      }
    } finally {
      await dropSchema(schema)
    }
  })
  it('a bad JWKIT_KEK value is never echoed', async () => {
    await assert.rejects(openKeyStore('memory:', { env: {} }).then(() => openKeyStore('postgres://u@127.0.0.1:1/db', { env: { JWKIT_KEK: 'hunter2-kek-value' } })), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'ERR_KEK_INVALID')
      assert.ok(!(e as Error).message.includes('hunter2'))
      return true
    })
  })
})
