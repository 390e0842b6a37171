/**
 * @module store/key-operations
 * The lifecycle operations of a key manager — rotate, retire, revoke and the policy's tick —
 * each planned again inside its store transaction (under the store's lock, so racing instances
 * act once) from the pure plans of store/rotation and store/apply-actions. A rotation never makes
 * a key sign before it has been published for `prepublish`, unless the caller says `now`; that
 * emergency, and the handover of a revoked active key, are logged at warn.
 */
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { findRecord, retireActions, revokeActions } from './apply-actions.ts'
import type { StoreLogger } from './keks.ts'
import { planRotation, rotateActions, validatePolicy, type RotationAction } from './rotation.ts'
import type { KeyRecord, KeyStoreTransaction, RotateOptions, RotationOutcome, RotationPolicy } from './types.ts'

export type WriteFn = <T>(fn: (tx: KeyStoreTransaction, list: KeyRecord[], created: Map<string, Jwk>) => Promise<T>) => Promise<T>
export type ApplyFn = (tx: KeyStoreTransaction, actions: readonly RotationAction[], created: Map<string, Jwk>, at: number) => Promise<number>

export interface KeyOperationsContext {
  policy: RotationPolicy
  now: () => number
  logger: StoreLogger
  /** The records as last loaded. */
  records: () => readonly KeyRecord[]
  /** One store transaction under the manager's write lock; reloads after it. */
  write: WriteFn
  apply: ApplyFn
}

const ROTATE_OPTIONS = ['alg', 'now', 'add']

