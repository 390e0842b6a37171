import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultPolicy, planRotation, rotateActions, validatePolicy } from '../../src/store/rotation.ts'
import type { KeyRecord, RotationPolicy } from '../../src/store/types.ts'
import { fakeRecord } from './helpers/conformance.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = 1_800_000_000_000
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c
const policy = defaultPolicy()
const rec = (kid: string, state: KeyRecord['state'], fields: Partial<KeyRecord> = {}, alg = 'ES256'): KeyRecord => ({ ...fakeRecord(kid, state, T0, alg), ...fields })

describe('defaultPolicy / validatePolicy', () => {
  it('derives prepublish and retireGrace from jwksMaxAge and maxTokenTtl', () => {
    assert.deepEqual(policy.algorithms, ['ES256'])
    assert.equal(policy.rotateEvery, 30 * DAY)
    assert.ok(policy.jwksMaxAge <= policy.prepublish / 2)
    assert.ok(policy.retireGrace >= policy.maxTokenTtl + policy.jwksMaxAge)
    const p = defaultPolicy({ jwksMaxAge: 10 * HOUR, maxTokenTtl: 2 * HOUR })
    assert.ok(p.prepublish >= 20 * HOUR && p.retireGrace >= 12 * HOUR)
  })
  it('refuses bad policies with ERR_CONFIG_INVALID', () => {
    const bad: Array<Partial<RotationPolicy>> = [
      { algorithms: [] }, { algorithms: ['HS256'] }, { algorithms: ['ES256', 'ES256'] }, { algorithms: ['none'] },
      { rotateEvery: 0 }, { rotateEvery: -1 }, { rotateEvery: 1.5 }, { maxTokenTtl: Number.NaN },
      { jwksMaxAge: HOUR, prepublish: HOUR }, { maxTokenTtl: 2 * HOUR, retireGrace: HOUR },
    ]
    for (const b of bad) assert.throws(() => defaultPolicy(b), code('ERR_CONFIG_INVALID'), JSON.stringify(b))
    assert.throws(() => validatePolicy({ ...policy, algorithms: 'ES256' as unknown as string[] }), code('ERR_CONFIG_INVALID'))
  })
})

