/**
 * Crash test: a child process runs a lifecycle (init, rotate, tick, tick, revoke) and SIGKILLs
 * itself at an injected point; the store, re-opened, must be consistent: at most one active key
 * per alg (exactly one once any key exists), no key lost that a committed step reported, every
 * row whole (its sealed private key opens), and a manager can take over and sign.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import type { KeyStore } from '../../src/store/types.ts'
import { dropSchema, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'
import { CHILD, lines, runTs } from './helpers/spawn.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const env = { JWKIT_KEK: KEK }

// Store steps (SQLite) and manager steps, each at its n-th occurrence in the child's run.
const SQLITE_POINTS = [
  'begin:1', 'planned:1', 'insert:1', 'action:create:1', 'insert:2', 'before-commit:1', 'after-commit:1',
  'update:1', 'action:activate:2', 'before-commit:2', 'after-commit:2', 'update:3', 'insert:4', 'before-commit:3',
  'update:6', 'before-commit:4', 'update:7', 'before-commit:5',
]
const POSTGRES_POINTS = ['action:create:1', 'action:create:2', 'action:activate:2', 'action:retire:1', 'action:create:4']

async function checkConsistent(store: KeyStore, reported: string[]): Promise<void> {
  const records = await store.list()
  const kids = new Set(records.map((r) => r.kid))
  for (const kid of reported) assert.ok(kids.has(kid), `key ${kid} lost`)
  const active = records.filter((r) => r.state === 'active')
  if (records.length > 0) assert.equal(active.length, 1, 'exactly one active key')
  for (const r of records) {
    if (r.state === 'removed' || r.state === 'revoked') {
      assert.equal(r.sealed.length, 0) // crypto-shredded with its row's publication
      continue
    }
    const jwk = store.sealer!.unseal(r.kid, r.sealed) as { d?: string; kid?: string }
    assert.equal(typeof jwk.d, 'string', 'a whole private key')
    assert.equal(jwk.kid, r.kid)
    assert.equal(r.publicJwk.kid, r.kid)
  }
  const manager = createKeyManager(store, {}, { pollIntervalMs: 0, logger: { warn() {} } })
  await manager.init()
  assert.equal(manager.keys().filter((r) => r.state === 'active').length, 1)
  assert.equal(typeof (await manager.signJwt({ after: 'crash' })), 'string')
  await manager.close()
}

async function crashAt(url: string, point: string): Promise<string[]> {
  const result = await runTs(CHILD, ['crash', url], { ...env, JWKIT_CRASH_AT: point })
  assert.equal(result.signal, 'SIGKILL', `the child reached ${point} (stderr: ${result.stderr.slice(0, 300)})`)
  const reports = lines<{ kids: string[] }>(result.stdout)
  return reports.at(-1)?.kids ?? []
}

/** Runs tasks two at a time (the machine is shared). */
/** Re-opens the store the crashed process left and checks it against what that process reported. */
async function checkReopened(url: string, reported: string[]): Promise<void> {
  const store = await openKeyStore(url, { env })
  try {
    await checkConsistent(store, reported)
  } finally {
    await store.close()
  }
}

async function inPairs<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(fn))
}

describe('crash at any point of a rotation (kill -9)', () => {
  it('SQLite: the re-opened store is consistent at every injected point', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jwkit-crash-'))
    try {
      await inPairs(SQLITE_POINTS, async (point) => {
        const url = `sqlite:${join(root, point.replace(/:/g, '_'), 'keys.db')}`
        await checkReopened(url, await crashAt(url, point))
      })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: the re-opened store is consistent at every injected point', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    await inPairs(POSTGRES_POINTS, async (point) => {
      const schema = uniqueSchema('crash')
      try {
        const url = schemaUrl(schema)
        await checkReopened(url, await crashAt(url, point))
      } finally {
        await dropSchema(schema)
      }
    })
  })
})
