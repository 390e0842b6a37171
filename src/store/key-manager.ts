/**
 * @module store/key-manager
 * `createKeyManager(store, policy)`: drives one store under one rotation policy. It keeps the
 * last-known records and the unsealed private keys of the active and next keys in memory, so
 * signing and `publicJwks()` go on while the store is unreachable (the condition shows in
 * `status()`), and rotation waits and retries. The published set is precomputed at each change
 * from allowlisted public members only (RFC 7517 §5 JWK Set). Changes by other processes arrive
 * by `watch` (LISTEN/NOTIFY) or by polling `version()`. Due actions are applied in one store
 * transaction that re-plans under the store's lock, so racing instances rotate once.
 */
import type { KeyObject } from 'node:crypto'
import { importJwk } from '../crypto/import.ts'
import { isJwkitError, JwkitError } from '../errors.ts'
import { parseDuration } from '../jwt/duration.ts'
import { signJws as signJwsWithKey } from '../jws/sign.ts'
import { signJwt as signJwtWithKey } from '../jwt/sign.ts'
import type { Jwk, JwkSet } from '../jwk/types.ts'
import { applyActions, findRecord, forcedRotation, publishedJwk, retireActions, revokeActions } from './apply-actions.ts'
import type { StoreLogger } from './keks.ts'
import { Mutex } from './memory-store.ts'
import { defaultPolicy, planRotation, validatePolicy, type RotationAction } from './rotation.ts'
import type { Sealer } from './seal.ts'
import type { KeyManager, KeyManagerStatus, KeyRecord, KeyStore, KeyStoreTransaction, RotationPolicy } from './types.ts'
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

