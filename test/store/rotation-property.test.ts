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

/** A step: how far the clock moves, as a fraction of one of the policy's durations (0 = a stalled clock). */
const stepArb = fc.record({
  scale: fc.constantFrom('rotateEvery', 'prepublish', 'retireGrace', 'maxTokenTtl', 'second'),
  factor: fc.double({ min: 0, max: 2.5, noNaN: true }),
  sign: fc.boolean(),
})

const ORDER: Record<KeyState, number> = { next: 0, active: 1, retired: 2, revoked: 3, removed: 4 }

interface Token { token: string; kid: string; at: number; alg: string }

function checkInvariants(policy: RotationPolicy, records: readonly KeyRecord[], now: number, firstKids: Set<string>, lastState: Map<string, KeyState>) {
  for (const alg of policy.algorithms) {
    // Exactly one active key per alg.
    assert.equal(records.filter((r) => r.alg === alg && r.state === 'active').length, 1, `one active ${alg}`)
  }
  for (const r of records) {
    // Activation only after prepublish, except the first key of an empty store.
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
  it('hold at every step, and every token of the last maxTokenTtl verifies from the published set', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (policy, steps) => {
        let now = T0
        const store = await openKeyStore('memory:')
        const manager = createKeyManager(store, policy, { now: () => now, pollIntervalMs: 0 })
        try {
          await manager.init()
          const firstKids = new Set(manager.keys().filter((r) => r.state === 'active').map((r) => r.kid))
          const lastState = new Map<string, KeyState>()
          const tokens: Token[] = []
          checkInvariants(policy, manager.keys(), now, firstKids, lastState)
          for (const step of steps) {
            const unit = step.scale === 'second' ? 1000 : policy[step.scale as keyof RotationPolicy] as number
            // Clocks mostly move forward; sometimes a little backwards (another instance's skew).
            const delta = Math.round(unit * step.factor) * (step.sign ? 1 : -0.01)
            now += Math.round(delta)
            await manager.tick()
            checkInvariants(policy, manager.keys(), now, firstKids, lastState)
            const set = manager.publicJwks()
            assert.ok(!JSON.stringify(set).includes('"d"'), 'no private member published')
            for (const alg of policy.algorithms) {
              tokens.push({ token: await manager.signJwt({ sub: 'x' }, { alg }), kid: (await manager.activeKey(alg)).kid, at: now, alg })
            }
            const local = jose.createLocalJWKSet(set as jose.JSONWebKeySet)
            for (const t of tokens.filter((x) => x.at > now - policy.maxTokenTtl && x.at <= now)) {
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
