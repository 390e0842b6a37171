/**
 * Property tests of the lifecycle with random policies and clocks: the real key manager on a
 * memory store, a fake clock, and the invariants checked after every step.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import * as jose from 'jose'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { defaultPolicy } from '../../src/store/rotation.ts'
import type { KeyRecord, KeyState, RotationPolicy } from '../../src/store/types.ts'

const MINUTE = 60_000
const T0 = 1_800_000_000_000

const policyArb = fc.record({
  algorithms: fc.constantFrom(['ES256'], ['ES256', 'EdDSA'], ['EdDSA']),
  jwksMaxAge: fc.integer({ min: 1, max: 120 }).map((m) => m * MINUTE),
  maxTokenTtl: fc.integer({ min: 1, max: 120 }).map((m) => m * MINUTE),
  margin: fc.integer({ min: 0, max: 60 }).map((m) => m * MINUTE),
  graceExtra: fc.integer({ min: 0, max: 60 }).map((m) => m * MINUTE),
  rotateEvery: fc.integer({ min: 1, max: 14 * 24 * 60 }).map((m) => m * MINUTE),
}).map((p): RotationPolicy => defaultPolicy({
  algorithms: [...p.algorithms],
  jwksMaxAge: p.jwksMaxAge,
  maxTokenTtl: p.maxTokenTtl,
  prepublish: 2 * p.jwksMaxAge + p.margin,
  retireGrace: p.maxTokenTtl + p.graceExtra,
  rotateEvery: p.rotateEvery,
}))

/**
 * A step: how far the clock moves, as a fraction of one of the policy's durations (0 = a stalled
 * clock), then one operation: the policy's tick, a requested rotation (scheduled when the next key
 * is not ready), the emergency rotation, or a manual retire / revoke of a key picked at random.
 */
const stepArb = fc.record({
  scale: fc.constantFrom('rotateEvery', 'prepublish', 'retireGrace', 'maxTokenTtl', 'second'),
  factor: fc.double({ min: 0, max: 2.5, noNaN: true }),
  sign: fc.boolean(),
  op: fc.constantFrom('tick', 'tick', 'tick', 'rotate', 'rotate-now', 'retire', 'retire-now', 'revoke'),
  pick: fc.nat(),
})

const ORDER: Record<KeyState, number> = { next: 0, active: 1, retired: 2, revoked: 3, removed: 4 }

interface Token { token: string; kid: string; at: number; alg: string }

function checkInvariants(policy: RotationPolicy, records: readonly KeyRecord[], now: number, firstKids: Set<string>, lastState: Map<string, KeyState>, published: Set<string>) {
  for (const alg of policy.algorithms) {
    // Exactly one active key per alg, and a published next key.
    assert.equal(records.filter((r) => r.alg === alg && r.state === 'active').length, 1, `one active ${alg}`)
    assert.ok(records.some((r) => r.alg === alg && r.state === 'next' && published.has(r.kid)), `a published next ${alg} key`)
  }
  for (const r of records) {
    // Retired keys stay published for their grace; revoked and removed keys hold no sealed key.
    if (r.state === 'retired' || r.state === 'active') assert.ok(published.has(r.kid), `${r.state} key ${r.kid} published`)
    if (r.state === 'revoked' || r.state === 'removed') assert.equal(r.sealed.length, 0, `${r.state} key keeps no sealed material`)
    // Activation only after prepublish, except the first key of an empty store and explicit emergencies.
    if (r.activatedAt !== null && !firstKids.has(r.kid)) {
      assert.ok(r.publishedAt !== null && r.activatedAt - r.publishedAt >= policy.prepublish, `key ${r.kid} activated too early`)
    }
    // No retired key removed before retireGrace.
    if (r.state === 'removed') assert.ok(r.retiredAt !== null && r.removedAt! - r.retiredAt >= policy.retireGrace, 'removed too early')
    // States only move forward.
    const before = lastState.get(r.kid)
    if (before !== undefined) assert.ok(ORDER[r.state] >= ORDER[before], `${before} -> ${r.state}`)
    lastState.set(r.kid, r.state)
  }
}

describe('rotation invariants (fast-check, random policies and clocks)', () => {
  it('hold at every step of ticks, scheduled and forced rotations, retires and revokes; every token of the last maxTokenTtl verifies from the published set', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (policy, steps) => {
        let now = T0
        const store = await openKeyStore('memory:')
        const manager = createKeyManager(store, policy, { now: () => now, pollIntervalMs: 0, logger: { warn() {} } })
        try {
          await manager.init()
          const firstKids = new Set(manager.keys().filter((r) => r.state === 'active').map((r) => r.kid))
          const lastState = new Map<string, KeyState>()
          const tokens: Token[] = []
          const revoked = new Set<string>()
          const check = () => checkInvariants(policy, manager.keys(), now, firstKids, lastState, new Set(manager.publicJwks().keys.map((k) => k.kid!)))
          check()
          for (const step of steps) {
            const unit = step.scale === 'second' ? 1000 : policy[step.scale as keyof RotationPolicy] as number
            // Clocks mostly move forward; sometimes a little backwards (another instance's skew).
            const delta = Math.round(unit * step.factor) * (step.sign ? 1 : -0.01)
            now += Math.round(delta)
            const alg = policy.algorithms[step.pick % policy.algorithms.length]!
            const activeBefore = (await manager.activeKey(alg)).kid
            // Emergencies may sign with a key not yet ready: they are the only exceptions.
            const forcedIfChanged = async () => {
              const after = (await manager.activeKey(alg)).kid
              if (after !== activeBefore) firstKids.add(after)
            }
            const live = manager.keys().filter((r) => r.alg === alg && r.state !== 'removed' && r.state !== 'revoked')
            const target = live[step.pick % Math.max(1, live.length)]
            switch (step.op) {
              case 'tick':
                await manager.tick()
                break
              case 'rotate': {
                const [outcome] = await manager.rotateKeys({ alg })
                assert.notEqual(outcome!.outcome, 'forced')
                if (outcome!.outcome === 'scheduled') assert.ok(outcome!.activateAt! >= outcome!.next!.publishedAt! + policy.prepublish)
                break
              }
              case 'rotate-now':
                await manager.rotateKeys({ alg, now: true })
                await forcedIfChanged()
                break
              case 'retire':
              case 'retire-now':
                if (target !== undefined && (target.state === 'active' || target.state === 'next')) {
                  await manager.retire(target.kid, { now: step.op === 'retire-now' })
                  if (step.op === 'retire-now') await forcedIfChanged()
                }
                break
              case 'revoke':
                if (target !== undefined) {
                  await manager.revoke(target.kid)
                  revoked.add(target.kid)
                  await forcedIfChanged()
                }
                break
            }
            check()
            const set = manager.publicJwks()
            assert.ok(!JSON.stringify(set).includes('"d"'), 'no private member published')
            for (const a of policy.algorithms) {
              tokens.push({ token: await manager.signJwt({ sub: 'x' }, { alg: a }), kid: (await manager.activeKey(a)).kid, at: now, alg: a })
            }
            const local = jose.createLocalJWKSet(set as jose.JSONWebKeySet)
            for (const t of tokens.filter((x) => x.at > now - policy.maxTokenTtl && x.at <= now && !revoked.has(x.kid))) {
              const { protectedHeader } = await jose.jwtVerify(t.token, local, { currentDate: new Date(t.at) })
              assert.equal(protectedHeader.kid, t.kid)
            }
          }
        } finally {
          await manager.close()
          await store.close()
        }
      }),
      { numRuns: 60 },
    )
  })
})
