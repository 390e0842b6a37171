import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from '../../src/formats/cbor.ts'
import { fromCose, toCose } from '../../src/formats/cose.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { assertCode, keyPool, poolKey } from './helpers.ts'

const b64u = (s: string) => Buffer.from(s, 'base64url')
const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex')

test('WebAuthn-shaped EC2 key (RFC 9053 §7.1.1): bytes a5 01 02 03 26 20 01 21 58 20 x 22 58 20 y, both ways', () => {
  const pub = toPublicJwk(poolKey('P-256').jwk) as { x: string; y: string }
  const expected = hex('a5 01 02 03 26 20 01 2158 20' + b64u(pub.x).toString('hex') + '2258 20' + b64u(pub.y).toString('hex'))
  const jwk = { ...pub, alg: 'ES256' } as Jwk
  assert.deepEqual(Buffer.from(toCose(jwk)), expected)
  assert.deepEqual(fromCose(expected), jwk)
})

test('RFC 9053 §7.4 symmetric key, RFC 8230 §4 RSA key, RFC 8037 OKP keys: exact canonical bytes', () => {
  const k = Buffer.alloc(32, 0x5a)
  const sym = { kty: 'oct', k: k.toString('base64url'), alg: 'HS256', kid: 'our-secret' } as Jwk
  const expected = hex('a4 01 04 02 4a' + Buffer.from('our-secret').toString('hex') + '03 05 20 5820' + k.toString('hex'))
  assert.deepEqual(Buffer.from(toCose(sym)), expected)
  assert.deepEqual(fromCose(expected), sym)
  const ed = toPublicJwk(poolKey('Ed25519').jwk) as { x: string }
  assert.deepEqual(Buffer.from(toCose({ ...ed, alg: 'EdDSA' } as Jwk)), hex('a4 01 01 03 27 20 06 21 5820' + b64u(ed.x).toString('hex')))
  const rsa = toPublicJwk(poolKey('RSA').jwk) as { n: string; e: string }
  const rsaCose = toCose({ ...rsa, alg: 'PS256' } as Jwk)
  assert.deepEqual(decodeCbor(rsaCose), new Map<number, CborValue>([[1, 3], [3, -37], [-1, Uint8Array.from(b64u(rsa.n))], [-2, Uint8Array.from(b64u(rsa.e))]]))
})

test('property: JWK → COSE_Key → JWK is the identity (every key type, private and public, with kid/alg/key_ops)', () => {
  const algs: Record<string, string> = { RSA: 'RS256', 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', secp256k1: 'ES256K', Ed25519: 'Ed25519', Ed448: 'Ed448' }
  fc.assert(fc.property(
    fc.constantFrom(...keyPool()), fc.boolean(), fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }), fc.boolean(),
    ({ name, jwk }, asPublic, kid, withAlg) => {
      const base = asPublic ? toPublicJwk(jwk) : jwk
      const input = { ...base, ...(kid === undefined ? {} : { kid }), ...(withAlg && algs[name] ? { alg: algs[name] } : {}) } as Jwk
      assert.deepEqual(fromCose(toCose(input)), input)
    }), { numRuns: 80 })
  const secret = fc.uint8Array({ minLength: 16, maxLength: 64 })
  fc.assert(fc.property(secret, (k) => {
    const jwk = { kty: 'oct', k: Buffer.from(k).toString('base64url'), key_ops: ['sign', 'verify'] } as Jwk
    assert.deepEqual(fromCose(toCose(jwk)), jwk)
  }), { numRuns: 30 })
})

test('COSE alg ↔ JOSE alg table (RFC 9053, RFC 8230, RFC 8812, RFC 9864)', () => {
  const pairs: Array<[number, string, string]> = [
    [-7, 'ES256', 'P-256'], [-35, 'ES384', 'P-384'], [-36, 'ES512', 'P-521'], [-47, 'ES256K', 'secp256k1'],
    [-8, 'EdDSA', 'Ed25519'], [-19, 'Ed25519', 'Ed25519'], [-53, 'Ed448', 'Ed448'],
    [-257, 'RS256', 'RSA'], [-258, 'RS384', 'RSA'], [-259, 'RS512', 'RSA'], [-37, 'PS256', 'RSA'], [-38, 'PS384', 'RSA'], [-39, 'PS512', 'RSA'],
  ]
  for (const [cose, jose, key] of pairs) {
    const jwk = { ...toPublicJwk(poolKey(key).jwk), alg: jose } as Jwk
    assert.equal((decodeCbor(toCose(jwk)) as CborMap).get(3), cose, jose)
    assert.equal(fromCose(toCose(jwk)).alg, jose)
  }
  const map = decodeCbor(toCose(toPublicJwk(poolKey('P-256').jwk))) as CborMap
  map.set(3, -65535) // RS1: no JOSE equivalent
  assertCode(() => fromCose(map as Map<number, unknown>), 'ERR_JWK_UNSUPPORTED')
})

test('kid: UTF-8 bytes become that string; other bytes become base64url', () => {
  const pub = toPublicJwk(poolKey('Ed25519').jwk)
  const map = decodeCbor(toCose(pub)) as CborMap
  map.set(2, Uint8Array.of(0xff, 0x00, 0x10))
  assert.equal(fromCose(map as Map<number, unknown>).kid, '_wAQ')
  map.set(2, Buffer.from('bilbo@hobbiton.example'))
  assert.equal(fromCose(map as Map<number, unknown>).kid, 'bilbo@hobbiton.example')
})

