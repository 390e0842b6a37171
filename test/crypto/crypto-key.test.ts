import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createCipheriv, createHmac, generateKeyPairSync, randomBytes, sign, verify, webcrypto, type KeyObject } from 'node:crypto'
import { jwkToCryptoKey } from '../../src/crypto/crypto-key.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { isJwkitError } from '../../src/errors.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const { subtle } = webcrypto
const code = (c: string) => (e: unknown) => {
  assert.ok(isJwkitError(e), `expected a JwkitError, got ${String(e)}`)
  assert.equal((e as { code: string }).code, c)
  return true
}
const data = Buffer.from('jwkit CryptoKey interop')
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const jwkOf = (k: KeyObject) => exportJwk(k)

test('jwkToCryptoKey: ES256/ES384/ES512 keys sign in WebCrypto and verify in node:crypto, and back (RFC 7518 §3.4)', async () => {
  for (const [alg, crv, hash] of [['ES256', 'P-256', 'SHA-256'], ['ES384', 'P-384', 'SHA-384'], ['ES512', 'P-521', 'SHA-512']] as const) {
    const pair = generateKeyPairSync('ec', { namedCurve: crv })
    const priv = await jwkToCryptoKey(jwkOf(pair.privateKey), alg)
    assert.deepEqual(priv.usages, ['sign'])
    const sig = Buffer.from(await subtle.sign({ name: 'ECDSA', hash }, priv, data))
    assert.ok(verify(hash.replace('-', '').toLowerCase(), data, { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, sig))
    const pub = await jwkToCryptoKey(toPublicJwk(jwkOf(pair.privateKey)), alg)
    assert.equal(pub.type, 'public')
    const nodeSig = sign(hash.replace('-', '').toLowerCase(), data, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
    assert.ok(await subtle.verify({ name: 'ECDSA', hash }, pub, nodeSig, data))
  }
})

test('jwkToCryptoKey: RS256 and PS256 with one RSA key; RSA-OAEP-256 usages', async () => {
  const rs = await jwkToCryptoKey(jwkOf(rsa.privateKey), 'RS256')
  const sig = Buffer.from(await subtle.sign('RSASSA-PKCS1-v1_5', rs, data))
  assert.ok(verify('sha256', data, rsa.publicKey, sig))
  const ps = await jwkToCryptoKey(toPublicJwk(jwkOf(rsa.privateKey)), 'PS256')
  const pss = sign('sha256', data, { key: rsa.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 })
  assert.ok(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, ps, pss, data))
  const oaep = await jwkToCryptoKey(toPublicJwk(jwkOf(rsa.privateKey)), 'RSA-OAEP-256')
  assert.deepEqual([...oaep.usages].sort(), ['encrypt', 'wrapKey'])
  assert.equal((oaep.algorithm as webcrypto.RsaHashedKeyAlgorithm).hash.name, 'SHA-256')
})

test('jwkToCryptoKey: EdDSA, Ed25519 and Ed448 (RFC 8037 §3.1, RFC 9864)', async () => {
  for (const [alg, type] of [['EdDSA', 'ed25519'], ['Ed25519', 'ed25519'], ['EdDSA', 'ed448'], ['Ed448', 'ed448']] as const) {
    const pair = generateKeyPairSync(type as 'ed25519')
    const priv = await jwkToCryptoKey(jwkOf(pair.privateKey), alg)
    const sig = Buffer.from(await subtle.sign(priv.algorithm.name, priv, data))
    assert.ok(verify(null, data, pair.publicKey, sig), `${alg} ${type}`)
  }
  const ed448 = jwkOf(generateKeyPairSync('ed448').publicKey)
  await assert.rejects(jwkToCryptoKey(ed448, 'Ed25519'), code('ERR_ALG_NOT_ALLOWED'))
})

test('jwkToCryptoKey: HS256 matches createHmac; AES-GCM keys are the k bytes; sizes are checked', async () => {
  const k = randomBytes(32)
  const hs = await jwkToCryptoKey({ kty: 'oct', k: k.toString('base64url') }, 'HS256')
  assert.deepEqual(Buffer.from(await subtle.sign('HMAC', hs, data)), createHmac('sha256', k).update(data).digest())
  const gcm = await jwkToCryptoKey({ kty: 'oct', k: k.toString('base64url') }, 'A256GCM')
  const iv = randomBytes(12)
  const ct = Buffer.from(await subtle.encrypt({ name: 'AES-GCM', iv }, gcm, data))
  const c = createCipheriv('aes-256-gcm', k, iv)
  assert.deepEqual(ct, Buffer.concat([c.update(data), c.final(), c.getAuthTag()]))
  await assert.rejects(jwkToCryptoKey({ kty: 'oct', k: k.toString('base64url') }, 'A128GCM'), code('ERR_ALG_NOT_ALLOWED'))
  await assert.rejects(jwkToCryptoKey({ kty: 'oct', k: randomBytes(16).toString('base64url') }, 'HS256'), code('ERR_ALG_NOT_ALLOWED'))
  const kw = await jwkToCryptoKey({ kty: 'oct', k: randomBytes(16).toString('base64url') }, 'A128KW')
  assert.deepEqual([...kw.usages].sort(), ['unwrapKey', 'wrapKey'])
})

test('jwkToCryptoKey: ECDH-ES on P-256 and X25519 derive the same secret as node:crypto', async () => {
  const a = generateKeyPairSync('x25519')
  const b = generateKeyPairSync('x25519')
  const priv = await jwkToCryptoKey(jwkOf(a.privateKey), 'ECDH-ES')
  const pub = await jwkToCryptoKey(jwkOf(b.publicKey), 'ECDH-ES')
  const bits = Buffer.from(await subtle.deriveBits({ name: 'X25519', public: pub }, priv, 256))
  const { diffieHellman } = await import('node:crypto')
  assert.deepEqual(bits, diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey }))
  const ec = await jwkToCryptoKey(jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'ECDH-ES+A128KW')
  assert.equal(ec.algorithm.name, 'ECDH')
})

