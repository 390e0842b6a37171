/**
 * store/store-sync alone, and through the manager: a change that arrives while a poll is running
 * is polled again when that poll ends, never dropped.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { createStoreSync } from '../../src/store/store-sync.ts'
import type { KeyStore } from '../../src/store/types.ts'
import { fakeRecord } from './helpers/conformance.ts'

/** A store whose list() takes its snapshot, then waits for `release()`: a slow poll. */
async function slowStore(): Promise<{ store: KeyStore; inner: KeyStore; hold(): void; release(): void; listing: () => boolean }> {
  const inner = await openKeyStore('memory:')
  let gate: Promise<void> | undefined
  let open: (() => void) | undefined
  let listing = false
  const store: KeyStore = {
    ...inner,
    async list() {
      const snapshot = await inner.list()
      if (gate) {
        listing = true
        await gate
        listing = false
      }
      return snapshot
    },
  }
  return {
    store, inner, listing: () => listing,
    hold() { gate = new Promise((r) => { open = r }) },
    release() { gate = undefined; open?.() },
  }
}

const until = async (what: string, fn: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms
  while (!fn()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('store-sync', () => {
  it('alone: loads on a version change, keeps the last records when the store fails, coalesces polls', async () => {
    const s = await slowStore()
    const loads: string[][] = []
    const sync = createStoreSync(s.store, { now: () => 42, onLoad: (list) => loads.push(list.map((r) => r.kid)) })
    await sync.sync(true)
    assert.deepEqual(loads, [[]])
    await sync.sync() // same version: no reload
    assert.equal(loads.length, 1)
    await s.inner.insert(fakeRecord('a', 'retired'))
    s.hold()
    const first = sync.poll()
    await until('the slow list', s.listing)
    await s.inner.insert(fakeRecord('b', 'retired', 1_700_000_000_001))
    const second = sync.poll() // arrives mid-poll
    s.release()
    await Promise.all([first, second])
    assert.deepEqual(loads.at(-1), ['a', 'b'])
    assert.equal(sync.status.lastSyncAt, 42)
    await s.inner.close()
    await assert.rejects(sync.sync(true))
    assert.equal(sync.status.storeReachable, false)
    assert.deepEqual(sync.records().map((r) => r.kid), ['a', 'b'])
    sync.stop()
  })

  it('through the manager: a NOTIFY (watch callback) during a poll is not dropped', async () => {
    const s = await slowStore()
    const manager = createKeyManager(s.store, {}, { pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
    await manager.init()
    s.hold()
    await s.inner.insert(fakeRecord('a', 'retired')) // the watch fires a poll, which lists slowly
    await until('the slow list', s.listing)
    await s.inner.insert(fakeRecord('b', 'retired', 1_700_000_000_001)) // fires while that poll runs
    s.release()
    await until('the second change', () => manager.keys().some((r) => r.kid === 'b'))
    await manager.close()
    await s.inner.close()
  })
})
