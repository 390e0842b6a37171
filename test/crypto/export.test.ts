import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSecretKey, generateKeyPairSync, randomBytes, sign, verify, webcrypto, type KeyObject } from 'node:crypto'
import { exportJwk } from '../../src/crypto/export.ts'
import { importJwk } from '../../src/crypto/import.ts'
import { isJwkitError } from '../../src/errors.ts'
import { parseJwk } from '../../src/jwk/parse.ts'

const code = (c: string) => (e: unknown) => {
  assert.ok(isJwkitError(e), `expected a JwkitError, got ${String(e)}`)
  assert.equal((e as { code: string }).code, c)
  return true
}

const PAIRS: Array<[string, { publicKey: KeyObject; privateKey: KeyObject }]> = [
  ['RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' })],
  ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })],
  ['Ed25519', generateKeyPairSync('ed25519')],
  ['Ed448', generateKeyPairSync('ed448')],
  ['X25519', generateKeyPairSync('x25519')],
  ['X448', generateKeyPairSync('x448')],
]

for (const [name, pair] of PAIRS) {
  test(`exportJwk ${name}: the members node:crypto exports, kty first, and a round trip through importJwk`, () => {
    for (const key of [pair.publicKey, pair.privateKey]) {
      const jwk = exportJwk(key)
      const node = key.export({ format: 'jwk' })
      assert.deepEqual({ ...jwk }, { ...node })
      assert.equal(Object.keys(jwk)[0], 'kty')
      assert.deepEqual(parseJwk(jwk), jwk) // what we emit passes our own rules
      assert.ok(importJwk(jwk).equals(key))
    }
  })
}

test('exportJwk: a secret KeyObject is an oct JWK (RFC 7518 §6.4)', () => {
  const bytes = randomBytes(48)
  const jwk = exportJwk(createSecretKey(bytes))
  assert.deepEqual(jwk, { kty: 'oct', k: bytes.toString('base64url') })
})

test('exportJwk: an extractable CryptoKey exports like WebCrypto does; a non-extractable one is refused', async () => {
  const { subtle } = webcrypto
  const pairs = [
    await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']),
    await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']),
  ] as webcrypto.CryptoKeyPair[]
  for (const pair of pairs) {
    for (const key of [pair.publicKey, pair.privateKey]) {
      const ours = exportJwk(key) as unknown as Record<string, unknown>
      const theirs = (await subtle.exportKey('jwk', key)) as Record<string, unknown>
      for (const m of ['kty', 'crv', 'x', 'y', 'd']) assert.equal(ours[m], theirs[m], m)
    }
  }
  const hmac = (await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])) as webcrypto.CryptoKey
  const k = Buffer.from(await subtle.exportKey('raw', hmac)).toString('base64url')
  assert.deepEqual(exportJwk(hmac), { kty: 'oct', k })
  const locked = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  assert.throws(() => exportJwk(locked.privateKey), code('ERR_KEY_NOT_EXTRACTABLE'))
  // A public CryptoKey is always extractable (W3C WebCrypto §14.3.9).
  assert.equal(exportJwk(locked.publicKey).kty, 'EC')
})

test('exportJwk: a key with no JWK form is ERR_KEY_EXPORT_FAILED; a non-key is a TypeError', () => {
  const generate = generateKeyPairSync as unknown as (type: string, options: object) => { publicKey: KeyObject }
  const dh = generate('dh', { group: 'modp14' })
  assert.throws(() => exportJwk(dh.publicKey), code('ERR_KEY_EXPORT_FAILED'))
  for (const bad of [undefined, null, {}, 'key', Buffer.alloc(32)]) assert.throws(() => exportJwk(bad as unknown as KeyObject), TypeError)
})

test('exportJwk: an empty secret fails our own rules, as ERR_KEY_EXPORT_FAILED', () => {
  let empty: KeyObject
  try {
    empty = createSecretKey(Buffer.alloc(0))
  } catch {
    return // node:crypto refuses empty secrets itself on this version
  }
  assert.throws(() => exportJwk(empty), code('ERR_KEY_EXPORT_FAILED'))
})

test('exportJwk: an RSA-PSS KeyObject (RFC 4055) exports as its RSA key, with alg PS256 when restricted to SHA-256', () => {
  const generate = generateKeyPairSync as unknown as (type: string, options: object) => { publicKey: KeyObject; privateKey: KeyObject }
  const pss = generate('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha256', saltLength: 32 })
  const pub = exportJwk(pss.publicKey) as unknown as Record<string, unknown>
  const priv = exportJwk(pss.privateKey) as unknown as Record<string, unknown>
  assert.equal(pub.kty, 'RSA')
  assert.equal(pub.alg, 'PS256')
  assert.equal(priv.alg, 'PS256')
  assert.equal(priv.n, pub.n)
  assert.equal(pss.publicKey.asymmetricKeyDetails?.modulusLength, 2048)
  const data = Buffer.from('pss')
  const options = { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
  const sig = sign('sha256', data, { key: pss.privateKey, ...options })
  assert.ok(verify('sha256', data, { key: importJwk(pub), ...options }, sig))
  const sig2 = sign('sha256', data, { key: importJwk(priv), ...options })
  assert.ok(verify('sha256', data, { key: pss.publicKey, ...options }, sig2))
})
