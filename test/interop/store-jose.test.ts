/**
 * Interop: tokens the key manager signs verify with `jose` (an independent implementation)
 * using only the published JWK Set — before, during and after rotations — including a relying
 * party that caches the set for the full `jwksMaxAge` (the reason for pre-publication).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as jose from 'jose'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'

const HOUR = 3_600_000
const T0 = 1_800_000_000_000

describe('key manager tokens verify with jose over publicJwks()', () => {
  for (const algorithms of [['ES256'], ['EdDSA', 'ES384'], ['PS256']]) {
    it(`${algorithms.join(', ')}: before, during and after rotations, with a caching relying party`, async () => {
      let now = T0
      const store = await openKeyStore('memory:')
      const manager = createKeyManager(store, { algorithms, rotateEvery: 6 * HOUR, jwksMaxAge: HOUR, maxTokenTtl: HOUR }, { now: () => now, pollIntervalMs: 0 })
      await manager.init()
      let cached = { at: now, set: jose.createLocalJWKSet(structuredClone(manager.publicJwks()) as jose.JSONWebKeySet) }
      const issued: Array<{ token: string; at: number }> = []
      const kids = new Set<string>()
      const steps = algorithms[0] === 'PS256' ? 26 : 60
      for (let i = 0; i < steps; i++) {
        now += HOUR / 2
        await manager.tick()
        // The relying party refetches only when its copy is jwksMaxAge old.
        if (now - cached.at >= HOUR) cached = { at: now, set: jose.createLocalJWKSet(structuredClone(manager.publicJwks()) as jose.JSONWebKeySet) }
        const current = jose.createLocalJWKSet(manager.publicJwks() as jose.JSONWebKeySet)
        for (const alg of algorithms) {
          const token = await manager.signJwt({ sub: `step-${i}` }, { alg, issuer: 'https://issuer.example' })
          issued.push({ token, at: now })
          const fromCache = await jose.jwtVerify(token, cached.set, { currentDate: new Date(now), issuer: 'https://issuer.example', algorithms: [alg] })
          assert.equal(fromCache.protectedHeader.alg, alg)
          kids.add(fromCache.protectedHeader.kid!)
          const jws = await manager.signJws(`payload ${i}`, { alg })
          await jose.compactVerify(jws, current)
        }
        for (const old of issued.filter((x) => x.at > now - HOUR)) {
          await jose.jwtVerify(old.token, current, { currentDate: new Date(old.at) })
        }
      }
      assert.ok(kids.size >= 2 * algorithms.length, 'several rotations happened')
      await manager.close()
    })
  }
})
