import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as jose from 'jose'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { rewrapKeys } from '../../src/store/rewrap.ts'
import { kekFromBytes } from '../../src/store/seal.ts'
import type { KeyManager } from '../../src/store/types.ts'
import { flakyStore } from './helpers/flaky-store.ts'

const T0 = 1_800_000_000_000
const DAY = 86_400_000
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c
const verify = (m: KeyManager, token: string, at: number) =>
  jose.jwtVerify(token, jose.createLocalJWKSet(m.publicJwks() as jose.JSONWebKeySet), { currentDate: new Date(at) })

async function setup(policy = {}) {
  let now = T0
  const store = await openKeyStore('memory:')
  const warnings: string[] = []
  const manager = createKeyManager(store, policy, { now: () => now, pollIntervalMs: 0, logger: { warn: (m) => warnings.push(m) } })
  await manager.init()
  return { store, manager, warnings, advance: (ms: number) => { now += ms }, now: () => now }
}

describe('createKeyManager', () => {
  it('creates the first keys of an empty store: one active, one next, both published', async () => {
    const { manager } = await setup()
    const keys = manager.keys()
    assert.deepEqual(keys.map((k) => k.state).sort(), ['active', 'next'])
    const set = manager.publicJwks()
    assert.deepEqual(set.keys.map((k) => k.kid), [keys.find((k) => k.state === 'active')!.kid, keys.find((k) => k.state === 'next')!.kid])
    for (const k of set.keys) {
      assert.deepEqual(Object.keys(k).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
      assert.equal(k.kid, await jose.calculateJwkThumbprint(k as jose.JWK)) // RFC 7638 kid
    }
    assert.equal(manager.status().rotations, 1)
  })

  it('signs JWTs with the active key (kid in the header), exp capped by maxTokenTtl', async () => {
    const { manager, now } = await setup({ maxTokenTtl: 600_000 })
    const active = await manager.activeKey()
    const token = await manager.signJwt({ sub: 'alice' }, { expiresIn: '1d', issuer: 'https://issuer.example', audience: 'api' })
    const { payload, protectedHeader } = await verify(manager, token, now())
    assert.equal(protectedHeader.kid, active.kid)
    assert.equal(protectedHeader.alg, 'ES256')
    assert.equal(payload.exp! - payload.iat!, 600)
    assert.equal(payload.iss, 'https://issuer.example')
    const jws = await manager.signJws('hello', { header: { cty: 'text/plain' } })
    const out = await jose.compactVerify(jws, jose.createLocalJWKSet(manager.publicJwks() as jose.JSONWebKeySet))
    assert.equal(new TextDecoder().decode(out.payload), 'hello')
    assert.equal(out.protectedHeader.kid, active.kid)
    await assert.rejects(manager.signJwt({}, { alg: 'RS256' }), code('ERR_STORE_NO_ACTIVE_KEY'))
  })

  it('rotate(): the next key signs, the old one stays published as retired, a new next appears', async () => {
    const { manager, now, advance } = await setup()
    advance(manager.policy.prepublish) // the next key has been published long enough
    const before = await manager.activeKey()
    const next = manager.keys().find((k) => k.state === 'next')!
    const oldToken = await manager.signJwt({ n: 1 })
    const changes: number[] = []
    manager.onChange((set) => changes.push(set.keys.length))
    const [after] = await manager.rotate()
    assert.equal(after!.kid, next.kid)
    assert.equal(manager.keys().find((k) => k.kid === before.kid)!.state, 'retired')
    assert.equal(manager.publicJwks().keys.length, 3)
    assert.deepEqual(changes, [3])
    assert.equal((await verify(manager, oldToken, now())).protectedHeader.kid, before.kid)
    assert.equal((await verify(manager, await manager.signJwt({ n: 2 }), now())).protectedHeader.kid, next.kid)
    await assert.rejects(manager.rotate('PS256'), code('ERR_CONFIG_INVALID'))
  })

  it('tick(): rotates at rotateEvery, removes retired keys after retireGrace, and is idempotent', async () => {
    const { manager, advance } = await setup()
    const first = await manager.activeKey()
    assert.equal(await manager.tick(), 0)
    advance(30 * DAY)
    assert.equal(await manager.tick(), 3) // retire, activate, create next
    assert.equal(await manager.tick(), 0)
    assert.equal(manager.keys().find((k) => k.kid === first.kid)!.state, 'retired')
    advance(manager.policy.retireGrace)
    assert.equal(await manager.tick(), 1)
    const removed = manager.keys().find((k) => k.kid === first.kid)!
    assert.equal(removed.state, 'removed')
    assert.equal(removed.sealed.length, 0) // private key destroyed
    assert.ok(!manager.publicJwks().keys.some((k) => k.kid === first.kid))
  })

  it('retire(KID) and revoke(KID): state rules and codes', async () => {
    const { manager, advance, warnings } = await setup()
    advance(manager.policy.prepublish)
    const active = await manager.activeKey()
    const retired = await manager.retire(active.kid)
    assert.equal(retired.state, 'retired')
    const now1 = await manager.activeKey()
    assert.notEqual(now1.kid, active.kid)
    await assert.rejects(manager.retire(active.kid), code('ERR_STORE_STATE_INVALID'))
    await assert.rejects(manager.retire('no-such-kid'), code('ERR_STORE_NOT_FOUND'))
    // Revoking the active key takes it out of publication at once; a successor signs (an emergency: warned).
    assert.equal(warnings.length, 0)
    const revoked = await manager.revoke(now1.kid)
    assert.equal(revoked.state, 'revoked')
    assert.equal(revoked.sealed.length, 0) // no sealed private key left behind
    assert.match(warnings.join('\n'), /revoked the active key .* signs now, published 0 s ago .*refetch/)
    assert.ok(!manager.publicJwks().keys.some((k) => k.kid === now1.kid))
    assert.notEqual((await manager.activeKey()).kid, now1.kid)
    await assert.rejects(manager.revoke(now1.kid), code('ERR_STORE_STATE_INVALID'))
    // Revoke a retired key too.
    assert.equal((await manager.revoke(active.kid)).state, 'revoked')
    assert.ok(!manager.publicJwks().keys.some((k) => k.kid === active.kid))
    assert.equal(manager.keys().filter((k) => k.state === 'active').length, 1)
    assert.equal(manager.keys().filter((k) => k.state === 'next').length, 1)
  })

  it('rotate() never activates a key published less than prepublish ago: it schedules the activation', async () => {
    const { manager, advance, now, warnings } = await setup()
    const active = await manager.activeKey()
    const next = manager.keys().find((k) => k.state === 'next')!
    advance(300) // two rotations 0.3 s apart used to make a key sign 0.3 s after publication
    const [outcome] = await manager.rotateKeys()
    assert.equal(outcome!.outcome, 'scheduled')
    assert.equal(outcome!.activateAt, next.publishedAt! + manager.policy.prepublish)
    assert.equal(outcome!.active!.kid, active.kid)
    assert.equal((await manager.rotate())[0]!.kid, active.kid) // again: still the old key, same schedule
    assert.equal(manager.keys().find((k) => k.kid === next.kid)!.activateAt, outcome!.activateAt)
    assert.equal((await manager.activeKey()).kid, active.kid)
    assert.equal(warnings.length, 0)
    advance(manager.policy.prepublish - 301)
    assert.equal(await manager.tick(), 0) // one millisecond early: nothing
    advance(1)
    assert.equal(await manager.tick(), 3)
    const signer = await manager.activeKey()
    assert.equal(signer.kid, next.kid)
    assert.ok(signer.activatedAt! - signer.publishedAt! >= manager.policy.prepublish)
    assert.equal(manager.keys().find((k) => k.kid === active.kid)!.state, 'retired')
    assert.ok(now() > 0)
  })

  it('rotate({ now: true }) is the explicit emergency: the next key signs at once, with a warning', async () => {
    const { manager, warnings } = await setup()
    const next = manager.keys().find((k) => k.state === 'next')!
    const [outcome] = await manager.rotateKeys({ now: true })
    assert.equal(outcome!.outcome, 'forced')
    assert.equal(outcome!.active!.kid, next.kid)
    assert.equal(warnings.length, 1)
    assert.match(warnings[0]!, /forced rotation .* signs now, published 0 s ago .*cached JWK Set refuse its tokens until they refetch/)
  })

  it('retire(active) waits for a ready successor unless { now: true }', async () => {
    const { manager } = await setup()
    const active = await manager.activeKey()
    assert.equal((await manager.retire(active.kid)).state, 'active')
    assert.ok(manager.keys().some((k) => k.state === 'next' && k.activateAt !== undefined))
    assert.equal((await manager.retire(active.kid, { now: true })).state, 'retired')
    assert.equal(manager.keys().filter((k) => k.state === 'active').length, 1)
  })

  it('rotate on an empty store creates the first keys and retires nothing', async () => {
    const store = await openKeyStore('memory:')
    const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
    const [outcome] = await manager.rotateKeys()
    assert.equal(outcome!.outcome, 'started')
    assert.deepEqual(manager.keys().map((k) => k.state).sort(), ['active', 'next'])
    await manager.close()
  })

  it('a new algorithm only with add: true; it is published first and signs after prepublish', async () => {
    const { manager, advance } = await setup()
    await assert.rejects(manager.rotate({ alg: 'EdDSA' }), code('ERR_CONFIG_INVALID'))
    await assert.rejects(manager.rotate({ alg: 'ES256', force: true } as never), code('ERR_CONFIG_INVALID')) // unknown member
    await assert.rejects(manager.rotate({ alg: 'HS256', add: true }), code('ERR_CONFIG_INVALID'))
    assert.deepEqual(manager.keys().map((k) => k.alg), ['ES256', 'ES256'])
    const [outcome] = await manager.rotateKeys({ alg: 'EdDSA', add: true })
    assert.equal(outcome!.active, undefined)
    assert.equal(outcome!.activateAt, outcome!.next!.publishedAt! + manager.policy.prepublish)
    assert.ok(manager.publicJwks().keys.some((k) => k.kid === outcome!.next!.kid))
    await assert.rejects(manager.signJwt({}, { alg: 'EdDSA' }), code('ERR_STORE_NO_ACTIVE_KEY'))
    advance(manager.policy.prepublish)
    await manager.tick()
    assert.equal((await manager.activeKey('EdDSA')).kid, outcome!.next!.kid)
    assert.equal((await manager.activeKey('ES256')).alg, 'ES256')
  })

  it('keeps signing and publishing while the store is down; status shows it; recovers', async () => {
    let now = T0
    const inner = await openKeyStore('memory:')
    const { store, setDown } = flakyStore(inner)
    const manager = createKeyManager(store, {}, { now: () => now, pollIntervalMs: 0 })
    await manager.init()
    const set = manager.publicJwks()
    const active = await manager.activeKey()
    setDown(true)
    now += 31 * DAY
    await assert.rejects(manager.tick(), code('ERR_STORE_UNAVAILABLE'))
    await assert.rejects(manager.rotate(), code('ERR_STORE_UNAVAILABLE'))
    const token = await manager.signJwt({ during: 'outage' })
    assert.equal((await verify(manager, token, now)).protectedHeader.kid, active.kid)
    assert.equal(manager.publicJwks(), set)
    const st = manager.status()
    assert.equal(st.storeReachable, false)
    assert.ok(st.storeErrors >= 2)
    assert.match(st.lastError!, /^ERR_STORE_UNAVAILABLE/)
    setDown(false)
    assert.equal(await manager.tick(), 3) // the rotation that waited
    assert.equal(manager.status().storeReachable, true)
    assert.notEqual((await manager.activeKey()).kid, active.kid)
    await manager.close()
  })

  it('a manager with the wrong KEK refuses to start or sign with ERR_UNSEAL_FAILED (never a garbage key)', async () => {
    const storeA = await openKeyStore('memory:', { keks: [new Uint8Array(32).fill(1)] })
    const m = createKeyManager(storeA, {}, { pollIntervalMs: 0, logger: { warn() {} } })
    await m.init()
    const records = await storeA.list()
    const storeB = await openKeyStore('memory:', { keks: [new Uint8Array(32).fill(2)] })
    for (const r of records) await storeB.insert(r)
    const m2 = createKeyManager(storeB, {}, { pollIntervalMs: 0, logger: { warn() {} } })
    await assert.rejects(m2.init(), code('ERR_UNSEAL_FAILED'))
    await assert.rejects(m2.signJwt({}), code('ERR_UNSEAL_FAILED'))
  })

  it('rewrapKeys re-seals under the first KEK; the old KEK can then go', async () => {
    const old = new Uint8Array(32).fill(7)
    const fresh = new Uint8Array(32).fill(8)
    const s1 = await openKeyStore('memory:', { keks: [old] })
    const m1 = createKeyManager(s1, {}, { pollIntervalMs: 0 })
    await m1.init()
    const records = await s1.list()
    const s2 = await openKeyStore('memory:', { keks: [fresh, old] })
    for (const r of records) await s2.insert(r)
    assert.equal(await rewrapKeys(s2), 2)
    assert.equal(await rewrapKeys(s2), 0)
    const rewrapped = await s2.list()
    assert.ok(rewrapped.every((r) => r.kekId === kekFromBytes(fresh).id))
    const s3 = await openKeyStore('memory:', { keks: [fresh] })
    for (const r of rewrapped) await s3.insert(r)
    const m3 = createKeyManager(s3, {}, { pollIntervalMs: 0 })
    await m3.init()
    const token = await m3.signJwt({})
    assert.equal((await verify(m3, token, Date.now())).protectedHeader.kid, (await m1.activeKey()).kid)
  })

  it('refuses wrong arguments with TypeError and bad policies with ERR_CONFIG_INVALID', async () => {
    const store = await openKeyStore('memory:')
    assert.throws(() => createKeyManager({} as never), TypeError)
    assert.throws(() => createKeyManager(store, { algorithms: ['HS256'] }), code('ERR_CONFIG_INVALID'))
  })
})
