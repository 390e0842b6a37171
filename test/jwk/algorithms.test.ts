import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  JWE_ALGORITHMS, JWS_ALGORITHMS, algorithmUse, jweAlgorithm, jwsAlgorithm, keyFitsAlgorithm, signatureAlgorithmsForKey,
} from '../../src/jwk/algorithms.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, nodeJwk, without } from './helpers.ts'

const zoo = keyZoo() as unknown as Record<string, Jwk>
const oct = (n: number, extra: object = {}) => ({ kty: 'oct', k: randomBytes(n).toString('base64url'), ...extra }) as Jwk

describe('jwsAlgorithm (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864, AKP)', () => {
  it('describes every JWS algorithm', () => {
    assert.deepEqual(jwsAlgorithm('ES384'), { alg: 'ES384', kty: 'EC', family: 'ECDSA', crv: ['P-384'], hash: 'sha384', signatureBytes: 96 })
    assert.equal(jwsAlgorithm('ES512')!.signatureBytes, 132)
    assert.equal(jwsAlgorithm('HS384')!.minKeyBytes, 48)
    assert.deepEqual(jwsAlgorithm('EdDSA')!.crv, ['Ed25519', 'Ed448'])
    assert.equal(jwsAlgorithm('ES256K')!.crv![0], 'secp256k1')
    assert.equal(jwsAlgorithm('PS512')!.family, 'RSA-PSS')
    assert.equal(jwsAlgorithm('ML-DSA-65')!.kty, 'AKP')
    for (const alg of ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
      assert.equal(jwsAlgorithm(alg)!.alg, alg)
      assert.ok(JWS_ALGORITHMS.includes(alg))
      assert.equal(algorithmUse(alg), 'sig')
    }
  })
  it('knows nothing else: none, lower case, JWE names, prototype names', () => {
    for (const alg of ['none', 'hs256', 'A128KW', 'ES224', '__proto__', 'constructor', 'toString']) assert.equal(jwsAlgorithm(alg), undefined)
    for (const alg of ['A128KW', 'A256GCM', 'A128CBC-HS256', 'dir', 'RSA-OAEP-256', 'ECDH-ES+A128KW', 'PBES2-HS256+A128KW']) {
      assert.ok(jweAlgorithm(alg))
      assert.ok(JWE_ALGORITHMS.includes(alg))
      assert.equal(algorithmUse(alg), 'enc')
    }
    assert.equal(algorithmUse('none'), undefined)
  })
})

