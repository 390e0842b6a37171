/**
 * Many instances on one store: a due rotation happens once however many processes race for it
 * (SQLite file and PostgreSQL), a key made by one instance signs in another (same KEK), and a
 * `jwk keys rotate` in another process shows in a running manager's set within the poll interval.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import * as jose from 'jose'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import type { KeyManager } from '../../src/store/types.ts'
import { dropSchema, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'
import { CHILD, CLI, lines, runTs } from './helpers/spawn.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const env = { JWKIT_KEK: KEK }
const T0 = 1_800_000_000_000
const DAY = 86_400_000
const PROCESSES = 4

async function bootstrap(url: string): Promise<void> {
  const store = await openKeyStore(url, { env })
  const m = createKeyManager(store, {}, { now: () => T0, pollIntervalMs: 0 })
  await m.init()
  await m.close()
  await store.close()
}

async function raceProcesses(url: string, dir: string): Promise<void> {
  await bootstrap(url)
  const go = join(dir, `go-${Math.random()}`)
  const children = Array.from({ length: PROCESSES }, () => runTs(CHILD, ['race', url, go], { ...env, JWKIT_NOW: String(T0 + 31 * DAY) }))
  await new Promise((r) => setTimeout(r, 1500)) // let every child load and open the store
  writeFileSync(go, '')
  const results = await Promise.all(children)
  for (const r of results) assert.equal(r.code, 0, r.stderr.slice(0, 500))
  const rotations = results.map((r) => lines<{ rotations: number }>(r.stdout)[0]!.rotations)
  assert.equal(rotations.reduce((a, b) => a + b, 0), 1, `exactly one rotation, got ${rotations}`)
  const store = await openKeyStore(url, { env })
  try {
    const states = (await store.list()).map((r) => r.state).sort()
    assert.deepEqual(states, ['active', 'next', 'retired'])
  } finally {
    await store.close()
  }
}

async function waitFor(what: string, fn: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now()
  while (!fn()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return Date.now() - start
}

async function rotateFromCli(url: string, manager: KeyManager, pollIntervalMs: number): Promise<void> {
  const before = manager.publicJwks()
  const active = (await manager.activeKey()).kid
  const r = await runTs(CLI, ['keys', 'rotate', '--now', '--store', url], env)
  assert.equal(r.code, 0, r.stderr)
  const waited = await waitFor('the rotation to show', () => manager.publicJwks() !== before, pollIntervalMs + 1000)
  assert.ok(waited <= pollIntervalMs + 1000)
  assert.notEqual((await manager.activeKey()).kid, active)
  // The key the CLI made signs here (same KEK), and verifies from the published set.
  const token = await manager.signJwt({ from: 'other process' })
  await jose.jwtVerify(token, jose.createLocalJWKSet(manager.publicJwks() as jose.JSONWebKeySet))
}

describe('many instances on one store', () => {
  it('SQLite file: N racing processes rotate exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-race-'))
    try {
      await raceProcesses(`sqlite:${join(dir, 'keys.db')}`, dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: N racing processes rotate exactly once', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('race')
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-race-'))
    try {
      await raceProcesses(schemaUrl(schema), dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await dropSchema(schema)
    }
  })

  it('PostgreSQL: managers with separate pools tick at once; one rotation, all see it', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('pools')
    const url = schemaUrl(schema)
    try {
      await bootstrap(url)
      const stores = await Promise.all([1, 2, 3, 4, 5].map(() => openKeyStore(url, { env })))
      const managers = stores.map((s) => createKeyManager(s, {}, { now: () => T0 + 31 * DAY, pollIntervalMs: 0, autoTick: false }))
      await Promise.all(managers.map((m) => m.init()))
      const applied = await Promise.all(managers.map((m) => m.tick()))
      assert.equal(applied.reduce((a, b) => a + b, 0), 3) // retire + activate + create next, once
      const actives = new Set(await Promise.all(managers.map(async (m) => (await m.activeKey()).kid)))
      assert.equal(actives.size, 1)
      await Promise.all(managers.map((m) => m.close()))
      await Promise.all(stores.map((s) => s.close()))
    } finally {
      await dropSchema(schema)
    }
  })

  it('SQLite: `jwk keys rotate` in another process shows in a running manager within the poll interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-cli-'))
    const url = `sqlite:${join(dir, 'keys.db')}`
    const store = await openKeyStore(url, { env })
    const manager = createKeyManager(store, {}, { pollIntervalMs: 200, autoTick: false })
    try {
      await manager.init()
      await rotateFromCli(url, manager, 200)
    } finally {
      await manager.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: a rotation elsewhere arrives by NOTIFY well before the poll interval', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('notify')
    const url = schemaUrl(schema)
    const store = await openKeyStore(url, { env })
    const manager = createKeyManager(store, {}, { pollIntervalMs: 60_000, autoTick: false })
    try {
      await manager.init()
      await new Promise((r) => setTimeout(r, 200)) // LISTEN is set up asynchronously
      await rotateFromCli(url, manager, 0)
    } finally {
      await manager.close()
      await store.close()
      await dropSchema(schema)
    }
  })
})
