import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { KeyObject, generateKeyPairSync } from 'node:crypto'
import { isMlDsaKey } from '../../src/crypto/key-handle.ts'
import { generateMlDsaJwk, isMlDsaAlgorithm, mlDsa, mlDsaKeyFromJwk, mlDsaPublicJwk } from '../../src/crypto/ml-dsa.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { AkpAlgorithm } from '../../src/jwk/types.ts'

const code = (c: string) => (e: unknown) => {
  assert.ok(isJwkitError(e), `expected a JwkitError, got ${String(e)}`)
  assert.equal((e as { code: string }).code, c)
  return true
}
const IMPL = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const

for (const alg of Object.keys(IMPL) as AkpAlgorithm[]) {
  test(`${alg}: the seed in priv expands (FIPS 204 KeyGen_internal) to the key in pub, which verifies its signatures`, () => {
    const jwk = generateMlDsaJwk(alg)
    const seed = Buffer.from(jwk.priv!, 'base64url')
    assert.equal(seed.length, 32)
    const expected = IMPL[alg].keygen(seed)
    assert.deepEqual(Buffer.from(jwk.pub, 'base64url'), Buffer.from(expected.publicKey))
    const key = mlDsaKeyFromJwk(jwk)
    assert.ok(isMlDsaKey(key))
    assert.deepEqual(key.secretKey, expected.secretKey)
    const message = new TextEncoder().encode('jwkit')
    const signature = IMPL[alg].sign(message, key.secretKey!)
    assert.ok(IMPL[alg].verify(signature, message, key.publicKey))
    assert.deepEqual(mlDsaPublicJwk(key), { kty: 'AKP', alg, pub: jwk.pub })
    assert.equal(mlDsaKeyFromJwk(mlDsaPublicJwk(key)).secretKey, undefined)
  })
}

test('mlDsaKeyFromJwk refuses a pub of the wrong size, a seed of the wrong size, and a seed of another key', () => {
  const a = generateMlDsaJwk('ML-DSA-44')
  const b = generateMlDsaJwk('ML-DSA-44')
  assert.throws(() => mlDsaKeyFromJwk({ ...a, pub: generateMlDsaJwk('ML-DSA-65').pub }), code('ERR_JWK_INVALID'))
  assert.throws(() => mlDsaKeyFromJwk({ ...a, priv: Buffer.alloc(31).toString('base64url') }), code('ERR_JWK_INVALID'))
  assert.throws(() => mlDsaKeyFromJwk({ ...a, priv: b.priv! }), code('ERR_JWK_INVALID'))
  assert.throws(() => mlDsa('ML-DSA-12' as AkpAlgorithm), code('ERR_JWK_UNSUPPORTED'))
})

test('isMlDsaKey and isMlDsaAlgorithm', () => {
  assert.ok(isMlDsaKey(mlDsaKeyFromJwk(generateMlDsaJwk('ML-DSA-65'))))
  assert.equal(isMlDsaKey(generateKeyPairSync('ed25519').publicKey), false)
  assert.ok(generateKeyPairSync('ed25519').publicKey instanceof KeyObject)
  for (const x of [null, undefined, {}, { type: 'ml-dsa' }, 'ml-dsa']) assert.equal(isMlDsaKey(x), false)
  assert.ok(isMlDsaAlgorithm('ML-DSA-87'))
  for (const x of ['ml-dsa-87', 'ML-DSA', 'EdDSA', 1]) assert.equal(isMlDsaAlgorithm(x), false)
})
