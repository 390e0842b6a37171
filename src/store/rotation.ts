/**
 * @module store/rotation
 * The key lifecycle as a pure function: `planRotation(records, now, policy)` says what is due.
 * States `next` (published, not signing) → `active` (signing) → `retired` (published for
 * `retireGrace`) → `removed`; `revoked` leaves publication at once. Pre-publication follows
 * RFC 7517 §5 practice for rollover: verifiers that cached the JWK Set (up to `jwksMaxAge`)
 * already hold the next key when it starts to sign, and a retired key stays published until
 * every token it signed (at most `maxTokenTtl` old) has expired.
 */
import { JwkitError } from '../errors.ts'
import type { KeyRecord, RotationPolicy } from './types.ts'
import { ownOptions } from '../util/dict.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Signing algorithms a managed key may have (asymmetric: the public half is published). */
export const MANAGED_ALGORITHMS: readonly string[] = [
  'ES256', 'ES384', 'ES512', 'ES256K', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'EdDSA', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87',
]

/** One thing the lifecycle says is due. `create` keys get their kid (thumbprint) when generated. */
export type RotationAction =
  | { type: 'create'; alg: string; state: 'active' | 'next'; activateAt?: number }
  /** `forced`: before its prepublish time (an explicit emergency rotation or a revoke). */
  | { type: 'activate'; alg: string; kid: string; forced?: boolean }
  /** A requested rotation waits for the next key's prepublish time. */
  | { type: 'schedule'; alg: string; kid: string; at: number }
  | { type: 'retire'; alg: string; kid: string }
  | { type: 'remove'; alg: string; kid: string }
  /** Manual only (never planned): out of publication at once; `retiredAt` kept when it had one. */
  | { type: 'revoke'; alg: string; kid: string; keepRetiredAt: boolean }

/** The default policy, with overrides; derived durations follow `jwksMaxAge` and `maxTokenTtl` unless given. */
export function defaultPolicy(overrides: Partial<RotationPolicy> = {}): RotationPolicy {
  if (typeof overrides !== 'object' || overrides === null) throw new TypeError('policy overrides must be an object')
  overrides = ownOptions(overrides) // own properties only (a polluted Object.prototype changes nothing)
  const jwksMaxAge = overrides.jwksMaxAge ?? HOUR
  const maxTokenTtl = overrides.maxTokenTtl ?? HOUR
  const skew = 5 * MINUTE
  const policy: RotationPolicy = {
    algorithms: overrides.algorithms ? [...overrides.algorithms] : ['ES256'],
    rotateEvery: overrides.rotateEvery ?? 30 * DAY,
    // Twice the cache lifetime plus a margin, so the server's max-age stays at most prepublish / 2.
    prepublish: overrides.prepublish ?? 2 * jwksMaxAge + 10 * MINUTE,
    retireGrace: overrides.retireGrace ?? maxTokenTtl + jwksMaxAge + skew,
    maxTokenTtl,
    jwksMaxAge,
  }
  return validatePolicy(policy)
}

/** Checks a policy; throws `ERR_CONFIG_INVALID` naming the member and the rule. Returns it. */
export function validatePolicy(policy: RotationPolicy): RotationPolicy {
  policy = ownOptions(policy) // own properties only (a polluted Object.prototype changes nothing)
  const bad = (member: string, rule: string) => new JwkitError('ERR_CONFIG_INVALID', `rotation policy: ${member} ${rule}`, { path: `/${member}` })
  if (typeof policy !== 'object' || policy === null) throw new TypeError('policy must be an object')
  if (!Array.isArray(policy.algorithms) || policy.algorithms.length === 0) throw bad('algorithms', 'must be a non-empty array')
  const seen = new Set<string>()
  for (const alg of policy.algorithms) {
    if (typeof alg !== 'string' || !MANAGED_ALGORITHMS.includes(alg)) throw bad('algorithms', `holds ${JSON.stringify(alg)?.slice(0, 20)}, not an asymmetric signing algorithm`)
    if (seen.has(alg)) throw bad('algorithms', `names ${alg} twice`)
    seen.add(alg)
  }
  for (const member of ['rotateEvery', 'prepublish', 'retireGrace', 'maxTokenTtl', 'jwksMaxAge'] as const) {
    const v = policy[member]
    if (!Number.isSafeInteger(v) || v <= 0) throw bad(member, 'must be a positive whole number of milliseconds')
  }
  // A verifier may cache the set for jwksMaxAge: the next key must be in every cached copy before it signs.
  if (policy.prepublish < 2 * policy.jwksMaxAge) throw bad('prepublish', 'must be at least twice jwksMaxAge')
  // A token lives up to maxTokenTtl: its key must stay published that long after retirement.
  if (policy.retireGrace < policy.maxTokenTtl) throw bad('retireGrace', 'must be at least maxTokenTtl')
  return policy
}

const byPublished = (a: KeyRecord, b: KeyRecord) => (a.publishedAt ?? a.createdAt) - (b.publishedAt ?? b.createdAt) || (a.kid < b.kid ? -1 : 1)