describe('planRotation (fixed clocks)', () => {
  it('an empty store: the first key signs at once, a successor is published', () => {
    assert.deepEqual(planRotation([], T0, policy), [
      { type: 'create', alg: 'ES256', state: 'active' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
  it('one lifecycle per algorithm', () => {
    const p = defaultPolicy({ algorithms: ['ES256', 'EdDSA'] })
    assert.equal(planRotation([], T0, p).length, 4)
  })
  it('nothing is due before rotateEvery', () => {
    const records = [rec('a', 'active'), rec('n', 'next')]
    assert.deepEqual(planRotation(records, T0 + policy.rotateEvery - 1, policy), [])
  })
  it('rotates at rotateEvery: retire before activate, then a new next', () => {
    const records = [rec('a', 'active'), rec('n', 'next')]
    assert.deepEqual(planRotation(records, T0 + policy.rotateEvery, policy), [
      { type: 'retire', alg: 'ES256', kid: 'a' },
      { type: 'activate', alg: 'ES256', kid: 'n' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
  it('waits for a next key published less than prepublish ago', () => {
    const at = T0 + policy.rotateEvery
    const records = [rec('a', 'active'), rec('n', 'next', { publishedAt: at - policy.prepublish + 1 })]
    assert.deepEqual(planRotation(records, at, policy), [])
    assert.equal(planRotation(records, at + 1, policy).length, 3)
  })
  it('removes a retired key exactly at retireGrace, not before', () => {
    const records = [rec('a', 'active', { activatedAt: T0 + 10 }), rec('n', 'next', { publishedAt: T0 + 10 }), rec('r', 'retired', { retiredAt: T0 })]
    assert.deepEqual(planRotation(records, T0 + policy.retireGrace - 1, policy), [])
    assert.deepEqual(planRotation(records, T0 + policy.retireGrace, policy), [{ type: 'remove', alg: 'ES256', kid: 'r' }])
  })
  it('leaves revoked and removed keys alone', () => {
    const records = [rec('a', 'active'), rec('n', 'next'), rec('x', 'revoked', { retiredAt: T0 }), rec('y', 'removed', { retiredAt: T0, removedAt: T0 })]
    assert.deepEqual(planRotation(records, T0 + 100 * DAY, policy).filter((a) => 'kid' in a && (a.kid === 'x' || a.kid === 'y')), [])
  })
  it('no active key but a next one: activates it once it is ready, never before (recovery)', () => {
    assert.deepEqual(planRotation([rec('n', 'next')], T0 + policy.prepublish - 1, policy), [])
    assert.deepEqual(planRotation([rec('n', 'next')], T0 + policy.prepublish, policy), [
      { type: 'activate', alg: 'ES256', kid: 'n' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
  it('a new algorithm beside published keys starts with a next key, scheduled after prepublish', () => {
    const p = defaultPolicy({ algorithms: ['ES256', 'EdDSA'] })
    assert.deepEqual(planRotation([rec('a', 'active'), rec('n', 'next')], T0, p), [
      { type: 'create', alg: 'EdDSA', state: 'next', activateAt: T0 + p.prepublish },
    ])
  })
  it('a scheduled activation happens at activateAt once the key is ready, not before', () => {
    const records = [rec('a', 'active'), rec('n', 'next', { activateAt: T0 + policy.prepublish })]
    assert.deepEqual(planRotation(records, T0 + policy.prepublish - 1, policy), [])
    assert.deepEqual(planRotation(records, T0 + policy.prepublish, policy), [
      { type: 'retire', alg: 'ES256', kid: 'a' },
      { type: 'activate', alg: 'ES256', kid: 'n' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
    // A schedule earlier than the ready time (another clock) still waits for prepublish.
    const early = [rec('a', 'active'), rec('n', 'next', { activateAt: T0 })]
    assert.deepEqual(planRotation(early, T0 + policy.prepublish - 1, policy), [])
  })
  it('retires the keys of an algorithm dropped from the policy', () => {
    const records = [rec('a', 'active'), rec('n', 'next'), rec('r', 'active', {}, 'RS256'), rec('rn', 'next', {}, 'RS256')]
    assert.deepEqual(planRotation(records, T0, policy), [
      { type: 'retire', alg: 'RS256', kid: 'r' },
      { type: 'retire', alg: 'RS256', kid: 'rn' },
    ])
  })
  it('is pure: same input, same output, input untouched', () => {
    const records = [rec('a', 'active'), rec('n', 'next')]
    const copy = structuredClone(records)
    assert.deepEqual(planRotation(records, T0 + 40 * DAY, policy), planRotation(records, T0 + 40 * DAY, policy))
    assert.deepEqual(records, copy)
  })
})

describe('rotateActions (a requested rotation)', () => {
  const at = T0 + 60_000
  it('a ready next key signs now; the active one retires; a new next is published', () => {
    const records = [rec('a', 'active', { publishedAt: T0 - policy.prepublish }), rec('n', 'next', { publishedAt: T0 - policy.prepublish })]
    assert.deepEqual(rotateActions(records, 'ES256', at, policy), [
      { type: 'retire', alg: 'ES256', kid: 'a' },
      { type: 'activate', alg: 'ES256', kid: 'n' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
  it('a next key published less than prepublish ago is scheduled for its ready time, not activated', () => {
    const records = [rec('a', 'active'), rec('n', 'next')]
    assert.deepEqual(rotateActions(records, 'ES256', at, policy), [{ type: 'schedule', alg: 'ES256', kid: 'n', at: T0 + policy.prepublish }])
    // Asking again changes nothing.
    assert.deepEqual(rotateActions([rec('a', 'active'), rec('n', 'next', { activateAt: T0 + policy.prepublish })], 'ES256', at, policy), [])
  })
  it('force (now: true) activates the unready key at once, marked forced', () => {
    const records = [rec('a', 'active'), rec('n', 'next')]
    assert.deepEqual(rotateActions(records, 'ES256', at, policy, { force: true }), [
      { type: 'retire', alg: 'ES256', kid: 'a' },
      { type: 'activate', alg: 'ES256', kid: 'n', forced: true },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
  it('no next key: one is published and scheduled (force: a new active key)', () => {
    assert.deepEqual(rotateActions([rec('a', 'active')], 'ES256', at, policy), [{ type: 'create', alg: 'ES256', state: 'next', activateAt: at + policy.prepublish }])
    assert.deepEqual(rotateActions([rec('a', 'active')], 'ES256', at, policy, { force: true }), [
      { type: 'retire', alg: 'ES256', kid: 'a' },
      { type: 'create', alg: 'ES256', state: 'active' },
      { type: 'create', alg: 'ES256', state: 'next' },
    ])
  })
})
