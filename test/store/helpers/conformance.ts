/**
 * @module test/store/helpers/conformance
 * One conformance suite for every KeyStore backend, run unchanged against memory, SQLite and
 * PostgreSQL: pass a factory that opens a fresh, empty store.
 */
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import type { KeyRecord, KeyState, KeyStore } from '../../../src/store/types.ts'

export interface StoreUnderTest {
  store: KeyStore
  /** Opens the same store again (another connection), when the backend persists. */
  reopen?: () => Promise<KeyStore>
  cleanup: () => Promise<void>
}

/** A record with a fake (but well-formed) EC public key. */
export function fakeRecord(kid: string, state: KeyState = 'next', at = 1_700_000_000_000, alg = 'ES256'): KeyRecord {
  return {
    kid, alg, state,
    createdAt: at,
    publishedAt: at,
    activatedAt: state === 'active' ? at : null,
    retiredAt: null,
    removedAt: null,
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid, alg, use: 'sig' },
    sealed: new Uint8Array([1, 2, 3, kid.length]),
    kekId: 'kek-1',
  }
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.equal((e as { code?: string }).code, code)
    return true
  })
}

export function storeConformance(name: string, open: () => Promise<StoreUnderTest>, skip: () => Promise<string | false> = async () => false): void {
  describe(`KeyStore conformance: ${name}`, () => {
    const withStore = (title: string, fn: (s: StoreUnderTest, t: TestContext) => Promise<void>) =>
      it(title, async (t) => {
        const reason = await skip()
        if (reason) return t.skip(reason)
        const s = await open()
        try {
          await fn(s, t)
        } finally {
          await s.store.close().catch(() => {})
          await s.cleanup()
        }
      })

    withStore('starts empty, with a version and a sealer', async ({ store }) => {
      assert.deepEqual(await store.list(), [])
      assert.equal(await store.get('nope'), undefined)
      assert.equal(typeof (await store.version()), 'string')
      assert.ok(store.sealer)
      assert.ok(!store.url.includes('secret-password'))
    })

    withStore('round-trips a record exactly', async ({ store }) => {
      const r = { ...fakeRecord('k1', 'active'), retiredAt: null, sealed: new Uint8Array([0, 255, 7, 0]) }
      await store.insert(r)
      assert.deepEqual(await store.get('k1'), r)
      assert.deepEqual(await store.list(), [r])
    })

    withStore('lists in createdAt order', async ({ store }) => {
      await store.insert(fakeRecord('b', 'next', 3000))
      await store.insert(fakeRecord('a', 'next', 2000))
      await store.insert(fakeRecord('c', 'next', 1000))
      assert.deepEqual((await store.list()).map((r) => r.kid), ['c', 'a', 'b'])
    })

    withStore('refuses a duplicate kid with ERR_STORE_KID_CONFLICT', async ({ store }) => {
      await store.insert(fakeRecord('dup'))
      await rejectsCode(store.insert(fakeRecord('dup', 'retired')), 'ERR_STORE_KID_CONFLICT')
      assert.equal((await store.list()).length, 1)
    })

    withStore('refuses a private member in the public JWK', async ({ store }) => {
      const r = fakeRecord('p')
      r.publicJwk = { ...r.publicJwk, d: 'secret' } as KeyRecord['publicJwk']
      await rejectsCode(store.insert(r), 'ERR_JWK_PRIVATE_MEMBER')
      assert.deepEqual(await store.list(), [])
    })

    withStore('holds at most one active key per alg, rolling the whole transaction back', async ({ store }) => {
      await store.insert(fakeRecord('a1', 'active'))
      await store.insert(fakeRecord('other-alg', 'active', 1, 'RS256'))
      await rejectsCode(store.insert(fakeRecord('a2', 'active')), 'ERR_STORE_STATE_INVALID')
      await rejectsCode(store.transaction(async (tx) => {
        await tx.insert(fakeRecord('n1', 'next'))
        await tx.update('n1', { state: 'active' })
      }), 'ERR_STORE_STATE_INVALID')
      assert.deepEqual((await store.list()).map((r) => r.kid).sort(), ['a1', 'other-alg'])
    })

    withStore('a transaction sees its own writes and commits them together', async ({ store }) => {
      await store.insert(fakeRecord('x', 'active'))
      const v0 = await store.version()
      const seen = await store.transaction(async (tx) => {
        await tx.update('x', { state: 'retired', retiredAt: 5 })
        await tx.insert(fakeRecord('y', 'active', 2))
        return (await tx.list()).map((r) => `${r.kid}:${r.state}`)
      })
      assert.deepEqual(seen.sort(), ['x:retired', 'y:active'])
      assert.equal((await store.get('x'))?.retiredAt, 5)
      assert.equal((await store.get('y'))?.state, 'active')
      assert.notEqual(await store.version(), v0)
    })

    withStore('a failing transaction leaves nothing behind and keeps the version', async ({ store }) => {
      await store.insert(fakeRecord('keep'))
      const v0 = await store.version()
      await assert.rejects(store.transaction(async (tx) => {
        await tx.insert(fakeRecord('ghost'))
        await tx.update('keep', { state: 'retired' })
        throw new Error('boom')
      }), /boom/)
      assert.equal(await store.get('ghost'), undefined)
      assert.equal((await store.get('keep'))?.state, 'next')
      assert.equal(await store.version(), v0)
    })

    withStore('a read-only transaction does not change the version', async ({ store }) => {
      const v0 = await store.version()
      await store.transaction(async (tx) => tx.list())
      assert.equal(await store.version(), v0)
    })

    withStore('updates only the given fields; unknown kid is ERR_STORE_NOT_FOUND', async ({ store }) => {
      const r = fakeRecord('u')
      await store.insert(r)
      await store.transaction(async (tx) => tx.update('u', { sealed: new Uint8Array([9]), kekId: 'kek-2' }))
      assert.deepEqual(await store.get('u'), { ...r, sealed: new Uint8Array([9]), kekId: 'kek-2' })
      await rejectsCode(store.transaction(async (tx) => tx.update('missing', { state: 'retired' })), 'ERR_STORE_NOT_FOUND')
    })

    withStore('serialises racing read-decide-write transactions', async ({ store }) => {
      const attempt = (i: number) => store.transaction(async (tx) => {
        const list = await tx.list()
        if (list.some((r) => r.state === 'active')) return false
        await new Promise((r) => setTimeout(r, 5)) // widen the race window
        await tx.insert(fakeRecord(`racer-${i}`, 'active'))
        return true
      })
      const results = await Promise.all([0, 1, 2, 3, 4].map(attempt))
      assert.equal(results.filter(Boolean).length, 1)
      assert.equal((await store.list()).length, 1)
    })

    withStore('seals and unseals with its KEK', async ({ store }) => {
      const jwk = { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' } as const
      const { sealed, kekId } = store.sealer!.seal('kid-1', jwk)
      assert.equal(kekId, store.sealer!.primaryKekId)
      assert.deepEqual(store.sealer!.unseal('kid-1', sealed), jwk)
      await rejectsCode(Promise.resolve().then(() => store.sealer!.unseal('kid-2', sealed)), 'ERR_UNSEAL_FAILED')
    })

    withStore('is persistent across connections, when it persists', async (s, t) => {
      if (!s.reopen) return t.skip(`${name} does not persist across connections`)
      await s.store.insert(fakeRecord('persist', 'active'))
      const other = await s.reopen()
      try {
        assert.equal((await other.get('persist'))?.state, 'active')
        const v = await other.version()
        await s.store.transaction(async (tx) => tx.update('persist', { state: 'retired' }))
        assert.notEqual(await other.version(), v)
        assert.equal((await other.get('persist'))?.state, 'retired')
      } finally {
        await other.close()
      }
    })

    withStore('reports ERR_STORE_UNAVAILABLE once closed', async ({ store }) => {
      await store.close()
      await rejectsCode(store.list(), 'ERR_STORE_UNAVAILABLE')
      await rejectsCode(store.version(), 'ERR_STORE_UNAVAILABLE')
      await rejectsCode(store.transaction(async () => 1), 'ERR_STORE_UNAVAILABLE')
    })

    withStore('calls watchers after a change, when it can watch', async (s, t) => {
      if (!s.store.watch) return t.skip(`${name} has no watch()`)
      const seen = new Promise<void>((resolve) => {
        const stop = s.store.watch!(() => {
          stop()
          resolve()
        })
      })
      await new Promise((r) => setTimeout(r, 100)) // LISTEN is set up asynchronously
      const writer = s.reopen ? await s.reopen() : s.store
      await writer.insert(fakeRecord('w'))
      await seen
      if (writer !== s.store) await writer.close()
    })
  })
}