/** Reads `rotate()`'s argument: an alg, or an options object (own properties only, no unknown member). */
export function readRotateOptions(input: string | RotateOptions | undefined): { alg: string | undefined; now: boolean; add: boolean } {
  if (input === undefined) return { alg: undefined, now: false, add: false }
  if (typeof input === 'string') return { alg: input, now: false, add: false }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TypeError('rotate: options must be an alg or an object')
  for (const name of Object.keys(input)) {
    if (!ROTATE_OPTIONS.includes(name)) throw new JwkitError('ERR_CONFIG_INVALID', `rotate: option ${JSON.stringify(name).slice(0, 40)} is not understood (alg, now, add)`)
  }
  const own = (name: string): unknown => (Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : undefined)
  const alg = own('alg')
  const now = own('now')
  const add = own('add')
  if (alg !== undefined && typeof alg !== 'string') throw new JwkitError('ERR_CONFIG_INVALID', 'rotate: alg must be a string')
  if (now !== undefined && typeof now !== 'boolean') throw new JwkitError('ERR_CONFIG_INVALID', 'rotate: now must be true or false')
  if (add !== undefined && typeof add !== 'boolean') throw new JwkitError('ERR_CONFIG_INVALID', 'rotate: add must be true or false')
  if (add === true && alg === undefined) throw new JwkitError('ERR_CONFIG_INVALID', 'rotate: add needs the alg to add')
  return { alg, now: now === true, add: add === true }
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

export function createKeyOperations(ctx: KeyOperationsContext) {
  const { policy, now, logger } = ctx

  const warnForced = (alg: string, record: KeyRecord | undefined, at: number, why: string) => {
    const age = record?.publishedAt == null ? 0 : at - record.publishedAt
    logger.warn(`jwkit: ${why}: ${alg} key ${record?.kid ?? '(new)'} signs now, published ${seconds(age)} ago (prepublish ${seconds(policy.prepublish)}); verifiers holding a cached JWK Set refuse its tokens until they refetch`)
  }

  /** The outcome of one alg's actions, read from the records after the write. */
  const outcomeOf = (alg: string, actions: readonly RotationAction[], started: boolean): RotationOutcome => {
    const mine = ctx.records().filter((r) => r.alg === alg)
    const active = mine.find((r) => r.state === 'active')
    const next = mine.filter((r) => r.state === 'next').sort((a, b) => (a.publishedAt ?? 0) - (b.publishedAt ?? 0))[0]
    const forced = actions.some((a) => (a.type === 'activate' && a.forced === true) || (a.type === 'create' && a.state === 'active'))
    const activated = actions.some((a) => a.type === 'activate')
    const outcome: RotationOutcome['outcome'] = started ? 'started' : forced ? 'forced' : activated ? 'activated' : 'scheduled'
    const activateAt = next?.activateAt ?? undefined
    return { alg, outcome, active, next, activateAt: outcome === 'scheduled' || active === undefined ? activateAt : undefined }
  }

  return {
    /** `started`: algorithms whose first keys were created by this call's initialisation (nothing more to do). */
    async rotateKeys(input: string | RotateOptions | undefined, started: ReadonlySet<string>): Promise<RotationOutcome[]> {
      const { alg, now: force, add } = readRotateOptions(input)
      const algs = alg === undefined ? [...policy.algorithms] : [alg]
      const adding = new Set<string>()
      for (const a of algs) {
        if (policy.algorithms.includes(a)) continue
        if (!add) throw new JwkitError('ERR_CONFIG_INVALID', `alg ${JSON.stringify(a).slice(0, 20)} is not in the rotation policy (add: true starts a new lifecycle)`)
        adding.add(a)
      }
      if (adding.size > 0) {
        // Checked like any policy (an asymmetric signing algorithm), then joins this manager's lifecycles.
        validatePolicy({ ...policy, algorithms: [...policy.algorithms, ...adding] })
        policy.algorithms.push(...adding)
      }
      const planned = new Map<string, RotationAction[]>()
      await ctx.write(async (tx, list, created) => {
        const at = now()
        for (const a of algs) {
          if (started.has(a)) {
            planned.set(a, [])
            continue
          }
          const actions = rotateActions(list, a, at, policy, { force })
          planned.set(a, actions)
          await ctx.apply(tx, actions, created, at)
          const forcedKid = actions.find((x) => x.type === 'activate' && x.forced === true)
          if (forcedKid !== undefined && forcedKid.type === 'activate') warnForced(a, list.find((r) => r.kid === forcedKid.kid), at, 'forced rotation (now)')
          else if (actions.some((x) => x.type === 'create' && x.state === 'active')) warnForced(a, undefined, at, 'forced rotation (now) without a next key')
        }
      })
      return algs.map((a) => outcomeOf(a, planned.get(a) ?? [], started.has(a)))
    },

    async retire(kid: string, options: { now?: boolean } = {}): Promise<KeyRecord> {
      if (typeof options !== 'object' || options === null) throw new TypeError('retire: options must be an object')
      const force = Object.hasOwn(options, 'now') && options.now === true
      await ctx.write(async (tx, list, created) => {
        const at = now()
        const actions = retireActions(list, kid, at, policy, force)
        await ctx.apply(tx, actions, created, at)
        const forcedKid = actions.find((x) => x.type === 'activate' && x.forced === true)
        if (forcedKid?.type === 'activate') warnForced(forcedKid.alg, list.find((r) => r.kid === forcedKid.kid), at, 'forced retire (now)')
      })
      return findRecord(ctx.records(), kid)
    },

    async revoke(kid: string): Promise<KeyRecord> {
      await ctx.write(async (tx, list, created) => {
        const at = now()
        const actions = revokeActions(list, kid, at, policy)
        await ctx.apply(tx, actions, created, at)
        const forcedKid = actions.find((x) => x.type === 'activate' && x.forced === true)
        if (forcedKid?.type === 'activate') warnForced(forcedKid.alg, list.find((r) => r.kid === forcedKid.kid), at, `revoked the active key ${kid.slice(0, 64)}`)
      })
      return findRecord(ctx.records(), kid)
    },

    /** Applies what the policy says is due; returns the number of actions applied. */
    async tick(): Promise<number> {
      // Cheap check on the last-known records; the transaction re-plans under the store's lock.
      if (planRotation(ctx.records(), now(), policy).length === 0) return 0
      return ctx.write(async (tx, list, created) => {
        const at = now()
        const actions = planRotation(list, at, policy)
        await ctx.apply(tx, actions, created, at)
        return actions.length
      })
    },
  }
}

export type KeyOperations = ReturnType<typeof createKeyOperations>
