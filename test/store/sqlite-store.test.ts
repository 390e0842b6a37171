import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { storeConformance } from './helpers/conformance.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

storeConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-sqlite-'))
  const url = `sqlite:${join(dir, 'keys.db')}`
  const env = { JWKIT_KEK: KEK }
  return {
    store: await openKeyStore(url, { env }),
    reopen: () => openKeyStore(url, { env }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

test('a new SQLite database and its WAL are owner-only (0600): they hold the sealed keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-sqlite-mode-'))
  try {
    const path = join(dir, 'data', 'keys.db')
    const store = await openKeyStore(`sqlite:${path}`, { env: { JWKIT_KEK: KEK } })
    const manager = createKeyManager(store)
    await manager.init() // writes keys, so the -wal file exists
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(statSync(`${path}-wal`).mode & 0o777, 0o600)
    await manager.close()
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