/** True when a `next` key has been published long enough to sign. */
export function isReady(record: KeyRecord, now: number, policy: RotationPolicy): boolean {
  policy = ownOptions(policy) // own properties only (a polluted Object.prototype changes nothing)
  return record.state === 'next' && record.publishedAt !== null && record.publishedAt + policy.prepublish <= now
}

/**
 * What is due at `now`, in the order to apply it (retire before activate, so at most one key per
 * alg is ever active). A key signs only once it has been published for `prepublish`: at
 * `rotateEvery`, or at the `activateAt` a requested rotation set. The one exception is the first
 * key of an empty store (no verifier can hold a set it is missing from). Pure: the same input
 * gives the same actions.
 */
export function planRotation(records: readonly KeyRecord[], now: number, policy: RotationPolicy): RotationAction[] {
  policy = ownOptions(policy) // own properties only (a polluted Object.prototype changes nothing)
  const actions: RotationAction[] = []
  const algs = new Set(records.map((r) => r.alg))
  for (const alg of policy.algorithms) algs.add(alg)
  const storeEmpty = !records.some((r) => r.state === 'active' || r.state === 'next' || r.state === 'retired')
  for (const alg of [...algs].sort()) {
    const mine = records.filter((r) => r.alg === alg)
    // Retired keys leave once every token they signed has expired.
    for (const r of mine) {
      if (r.state === 'retired' && (r.retiredAt ?? now) + policy.retireGrace <= now) actions.push({ type: 'remove', alg, kid: r.kid })
    }
    const actives = mine.filter((r) => r.state === 'active').sort((a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0))
    const nexts = mine.filter((r) => r.state === 'next').sort(byPublished)
    if (!policy.algorithms.includes(alg)) {
      // An algorithm dropped from the policy: its keys stop signing and age out.
      for (const r of [...actives, ...nexts]) actions.push({ type: 'retire', alg, kid: r.kid })
      continue
    }
    // Never two active keys (the stores refuse it too): keep the newest.
    for (const extra of actives.slice(1)) actions.push({ type: 'retire', alg, kid: extra.kid })
    const active = actives[0]
    const next = nexts[0]
    let haveNext = nexts.length > 0
    if (active === undefined) {
      if (next !== undefined) {
        // Recovery, or an added algorithm: the next key signs once it is ready, never before.
        if (isReady(next, now, policy)) {
          actions.push({ type: 'activate', alg, kid: next.kid })
          haveNext = nexts.length > 1
        }
      } else if (storeEmpty) {
        actions.push({ type: 'create', alg, state: 'active' }) // the first key of an empty store
      } else {
        // A new lifecycle beside published keys: verifiers may hold that set; publish first.
        actions.push({ type: 'create', alg, state: 'next', activateAt: now + policy.prepublish })
        haveNext = true
      }
    } else if (next !== undefined && isReady(next, now, policy) && (
      (active.activatedAt ?? active.createdAt) + policy.rotateEvery <= now ||
      (next.activateAt != null && next.activateAt <= now))) {
      actions.push({ type: 'retire', alg, kid: active.kid }, { type: 'activate', alg, kid: next.kid })
      haveNext = nexts.length > 1
    }
    // A successor is published as soon as a key starts signing: it then has rotateEvery to spread.
    if (!haveNext) actions.push({ type: 'create', alg, state: 'next' })
  }
  return actions
}

/** When a `next` key may first sign. */
export function readyAt(record: KeyRecord, policy: RotationPolicy): number {
  return (record.publishedAt ?? record.createdAt) + policy.prepublish
}

/**
 * A requested rotation of `alg` at `now` (the active key, if any and not `leaving`, retires):
 * the oldest next key signs now when it is ready; otherwise its activation is scheduled for its
 * ready time, or with `force` it signs now anyway (`forced`). With no next key, one is created
 * (scheduled; with `force`, a new active key). A successor next key is published after a handover.
 */
export function rotateActions(
  records: readonly KeyRecord[], alg: string, now: number, policy: RotationPolicy,
  options: { force?: boolean; leaving?: string } = {},
): RotationAction[] {
  const actions: RotationAction[] = []
  const active = records.find((r) => r.alg === alg && r.state === 'active' && r.kid !== options.leaving)
  const nexts = records.filter((r) => r.alg === alg && r.state === 'next' && r.kid !== options.leaving).sort(byPublished)
  const next = nexts[0]
  const handover = (activate: RotationAction[]) => {
    if (active !== undefined) actions.push({ type: 'retire', alg, kid: active.kid })
    actions.push(...activate)
    if (nexts.length <= 1) actions.push({ type: 'create', alg, state: 'next' })
  }
  if (next !== undefined && isReady(next, now, policy)) handover([{ type: 'activate', alg, kid: next.kid }])
  else if (options.force) handover(next !== undefined ? [{ type: 'activate', alg, kid: next.kid, forced: true }] : [{ type: 'create', alg, state: 'active' }])
  else if (next !== undefined) {
    const at = Math.max(now, readyAt(next, policy))
    if (next.activateAt !== at) actions.push({ type: 'schedule', alg, kid: next.kid, at })
  } else actions.push({ type: 'create', alg, state: 'next', activateAt: now + policy.prepublish })
  return actions
}
