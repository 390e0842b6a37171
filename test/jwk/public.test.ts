import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { isPrivateJwk, toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, readVector, without } from './helpers.ts'

const zoo = keyZoo() as unknown as Record<string, Jwk>

describe('toPublicJwk (RFC 7517 §4, RFC 7518 §6.2.1/§6.3.1, RFC 8037 §2)', () => {
  it('keeps exactly the public members node:crypto exports', () => {
    for (const name of ['rsa', 'p256', 'p384', 'p521', 'k256', 'ed25519', 'ed448', 'x25519', 'x448']) {
      const key = zoo[name]!
      const nodePublic = createPublicKey(createPrivateKey({ key: key as never, format: 'jwk' })).export({ format: 'jwk' })
      assert.deepEqual(sorted(toPublicJwk(key)), sorted(nodePublic), name)
    }
  })
  it('AKP: keeps alg and pub, drops priv', () => {
    const pub = toPublicJwk(zoo.akp!)
    assert.deepEqual(pub, without(zoo.akp as never, 'priv'))
  })
  it('is an allowlist: unregistered members are not copied, metadata is', () => {
    const input = { ...zoo.p256!, kid: 'k1', alg: 'ES256', use: 'sig', x5u: 'https://x', x5t: 'a', 'x5t#S256': 'b', ext: true, secret_extra: 's', dp: 'x', k: 'y' }
    const out = toPublicJwk(input as Jwk)
    assert.deepEqual(Object.keys(out).sort(), ['alg', 'crv', 'ext', 'kid', 'kty', 'use', 'x', 'x5t', 'x5t#S256', 'x5u', 'y'])
  })
  it('keeps the input member order (RFC 7517 A.2 → A.1)', () => {
    const cases = readVector('rfc-examples.json') as Array<{ id: string; input: { jwks: { keys: Jwk[] } }; expected: { publicJwks: { keys: Jwk[] } } }>
    const a2 = cases.find((c) => c.id === 'rfc7517-A.2')!
    const out = a2.input.jwks.keys.map(toPublicJwk)
    assert.equal(JSON.stringify(out), JSON.stringify(a2.expected.publicJwks.keys))
  })
  it('maps key_ops to the public operations and drops the rest', () => {
    assert.deepEqual(toPublicJwk({ ...zoo.p256!, key_ops: ['sign', 'verify'] } as Jwk).key_ops, ['verify'])
    assert.deepEqual(toPublicJwk({ ...zoo.rsa!, key_ops: ['decrypt', 'unwrapKey', 'x-op'] } as Jwk).key_ops, ['encrypt', 'wrapKey'])
    assert.equal('key_ops' in toPublicJwk({ ...zoo.x25519!, key_ops: ['deriveBits', 'deriveKey'] } as Jwk), false)
  })
  it('copies x5c; is idempotent; never returns the input', () => {
    const input = { ...zoo.p256!, x5c: ['AAAA'] } as Jwk
    const out = toPublicJwk(input)
    assert.notEqual(out.x5c, input.x5c)
    assert.deepEqual(toPublicJwk(out), out)
    assert.notEqual(toPublicJwk(out), out)
  })
  it('an oct key has no public form (ERR_JWK_NO_PUBLIC_FORM); unknown kty is ERR_JWK_UNSUPPORTED', () => {
    assert.throws(() => toPublicJwk(zoo.oct!), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWK_NO_PUBLIC_FORM')
    assert.throws(() => toPublicJwk({ kty: 'DSA' } as unknown as Jwk), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWK_UNSUPPORTED')
    assert.throws(() => toPublicJwk(null as unknown as Jwk), TypeError)
  })
})

describe('isPrivateJwk', () => {
  it('is true for private and secret keys, false for public ones', () => {
    for (const [name, key] of Object.entries(zoo)) {
      assert.equal(isPrivateJwk(key), true, name)
      if (name !== 'oct') assert.equal(isPrivateJwk(toPublicJwk(key)), false, name)
    }
    assert.equal(isPrivateJwk({ kty: 'RSA', n: 'AQAB', e: 'AQAB', oth: [] } as unknown as Jwk), true)
    assert.equal(isPrivateJwk(Object.create({ d: 'x' }, { kty: { value: 'EC', enumerable: true } }) as Jwk), false)
  })
})

function sorted(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)))
}