test('jwkToCryptoKey refusals: no WebCrypto form, key misfit, alg mismatch; key_ops narrows usages; extractable', async () => {
  const k1 = jwkOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey)
  await assert.rejects(jwkToCryptoKey(k1, 'ES256K'), code('ERR_JWK_UNSUPPORTED'))
  await assert.rejects(jwkToCryptoKey({ kty: 'oct', k: randomBytes(32).toString('base64url') }, 'A128CBC-HS256'), code('ERR_JWK_UNSUPPORTED'))
  await assert.rejects(jwkToCryptoKey({ kty: 'oct', k: randomBytes(32).toString('base64url') }, 'none'), code('ERR_JWK_UNSUPPORTED'))
  const p256 = jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
  await assert.rejects(jwkToCryptoKey(p256, 'ES384'), code('ERR_ALG_NOT_ALLOWED'))
  await assert.rejects(jwkToCryptoKey({ ...p256, alg: 'ES256' } as Jwk, 'ECDH-ES'), code('ERR_ALG_NOT_ALLOWED'))
  await assert.rejects(jwkToCryptoKey({ ...p256, x: p256.kty === 'EC' ? p256.x.slice(0, 5) + ' ' + p256.x.slice(5) : '' } as Jwk, 'ES256'), code('ERR_JWK_INVALID'))
  const verifyOnly = await jwkToCryptoKey({ kty: 'oct', k: randomBytes(32).toString('base64url'), key_ops: ['verify'] }, 'HS256')
  assert.deepEqual(verifyOnly.usages, ['verify'])
  assert.equal(verifyOnly.extractable, false)
  const open = await jwkToCryptoKey(p256, 'ES256', { extractable: true })
  assert.equal(open.extractable, true)
  assert.deepEqual(exportJwk(open), p256) // CryptoKey both ways
  await assert.rejects(jwkToCryptoKey(p256, 5 as unknown as string), TypeError)
})
