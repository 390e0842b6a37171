/**
 * The admin rotation over a real key manager (memory store): a rotation right after start is
 * scheduled for the next key's prepublish time, never applied at once; `{"now": true}` is the
 * emergency, answered as forced and logged at warn.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createJwksServer } from '../../src/server/create-jwks-server.ts'
import { createLogger } from '../../src/server/logger.ts'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { close, listen, request } from './http-helpers.ts'

const TOKEN = 'test-admin-token-0123456789abcdef'

test('POST /admin/keys/rotate never activates a key published less than prepublish ago', async () => {
  const store = await openKeyStore('memory:')
  const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
  await manager.init()
  const lines: Array<Record<string, unknown>> = []
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) })
  const server = createJwksServer(manager, { adminToken: TOKEN, logger })
  const base = await listen(server)
  try {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const active = (await manager.activeKey()).kid
    const next = manager.keys().find((k) => k.state === 'next')!
    const r = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth })
    assert.equal(r.status, 200)
    const [rotation] = r.json().rotations
    assert.equal(rotation.outcome, 'scheduled')
    assert.equal(rotation.activateAt, next.publishedAt! + manager.policy.prepublish)
    assert.equal(r.json().active[0].kid, active)
    assert.equal((await manager.activeKey()).kid, active)
    assert.ok(!lines.some((l) => l.level === 'warn'))

    const forced = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth, body: '{"now":true}' })
    assert.equal(forced.status, 200)
    assert.equal(forced.json().rotations[0].outcome, 'forced')
    assert.equal(forced.json().active[0].kid, next.kid)
    const warn = lines.find((l) => l.level === 'warn')
    assert.match(String(warn?.msg), /forced rotation by admin request: .*refuse their tokens until they refetch/)
  } finally {
    await close(server)
    await manager.close()
    await store.close()
  }
})

test('POST /admin/sign says when maxTokenTtl capped the lifetime; a long unknown kid is cut in the 404', async () => {
  const store = await openKeyStore('memory:')
  const manager = createKeyManager(store, { maxTokenTtl: 600_000 }, { pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
  await manager.init()
  const server = createJwksServer(manager, { adminToken: TOKEN })
  const base = await listen(server)
  try {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const capped = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: '{"claims":{},"expiresIn":"1d"}' })
    assert.equal(capped.status, 200)
    assert.equal(capped.json().expiresIn, 600)
    assert.deepEqual(capped.json().capped, { maxTokenTtl: 600, asked: '1d' })
    const claims = JSON.parse(Buffer.from(capped.json().token.split('.')[1], 'base64url').toString())
    assert.equal(claims.exp - claims.iat, 600)
    const within = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: '{"claims":{},"expiresIn":60}' })
    assert.equal(within.json().expiresIn, 60)
    assert.equal(within.json().capped, undefined)
    const kid = 'x'.repeat(200)
    const missing = await request(base, `/admin/keys/${kid}/retire`, { method: 'POST', headers: auth })
    assert.equal(missing.status, 404)
    assert.ok(!missing.text.includes(kid) && missing.text.includes('200 characters'), missing.text)
  } finally {
    await close(server)
    await manager.close()
    await store.close()
  }
})

test('POST /admin/keys/rotate {"alg","add":true} starts a lifecycle: published first, announced in discovery, warned', async () => {
  const store = await openKeyStore('memory:')
  const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
  await manager.init()
  const lines: Array<Record<string, unknown>> = []
  const server = createJwksServer(manager, { adminToken: TOKEN, issuer: 'https://issuer.example', logger: createLogger({ write: (l) => lines.push(JSON.parse(l)) }) })
  const base = await listen(server)
  try {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const refused = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth, body: '{"alg":"EdDSA"}' })
    assert.equal(refused.status, 400)
    const added = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth, body: '{"alg":"EdDSA","add":true}' })
    assert.equal(added.status, 200, added.text)
    const [rotation] = added.json().rotations
    assert.equal(rotation.active, null)
    assert.equal(typeof rotation.activateAt, 'number')
    assert.ok((await request(base, '/.well-known/jwks.json')).json().keys.some((k: { kid: string }) => k.kid === rotation.next))
    const discovery = (await request(base, '/.well-known/openid-configuration')).json()
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['ES256', 'EdDSA'])
    assert.ok(lines.some((l) => l.level === 'warn' && /every other instance on this store must list it/.test(String(l.msg))))
  } finally {
    await close(server)
    await manager.close()
    await store.close()
  }
})