const PUBLISHED_STATES = new Set(['active', 'next', 'retired'])
const STATE_ORDER: Record<string, number> = { active: 0, next: 1, retired: 2 }

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

  let records: KeyRecord[] = []
  let version: string | undefined
  let jwks: JwkSet = { keys: [] }
  let jwksText = ''
  const privateKeys = new Map<string, { jwk: Jwk; key: KeyObject | Jwk }>()
  const listeners = new Set<(set: JwkSet) => void>()
  const status: KeyManagerStatus = { storeReachable: true, lastError: undefined, lastSyncAt: undefined, rotations: 0, storeErrors: 0 }
  const writes = new Mutex()
  let initPromise: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let unwatch: (() => void) | undefined
  let polling = false
  let closed = false

  const storeFailed = (error: unknown) => {
    if (isJwkitError(error) && error.code === 'ERR_STORE_UNAVAILABLE') {
      status.storeReachable = false
      status.storeErrors++
      status.lastError = `${error.code}: ${error.message}`
    }
  }

  const holdPrivate = (kid: string, jwk: Jwk) => {
    let key: KeyObject | Jwk = jwk
    try {
      key = importJwk(jwk)
    } catch {
      // kept as a JWK (e.g. ML-DSA keys are not KeyObjects); signJwt imports it
    }
    privateKeys.set(kid, { jwk, key })
  }

  /** Takes a fresh list: unseals what may sign, drops what may not, recomputes the set. */
  const load = (list: KeyRecord[], created?: Map<string, Jwk>) => {
    records = list
    for (const [kid, jwk] of created ?? []) holdPrivate(kid, jwk)
    const signing = new Set(list.filter((r) => r.state === 'active' || r.state === 'next').map((r) => r.kid))
    for (const kid of privateKeys.keys()) if (!signing.has(kid)) privateKeys.delete(kid)
    for (const r of list) {
      if (!signing.has(r.kid) || privateKeys.has(r.kid)) continue
      try {
        holdPrivate(r.kid, sealer.unseal(r.kid, r.sealed))
      } catch (error) {
        logger.warn(`jwkit: key ${r.kid} cannot be unsealed: ${isJwkitError(error) ? error.code : 'error'}`)
      }
    }
    const keys = list
      .filter((r) => PUBLISHED_STATES.has(r.state))
      .sort((a, b) => STATE_ORDER[a.state]! - STATE_ORDER[b.state]! || (b.publishedAt ?? 0) - (a.publishedAt ?? 0))
      .map((r) => publishedJwk(r.publicJwk, r.kid, r.alg))
    const text = JSON.stringify(keys)
    if (text !== jwksText) {
      jwksText = text
      jwks = Object.freeze({ keys: Object.freeze(keys) as unknown as Jwk[] }) as JwkSet
      for (const l of listeners) {
        try {
          l(jwks)
        } catch {
          // a listener's failure is its own
        }
      }
    }
  }

  const sync = async (force = false) => {
    try {
      const v = await store.version()
      if (force || v !== version) {
        const list = await store.list()
        version = v
        load(list)
      }
      status.storeReachable = true
      status.lastSyncAt = now()
    } catch (error) {
      storeFailed(error)
      throw error
    }
  }

  /** Runs a write transaction, then reloads. */
  const write = <T>(fn: (tx: KeyStoreTransaction, list: KeyRecord[], created: Map<string, Jwk>) => Promise<T>): Promise<T> =>
    writes.run(async () => {
      const created = new Map<string, Jwk>()
      let result: T
      try {
        result = await store.transaction(async (tx) => fn(tx, await tx.list(), created))
      } catch (error) {
        storeFailed(error)
        throw error
      }
      for (const [kid, jwk] of created) holdPrivate(kid, jwk)
      await sync(true).catch(() => {})
      return result
    })

  const apply = async (tx: KeyStoreTransaction, actions: readonly RotationAction[], created: Map<string, Jwk>, at: number) => {
    options.onStep?.('planned')
    const n = await applyActions({ tx, now: at, sealer, created, onStep: options.onStep }, actions)
    status.rotations += n
    return n
  }

  const ready = async () => {
    if (closed) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the key manager is closed')
    if (!initPromise) await manager.init()
    else await initPromise
  }

  const poll = async () => {
    if (polling || closed) return
    polling = true
    try {
      await sync()
      if (options.autoTick !== false) await manager.tick()
    } catch {
      // recorded in status; the next poll retries
    } finally {
      polling = false
    }
  }

  const activeRecord = (alg?: string): KeyRecord => {
    const wanted = alg ?? fullPolicy.algorithms[0]!
    const record = records.find((r) => r.alg === wanted && r.state === 'active')
    if (!record) throw new JwkitError('ERR_STORE_NO_ACTIVE_KEY', `the store has no active key for ${wanted}`)
    return record
  }

  const signingKey = (alg?: string): { record: KeyRecord; key: KeyObject | Jwk } => {
    const record = activeRecord(alg)
    let held = privateKeys.get(record.kid)
    if (!held) {
      holdPrivate(record.kid, sealer.unseal(record.kid, record.sealed))
      held = privateKeys.get(record.kid)!
    }
    return { record, key: held.key }
  }

  const manager: KeyManager = {
    policy: fullPolicy,
    init() {
      initPromise ??= (async () => {
        await sync(true)
        // A wrong KEK is a clear error at start, not keys sealed under two KEKs later.
        for (const r of records) {
          if (r.state === 'active' && !privateKeys.has(r.kid)) holdPrivate(r.kid, sealer.unseal(r.kid, r.sealed))
        }
        // With autoTick off, the owner ticks; init only creates the first keys of an empty lifecycle.
        const bootstrap = options.autoTick !== false || fullPolicy.algorithms.some((alg) => !records.some((r) => r.alg === alg && r.state === 'active'))
        if (bootstrap && planRotation(records, now(), fullPolicy).length > 0) await manager.tick()
        if (pollIntervalMs > 0) {
          timer = setInterval(() => void poll(), pollIntervalMs)
          timer.unref()
        }
        unwatch = store.watch?.(() => void poll())
      })()
      initPromise.catch(() => { initPromise = undefined })
      return initPromise
    },
    async activeKey(alg) {
      await ready()
      return activeRecord(alg)
    },
    publicJwks: () => jwks,
    keys: () => records,
    async signJwt(claims, signOptions = {}) {
      await ready()
      const { record, key } = signingKey(signOptions.alg)
      const maxSeconds = Math.floor(fullPolicy.maxTokenTtl / 1000)
      const asked = signOptions.expiresIn === undefined ? maxSeconds : parseDuration(signOptions.expiresIn, 'expiresIn')
      return signJwtWithKey(claims, key, {
        alg: record.alg,
        kid: record.kid,
        typ: signOptions.typ,
        expiresIn: Math.min(asked, maxSeconds), // policy: no token outlives maxTokenTtl
        iat: Math.floor(now() / 1000),
        ...(signOptions.issuer === undefined ? {} : { issuer: signOptions.issuer }),
        ...(signOptions.audience === undefined ? {} : { audience: signOptions.audience }),
        ...(signOptions.subject === undefined ? {} : { subject: signOptions.subject }),
      })
    },
    async signJws(payload, signOptions = {}) {
      await ready()
      const { record, key } = signingKey(signOptions.alg)
      return signJwsWithKey(payload, key, { alg: record.alg, kid: record.kid, protectedHeader: signOptions.header, serialization: 'compact' })
    },
    async rotate(alg) {
      await ready()
      const algs = alg === undefined ? fullPolicy.algorithms : [alg]
      for (const a of algs) {
        if (!fullPolicy.algorithms.includes(a)) throw new JwkitError('ERR_CONFIG_INVALID', `alg ${JSON.stringify(a).slice(0, 20)} is not in the rotation policy`)
      }
      await write(async (tx, list, created) => {
        const at = now()
        for (const a of algs) await apply(tx, forcedRotation(list, a, undefined), created, at)
      })
      return algs.map((a) => activeRecord(a))
    },
    async retire(kid) {
      await ready()
      await write(async (tx, list, created) => apply(tx, retireActions(list, kid), created, now()))
      return findRecord(records, kid)
    },
    async revoke(kid) {
      await ready()
      await write(async (tx, list, created) => apply(tx, revokeActions(list, kid), created, now()))
      privateKeys.delete(kid)
      return findRecord(records, kid)
    },
    async tick() {
      if (!initPromise) await sync(true)
      // Cheap check on the last-known records; the transaction re-plans under the store's lock.
      if (planRotation(records, now(), fullPolicy).length === 0) return 0
      return write(async (tx, list, created) => {
        const at = now()
        const actions = planRotation(list, at, fullPolicy)
        await apply(tx, actions, created, at)
        return actions.length
      })
    },
    status: () => ({ ...status }),
    onChange(listener) {
      if (typeof listener !== 'function') throw new TypeError('onChange: listener must be a function')
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      if (closed) return
      closed = true
      if (timer) clearInterval(timer)
      unwatch?.()
      listeners.clear()
      privateKeys.clear()
      await writes.run(async () => {})
      if (options.closeStore) await store.close()
    },
  }
  return manager
}
