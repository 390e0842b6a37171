/**
 * @module store/key-manager
 * `createKeyManager(store, policy)`: drives one store under one rotation policy, from parts that
 * each do one job — following the store (store/store-sync), holding the unsealed private keys of
 * the active and next keys (store/private-key-cache), the published set (store/published-set),
 * signing (store/manager-signing) and the lifecycle operations (store/key-operations). Signing
 * and `publicJwks()` go on from memory while the store is unreachable (the condition shows in
 * `status()`); writes are serialised here and re-planned under the store's lock.
 */
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { applyActions } from './apply-actions.ts'
import type { StoreLogger } from './keks.ts'
import { createKeyOperations } from './key-operations.ts'
import { signJwsWithRecord, signJwtWithRecord } from './manager-signing.ts'
import { Mutex } from './mutex.ts'
import { createPrivateKeyCache } from './private-key-cache.ts'
import { createPublishedSet } from './published-set.ts'
import { defaultPolicy, planRotation, validatePolicy, type RotationAction } from './rotation.ts'
import type { Sealer } from './seal.ts'
import { createStoreSync } from './store-sync.ts'
import type { KeyManager, KeyRecord, KeyStore, KeyStoreTransaction, RotationPolicy } from './types.ts'
import { ownOptions } from '../util/dict.ts'

export interface KeyManagerOptions {
  /** Clock in ms since the epoch (default `Date.now`); tests inject a fake one. */
  now?: () => number
  logger?: StoreLogger
  /** How often to poll the store for changes and due actions, in ms (default 5000). 0 turns polling off. */
  pollIntervalMs?: number
  /** Apply due actions from `init()` and the poll loop (default true). When false, the owner calls `tick()`; `init()` then acts only when a policy algorithm has no active key. */
  autoTick?: boolean
  /** Close the store with the manager (default false: the caller owns the store). */
  closeStore?: boolean
  /** Test hook between the steps of a write (crash injection). */
  onStep?: (step: string) => void
}

export function createKeyManager(store: KeyStore, policy?: Partial<RotationPolicy>, options: KeyManagerOptions = {}): KeyManager {
  if (policy !== undefined) policy = ownOptions(policy) // own properties only
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof store !== 'object' || store === null || typeof store.transaction !== 'function') throw new TypeError('createKeyManager: store must be a KeyStore')
  const sealer: Sealer | undefined = store.sealer
  if (sealer === undefined) throw new JwkitError('ERR_KEK_MISSING', 'the key store has no sealer (open it with openKeyStore)')
  const fullPolicy = validatePolicy(defaultPolicy(policy ?? {}))
  const now = options.now ?? Date.now
  const logger = options.logger ?? { warn: (m: string) => console.warn(m) }
  const pollIntervalMs = options.pollIntervalMs ?? 5000
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 0) throw new RangeError('pollIntervalMs must be a non-negative number')

  const keys = createPrivateKeyCache(sealer, logger)
  const published = createPublishedSet()
  const sync = createStoreSync(store, {
    now,
    onLoad(list) {
      keys.follow(list)
      published.update(list)
    },
    afterSync: () => (options.autoTick !== false ? operations.tick() : Promise.resolve()),
  })
  const writes = new Mutex()
  let initPromise: Promise<void> | undefined
  /** Algorithms whose first keys the last init created (a rotate that caused it has nothing more to do). */
  let startedByInit = new Set<string>()
  let closed = false

  const write = <T>(fn: (tx: KeyStoreTransaction, list: KeyRecord[], created: Map<string, Jwk>) => Promise<T>): Promise<T> =>
    writes.run(async () => {
      const created = new Map<string, Jwk>()
      let result: T
      try {
        result = await store.transaction(async (tx) => fn(tx, await tx.list(), created))
      } catch (error) {
        sync.failed(error)
        throw error
      }
      for (const [kid, jwk] of created) keys.hold(kid, jwk)
      await sync.sync(true).catch(() => {})
      return result
    })

  const apply = async (tx: KeyStoreTransaction, actions: readonly RotationAction[], created: Map<string, Jwk>, at: number) => {
    options.onStep?.('planned')
    const n = await applyActions({ tx, now: at, sealer, created, onStep: options.onStep }, actions)
    sync.status.rotations += n
    return n
  }

  const operations = createKeyOperations({ policy: fullPolicy, now, logger, records: () => sync.records(), write, apply })

  const ready = async () => {
    if (closed) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the key manager is closed')
    if (!initPromise) await manager.init()
    else await initPromise
  }

  const activeRecord = (alg?: string): KeyRecord => {
    const wanted = alg ?? fullPolicy.algorithms[0]!
    const record = sync.records().find((r) => r.alg === wanted && r.state === 'active')
    if (!record) throw new JwkitError('ERR_STORE_NO_ACTIVE_KEY', `the store has no active key for ${wanted.slice(0, 32)}`)
    return record
  }

  const rotateKeys: KeyManager['rotateKeys'] = async (input) => {
    const fresh = initPromise === undefined
    await ready()
    return operations.rotateKeys(input, fresh ? startedByInit : new Set())
  }

  const manager: KeyManager = {
    policy: fullPolicy,
    init() {
      initPromise ??= (async () => {
        await sync.sync(true)
        // A wrong KEK is a clear error at start, not keys sealed under two KEKs later.
        for (const r of sync.records()) if (r.state === 'active') keys.keyFor(r)
        // With autoTick off, the owner ticks; init only creates the first keys of an empty lifecycle.
        const missing = fullPolicy.algorithms.filter((alg) => !sync.records().some((r) => r.alg === alg && (r.state === 'active' || r.state === 'next')))
        const bootstrap = options.autoTick !== false || missing.length > 0
        if (bootstrap && planRotation(sync.records(), now(), fullPolicy).length > 0) await operations.tick()
        startedByInit = new Set(missing)
        sync.start(pollIntervalMs)
      })()
      initPromise.catch(() => { initPromise = undefined })
      return initPromise
    },
    async activeKey(alg) {
      await ready()
      return activeRecord(alg)
    },
    publicJwks: () => published.current(),
    keys: () => sync.records(),
    async signJwt(claims, signOptions = {}) {
      await ready()
      const record = activeRecord(signOptions.alg)
      return signJwtWithRecord(record, keys.keyFor(record), claims, signOptions, fullPolicy, now())
    },
    async signJws(payload, signOptions = {}) {
      await ready()
      const record = activeRecord(signOptions.alg)
      return signJwsWithRecord(record, keys.keyFor(record), payload, signOptions.header)
    },
    async rotate(input) {
      const outcomes = await rotateKeys(input)
      return outcomes.flatMap((o) => (o.active === undefined ? [] : [o.active]))
    },
    rotateKeys,
    async retire(kid, retireOptions) {
      await ready()
      return operations.retire(kid, retireOptions)
    },
    async revoke(kid) {
      await ready()
      const record = await operations.revoke(kid)
      keys.drop(kid)
      return record
    },
    async tick() {
      if (!initPromise) await sync.sync(true)
      return operations.tick()
    },
    status: () => ({ ...sync.status }),
    onChange: (listener) => published.onChange(listener),
    async close() {
      if (closed) return
      closed = true
      sync.stop()
      published.clear()
      keys.clear()
      await writes.run(async () => {})
      if (options.closeStore) await store.close()
    },
  }
  return manager
}