describe('keyFitsAlgorithm', () => {
  it('matches kty and curve', () => {
    assert.equal(keyFitsAlgorithm(zoo.p384!, 'ES384'), true)
    assert.equal(keyFitsAlgorithm(zoo.p256!, 'ES384'), false)
    assert.equal(keyFitsAlgorithm(zoo.k256!, 'ES256K'), true)
    assert.equal(keyFitsAlgorithm(zoo.k256!, 'ES256'), false)
    assert.equal(keyFitsAlgorithm(zoo.ed448!, 'EdDSA'), true)
    assert.equal(keyFitsAlgorithm(zoo.ed448!, 'Ed25519'), false)
    assert.equal(keyFitsAlgorithm(zoo.x25519!, 'EdDSA'), false)
    assert.equal(keyFitsAlgorithm(zoo.x25519!, 'ECDH-ES'), true)
    assert.equal(keyFitsAlgorithm(zoo.rsa!, 'RS256'), true)
    assert.equal(keyFitsAlgorithm(zoo.rsa!, 'RSA-OAEP'), true)
    assert.equal(keyFitsAlgorithm(zoo.rsa!, 'HS256'), false)
    assert.equal(keyFitsAlgorithm(zoo.p256!, 'HS256'), false)
    assert.equal(keyFitsAlgorithm(zoo.akp!, 'ML-DSA-44'), true)
    assert.equal(keyFitsAlgorithm(zoo.akp!, 'ML-DSA-65'), false)
    assert.equal(keyFitsAlgorithm(zoo.p256!, 'none'), false)
    assert.equal(keyFitsAlgorithm(zoo.p256!, 'whatever'), false)
  })
  it('sizes HMAC and AES keys (RFC 7518 §3.2, §4.4, §5.2, §5.3)', () => {
    assert.equal(keyFitsAlgorithm(oct(32), 'HS256'), true)
    assert.equal(keyFitsAlgorithm(oct(31), 'HS256'), false)
    assert.equal(keyFitsAlgorithm(oct(48), 'HS384'), true)
    assert.equal(keyFitsAlgorithm(oct(63), 'HS512'), false)
    assert.equal(keyFitsAlgorithm(oct(16), 'A128KW'), true)
    assert.equal(keyFitsAlgorithm(oct(17), 'A128KW'), false)
    assert.equal(keyFitsAlgorithm(oct(24), 'A192GCM'), true)
    assert.equal(keyFitsAlgorithm(oct(32), 'A128CBC-HS256'), true)
    assert.equal(keyFitsAlgorithm(oct(48), 'A192CBC-HS384'), true)
    assert.equal(keyFitsAlgorithm(oct(64), 'A256CBC-HS512'), true)
    assert.equal(keyFitsAlgorithm(oct(32), 'A256CBC-HS512'), false)
    assert.equal(keyFitsAlgorithm(oct(1), 'dir'), true)
    assert.equal(keyFitsAlgorithm(oct(0), 'dir'), false)
  })
  it('refuses RSA under 2048 bits for every RSA algorithm', () => {
    const small = nodeJwk('rsa', { modulusLength: 1024 }) as unknown as Jwk
    for (const alg of ['RS256', 'PS256', 'RSA-OAEP', 'RSA1_5']) assert.equal(keyFitsAlgorithm(small, alg), false)
  })
  it('never throws on odd input', () => {
    assert.equal(keyFitsAlgorithm(null as unknown as Jwk, 'RS256'), false)
    assert.equal(keyFitsAlgorithm({} as Jwk, 'RS256'), false)
    assert.equal(keyFitsAlgorithm({ kty: 'oct', k: 5 } as unknown as Jwk, 'HS256'), false)
    assert.equal(keyFitsAlgorithm(zoo.p256!, 5 as unknown as string), false)
  })
})

describe('signatureAlgorithmsForKey', () => {
  it('lists what the type and curve permit, never HMAC for an asymmetric key', () => {
    assert.deepEqual(signatureAlgorithmsForKey(zoo.rsa!), ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.p256!), ['ES256'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.p521!), ['ES512'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.k256!), ['ES256K'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.ed25519!), ['EdDSA', 'Ed25519'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.ed448!), ['EdDSA', 'Ed448'])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.x25519!), [])
    assert.deepEqual(signatureAlgorithmsForKey(zoo.akp!), ['ML-DSA-44'])
    assert.deepEqual(signatureAlgorithmsForKey(oct(48)), ['HS256', 'HS384'])
    assert.deepEqual(signatureAlgorithmsForKey(oct(16)), [])
  })
  it('is exactly the key alg when it has one, nothing for encryption keys', () => {
    assert.deepEqual(signatureAlgorithmsForKey({ ...zoo.rsa!, alg: 'PS384' } as Jwk), ['PS384'])
    assert.deepEqual(signatureAlgorithmsForKey({ ...zoo.rsa!, alg: 'RSA-OAEP' } as Jwk), [])
    assert.deepEqual(signatureAlgorithmsForKey({ ...zoo.rsa!, use: 'enc' } as Jwk), [])
    assert.deepEqual(signatureAlgorithmsForKey({ ...zoo.p256!, key_ops: ['deriveBits'] } as Jwk), [])
    assert.deepEqual(signatureAlgorithmsForKey({ ...without(zoo.p256! as never, 'd'), key_ops: ['verify'] } as Jwk), ['ES256'])
  })
})
