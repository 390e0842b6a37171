/**
 * @module store/apply-actions
 * Carries out lifecycle actions inside one store transaction: new keys are generated, given
 * their RFC 7638 thumbprint as `kid`, published from an allowlist of public members, and sealed;
 * state changes stamp their times. Used by the key manager's tick and its manual operations.
 */
import { generateJwk } from '../crypto/generate.ts'
import { JwkitError } from '../errors.ts'
import { toPublicJwk } from '../jwk/public.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import type { Jwk } from '../jwk/types.ts'
import { rotateActions, type RotationAction } from './rotation.ts'
import { quoteKid } from './records.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord, KeyStoreTransaction, RotationPolicy } from './types.ts'

/** The public JWK that is stored and published: allowlisted members, plus kid, alg and use. */
export function publishedJwk(jwk: Jwk, kid: string, alg: string): Jwk {
  const pub = toPublicJwk(jwk) as Jwk & Record<string, unknown>
  delete pub.key_ops // RFC 7517 §4.3: use and key_ops should not both be present
  return { ...pub, kid, alg, use: 'sig' } as Jwk
}

/** Generates a key for `alg` and its sealed record (`activateAt`: a next key's scheduled activation). */
export async function newKeyRecord(alg: string, state: 'active' | 'next', now: number, sealer: Sealer, activateAt?: number): Promise<{ record: KeyRecord; privateJwk: Jwk }> {
  const generated = await generateJwk(alg)
  const kid = thumbprint(generated) // RFC 7638 §1: the thumbprint is the kid
  const privateJwk = { ...generated, kid, alg, use: 'sig' } as Jwk
  const { sealed, kekId } = sealer.seal(kid, privateJwk)
  const record: KeyRecord = {
    kid,
    alg,
    state,
    createdAt: now,
    publishedAt: now,
    activatedAt: state === 'active' ? now : null,
    retiredAt: null,
    removedAt: null,
    publicJwk: publishedJwk(generated, kid, alg),
    sealed,
    kekId,
    ...(activateAt === undefined ? {} : { activateAt }),
  }
  return { record, privateJwk }
}

export interface ApplyContext {
  tx: KeyStoreTransaction
  now: number
  sealer: Sealer
  /** Private JWKs of keys created here, for the caller's cache after commit. */
  created: Map<string, Jwk>
  /** Test hook between steps (crash injection). */
  onStep?: (step: string) => void
}

/** Applies actions in order; returns the number of activations (rotations). */
export async function applyActions(ctx: ApplyContext, actions: readonly RotationAction[]): Promise<number> {
  let activations = 0
  for (const action of actions) {
    switch (action.type) {
      case 'create': {
        const { record, privateJwk } = await newKeyRecord(action.alg, action.state, ctx.now, ctx.sealer, action.activateAt)
        await ctx.tx.insert(record)
        ctx.created.set(record.kid, privateJwk)
        if (action.state === 'active') activations++
        break
      }
      case 'activate':
        await ctx.tx.update(action.kid, { state: 'active', activatedAt: ctx.now })
        activations++
        break
      case 'schedule':
        await ctx.tx.update(action.kid, { activateAt: action.at })
        break
      case 'retire':
        await ctx.tx.update(action.kid, { state: 'retired', retiredAt: ctx.now })
        break
      case 'revoke':
        // A compromised key leaves publication at once, and its sealed private key goes with it.
        await ctx.tx.update(action.kid, {
          state: 'revoked', sealed: new Uint8Array(0), kekId: '', ...(action.keepRetiredAt ? {} : { retiredAt: ctx.now }),
        })
        break
      case 'remove':
        // The private key is destroyed with the row's publication: crypto-shredding.
        await ctx.tx.update(action.kid, { state: 'removed', removedAt: ctx.now, sealed: new Uint8Array(0), kekId: '' })
        break
    }
    ctx.onStep?.(`action:${action.type}`)
  }
  return activations
}

/** The record of `kid` in a transaction's list, or ERR_STORE_NOT_FOUND. */
export function findRecord(records: readonly KeyRecord[], kid: string): KeyRecord {
  const record = records.find((r) => r.kid === kid)
  if (!record || record.state === 'removed') throw new JwkitError('ERR_STORE_NOT_FOUND', `no key with kid ${quoteKid(kid)} in the store`)
  return record
}

/** A new next key for `alg` unless another next key (not `leaving`) remains. */
function successorNext(records: readonly KeyRecord[], alg: string, leaving: string): RotationAction[] {
  return records.some((r) => r.alg === alg && r.state === 'next' && r.kid !== leaving) ? [] : [{ type: 'create', alg, state: 'next' }]
}

/**
 * A manual retire: a next key leaves the queue; an active key hands over as a rotation does — at
 * once when its successor is ready (or `force`), else the handover is scheduled and the key
 * signs until then.
 */
export function retireActions(records: readonly KeyRecord[], kid: string, now: number, policy: RotationPolicy, force = false): RotationAction[] {
  const record = findRecord(records, kid)
  const retire: RotationAction = { type: 'retire', alg: record.alg, kid }
  if (record.state === 'next') return [retire, ...successorNext(records, record.alg, kid)]
  if (record.state === 'active') {
    const handover = rotateActions(records, record.alg, now, policy, { force, leaving: kid })
    return handover.some((a) => a.type === 'activate' || (a.type === 'create' && a.state === 'active')) ? [retire, ...handover] : handover
  }
  throw new JwkitError('ERR_STORE_STATE_INVALID', `key ${quoteKid(kid)} is ${record.state}; only next or active keys can be retired`)
}

/** A manual revoke (next, active or retired key); an active key hands over at once (an emergency). */
export function revokeActions(records: readonly KeyRecord[], kid: string, now: number, policy: RotationPolicy): RotationAction[] {
  const record = findRecord(records, kid)
  if (record.state === 'revoked') throw new JwkitError('ERR_STORE_STATE_INVALID', `key ${quoteKid(kid)} is already revoked`)
  const revoke: RotationAction = { type: 'revoke', alg: record.alg, kid, keepRetiredAt: record.retiredAt !== null }
  if (record.state === 'active') return [revoke, ...rotateActions(records, record.alg, now, policy, { force: true, leaving: kid })]
  if (record.state === 'next') return [revoke, ...successorNext(records, record.alg, kid)]
  return [revoke]
}