const ec2 = () => decodeCbor(toCose(toPublicJwk(poolKey('P-256').jwk))) as CborMap

test('refused with ERR_COSE_INVALID: missing labels (kty, crv, x, y, n, k)', () => {
  for (const label of [1, -1, -2, -3]) {
    const map = ec2()
    map.delete(label)
    assert.throws(() => fromCose(encodeCbor(map)), (e: { code?: string }) => e.code === 'ERR_COSE_INVALID', `label ${label}`)
  }
  assertCode(() => fromCose(encodeCbor(new Map<number, CborValue>([[1, 3], [-2, Uint8Array.of(1, 0, 1)]]))), 'ERR_COSE_INVALID')
  assertCode(() => fromCose(encodeCbor(new Map([[1, 4]]))), 'ERR_COSE_INVALID')
})

test('refused with ERR_COSE_INVALID: duplicate labels, bad CBOR, not a map, wrong value types and lengths', () => {
  // {1: 2, 1: 2, ...}: a duplicate kty label.
  const good = Buffer.from(toCose(toPublicJwk(poolKey('P-256').jwk)))
  const dup = Buffer.concat([Buffer.of(good[0]! + 1, 0x01, 0x02), good.subarray(1)])
  assertCode(() => fromCose(dup), 'ERR_COSE_INVALID')
  assertCode(() => fromCose(good.subarray(0, good.length - 1)), 'ERR_COSE_INVALID')
  assertCode(() => fromCose(Buffer.concat([good, Buffer.of(0)])), 'ERR_COSE_INVALID')
  assertCode(() => fromCose(hex('83010203')), 'ERR_COSE_INVALID')
  const textX = ec2()
  textX.set(-2, 'not bytes')
  assertCode(() => fromCose(encodeCbor(textX)), 'ERR_COSE_INVALID')
  const shortX = ec2()
  shortX.set(-2, (shortX.get(-2) as Uint8Array).subarray(1))
  assertCode(() => fromCose(encodeCbor(shortX)), 'ERR_COSE_INVALID')
  const okpCurveOnEc2 = ec2()
  okpCurveOnEc2.set(-1, 6)
  assertCode(() => fromCose(encodeCbor(okpCurveOnEc2)), 'ERR_COSE_INVALID')
  const unknownLabel = ec2()
  unknownLabel.set(-70, 1)
  assertCode(() => fromCose(encodeCbor(unknownLabel)), 'ERR_COSE_INVALID')
  assertCode(() => fromCose(new Map<number, unknown>([[1, 2], [-1, { not: 'cbor' }]])), 'ERR_COSE_INVALID')
})

test('refused: unsupported kty/crv, compressed points, a point off the curve, a private key not matching its public key', () => {
  assertCode(() => fromCose(encodeCbor(new Map([[1, 7]]))), 'ERR_JWK_UNSUPPORTED')
  const brainpool = ec2()
  brainpool.set(-1, 256)
  assertCode(() => fromCose(encodeCbor(brainpool)), 'ERR_JWK_UNSUPPORTED')
  const compressed = ec2()
  compressed.set(-3, true)
  assertCode(() => fromCose(encodeCbor(compressed)), 'ERR_JWK_UNSUPPORTED')
  const offCurve = ec2()
  const y = Uint8Array.from(offCurve.get(-3) as Uint8Array)
  y[31]! ^= 1
  offCurve.set(-3, y)
  // refused by parseJwk's own curve-equation check (RFC 7518 §6.2.1), no node:crypto import involved
  assert.throws(() => fromCose(encodeCbor(offCurve)), (e: { code?: string; path?: string }) => e.code === 'ERR_JWK_INVALID' && e.path === '/x')
  for (const name of ['P-384', 'P-521', 'secp256k1']) {
    const map = decodeCbor(toCose(toPublicJwk(poolKey(name).jwk))) as CborMap
    const x = Uint8Array.from(map.get(-2) as Uint8Array)
    x[x.length - 1]! ^= 1
    map.set(-2, x)
    assert.throws(() => fromCose(encodeCbor(map)), (e: { code?: string; path?: string }) => e.code === 'ERR_JWK_INVALID' && e.path === '/x', name)
  }
  // an RSA private key with d alone (RFC 8230 §4 allows it) cannot be checked: refused
  const rsaDOnly = decodeCbor(toCose(poolKey('RSA').jwk)) as CborMap
  for (const label of [-4, -5, -6, -7, -8]) rsaDOnly.delete(label)
  assertCode(() => fromCose(encodeCbor(rsaDOnly)), 'ERR_JWK_UNSUPPORTED')
  for (const name of ['P-256', 'Ed25519']) {
    const priv = decodeCbor(toCose(poolKey(name).jwk)) as CborMap
    const d = Uint8Array.from(priv.get(-4) as Uint8Array)
    d[5]! ^= 1
    priv.set(-4, d)
    assert.throws(() => fromCose(encodeCbor(priv)), (e: { code?: string }) => ['ERR_COSE_INVALID', 'ERR_JWK_INVALID'].includes(e.code ?? ''), name)
  }
})
