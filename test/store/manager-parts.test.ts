/**
 * The parts of the key manager, each alone: the mutex, the private-key cache, the published
 * set, signing with a managed key, and the reading of rotate options.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as jose from 'jose'
import { newKeyRecord } from '../../src/store/apply-actions.ts'
import { readRotateOptions } from '../../src/store/key-operations.ts'
import { signJwsWithRecord, signJwtWithRecord, tokenLifetime } from '../../src/store/manager-signing.ts'
import { Mutex } from '../../src/store/mutex.ts'
import { createPrivateKeyCache } from '../../src/store/private-key-cache.ts'
import { createPublishedSet } from '../../src/store/published-set.ts'
import { defaultPolicy } from '../../src/store/rotation.ts'
import { createSealer, kekFromBytes } from '../../src/store/seal.ts'
import type { KeyRecord } from '../../src/store/types.ts'

const T0 = 1_800_000_000_000
const sealer = createSealer([kekFromBytes(new Uint8Array(32).fill(7))])
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c

describe('Mutex', () => {
  it('runs sections one at a time, in call order; a failure releases the lock', async () => {
    const m = new Mutex()
    const order: string[] = []
    const slow = m.run(async () => { order.push('a1'); await new Promise((r) => setTimeout(r, 20)); order.push('a2') })
    const failing = m.run(async () => { order.push('b'); throw new Error('x') })
    const last = m.run(async () => { order.push('c'); return 3 })
    await slow
    await assert.rejects(failing)
    assert.equal(await last, 3)
    assert.deepEqual(order, ['a1', 'a2', 'b', 'c'])
  })
})

describe('private-key-cache', () => {
  it('holds active and next keys only, unseals on a miss, and logs (not throws) an unsealable key in follow()', async () => {
    const warnings: string[] = []
    const cache = createPrivateKeyCache(sealer, { warn: (m) => warnings.push(m) })
    const { record: active } = await newKeyRecord('ES256', 'active', T0, sealer)
    const { record: next } = await newKeyRecord('ES256', 'next', T0, sealer)
    const broken: KeyRecord = { ...next, kid: 'broken', sealed: new Uint8Array([1, 2, 3]) }
    cache.follow([active, next, broken])
    assert.ok(cache.has(active.kid) && cache.has(next.kid) && !cache.has('broken'))
    assert.match(warnings.join(), /key broken cannot be unsealed: ERR_UNSEAL_FAILED/)
    cache.follow([{ ...active, state: 'retired' }, next])
    assert.ok(!cache.has(active.kid), 'a retired key is dropped')
    assert.ok(cache.keyFor(active)) // unsealed again on demand
    assert.throws(() => cache.keyFor(broken), code('ERR_UNSEAL_FAILED'))
    cache.clear()
    assert.equal(cache.size, 0)
  })
})

describe('published-set', () => {
  it('publishes active, next, retired (in that order), public members only; tells listeners on change only', async () => {
    const set = createPublishedSet()
    const heard: number[] = []
    set.onChange((s) => heard.push(s.keys.length))
    const { record: a } = await newKeyRecord('ES256', 'active', T0, sealer)
    const { record: n } = await newKeyRecord('ES256', 'next', T0 + 1, sealer)
    const { record: r } = await newKeyRecord('ES256', 'next', T0 - 1, sealer)
    const retired = { ...r, state: 'retired' as const }
    const revoked = { ...n, kid: 'gone', state: 'revoked' as const }
    assert.equal(set.update([retired, n, a, revoked]), true)
    assert.deepEqual(set.current().keys.map((k) => k.kid), [a.kid, n.kid, r.kid])
    assert.ok(set.current().keys.every((k) => !('d' in k)))
    assert.equal(set.update([a, n, retired]), false)
    assert.deepEqual(heard, [3])
    assert.ok(Object.isFrozen(set.current()))
  })
})

describe('manager-signing', () => {
  it('puts the record kid and alg in the header and caps exp at maxTokenTtl (and says so)', async () => {
    const policy = defaultPolicy({ maxTokenTtl: 600_000 })
    assert.deepEqual(tokenLifetime(policy, '1h'), { seconds: 600, capped: true, maxSeconds: 600 })
    assert.deepEqual(tokenLifetime(policy, 60), { seconds: 60, capped: false, maxSeconds: 600 })
    assert.deepEqual(tokenLifetime(policy, undefined), { seconds: 600, capped: false, maxSeconds: 600 })
    const { record, privateJwk } = await newKeyRecord('ES256', 'active', T0, sealer)
    const jwt = await signJwtWithRecord(record, privateJwk, { sub: 'a' }, { expiresIn: '1d' }, policy, T0)
    const key = await jose.importJWK(record.publicJwk as jose.JWK, 'ES256')
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, key, { currentDate: new Date(T0) })
    assert.equal(protectedHeader.kid, record.kid)
    assert.equal(payload.exp! - payload.iat!, 600)
    const jws = await signJwsWithRecord(record, privateJwk, 'hi', { cty: 'text/plain' })
    assert.equal((await jose.compactVerify(jws, key)).protectedHeader.cty, 'text/plain')
  })
})

describe('readRotateOptions', () => {
  it('takes an alg or an options object of own members alg, now, add; refuses anything else', () => {
    assert.deepEqual(readRotateOptions(undefined), { alg: undefined, now: false, add: false })
    assert.deepEqual(readRotateOptions('ES256'), { alg: 'ES256', now: false, add: false })
    assert.deepEqual(readRotateOptions({ alg: 'EdDSA', add: true, now: true }), { alg: 'EdDSA', now: true, add: true })
    assert.throws(() => readRotateOptions({ force: true } as never), code('ERR_CONFIG_INVALID'))
    assert.throws(() => readRotateOptions({ now: 'yes' } as never), code('ERR_CONFIG_INVALID'))
    assert.throws(() => readRotateOptions({ add: true }), code('ERR_CONFIG_INVALID'))
    assert.throws(() => readRotateOptions(null as never), TypeError)
    // An inherited now is not read (options are own properties only).
    const polluted = Object.create({ now: true }) as Record<string, unknown>
    assert.deepEqual(readRotateOptions(polluted), { alg: undefined, now: false, add: false })
  })
})
