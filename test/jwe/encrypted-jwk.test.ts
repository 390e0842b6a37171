// Encrypted JWK files (RFC 7517 Appendix C): encryptJwk / decryptJwk, PBES2 allowed for key files
// only, p2c bounded before any key derivation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decryptJwk, decryptKeyFile, encryptJwk, DEFAULT_P2C, MAX_P2C } from '../../src/jwe/encrypted-jwk.ts'
import { decryptJwe } from '../../src/jwe/decrypt.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { encodeBase64url } from '../../src/util/base64url.ts'

const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>

test('encryptJwk writes PBES2-HS256+A128KW, A256GCM, 600000 iterations, cty jwk+json; decryptJwk reads it back', async () => {
  const key = await generateJwk('ES256', { kid: 'k' })
  const file = await encryptJwk(key, 'correct horse')
  const h = header(file)
  assert.equal(h.alg, 'PBES2-HS256+A128KW')
  assert.equal(h.enc, 'A256GCM')
  assert.equal(h.p2c, DEFAULT_P2C)
  assert.equal(h.p2c, 600_000)
  assert.equal(h.cty, 'jwk+json')
  assert.equal(Buffer.from(String(h.p2s), 'base64url').length, 16)
  assert.deepEqual(await decryptJwk(file, 'correct horse'), key)
  await assert.rejects(decryptJwk(file, 'wrong horse'), { code: 'ERR_JWE_DECRYPTION_FAILED' })
})

test('every PBES2 variant and content encryption round-trips; options are checked', async () => {
  const key = await generateJwk('EdDSA')
  for (const alg of ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW']) {
    for (const enc of ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']) {
      const file = await encryptJwk(key, 'pw', { alg, enc, p2c: 1000 })
      assert.deepEqual(await decryptJwk(file, 'pw'), key, `${alg} ${enc}`)
    }
  }
  await assert.rejects(encryptJwk(key, 'pw', { alg: 'A128KW' }), TypeError)
  await assert.rejects(encryptJwk(key, 'pw', { p2c: 999 }), RangeError)
  await assert.rejects(encryptJwk(key, 'pw', { p2c: MAX_P2C + 1 }), RangeError)
  await assert.rejects(encryptJwk(key, ''), TypeError)
  await assert.rejects(encryptJwk({ kty: 'EC' }, 'pw'), { code: 'ERR_JWK_INVALID' })
})

test('p2c above the limit is refused before any derivation; below 1000 is weak', async () => {
  const key = await generateJwk('ES256')
  const file = await encryptJwk(key, 'pw', { p2c: 1000 })
  const [, ek, iv, ct, tag] = file.split('.')
  const forge = (members: Record<string, unknown>) => [encodeBase64url(JSON.stringify({ alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', p2s: 'AAAAAAAAAAAAAAAAAAAAAA', cty: 'jwk+json', ...members })), ek, iv, ct, tag].join('.')
  // The other parts do not match this header: a derivation would end in a decryption failure.
  const huge = forge({ p2c: 2_000_000_000 })
  await assert.rejects(decryptJwk(huge, 'pw'), (e: { code: string; message: string }) => e.code === 'ERR_INPUT_TOO_LARGE' && /2000000000 PBKDF2 iterations \(p2c\); the limit is 1000000/.test(e.message))
  await assert.rejects(decryptJwk(forge({ p2c: MAX_P2C + 1 }), 'pw'), { code: 'ERR_INPUT_TOO_LARGE' })
  await assert.rejects(decryptJwk(forge({ p2c: 5000 }), 'pw', { maxP2c: 4000 }), { code: 'ERR_INPUT_TOO_LARGE' })
  await assert.rejects(decryptJwk(forge({ p2c: 999 }), 'pw'), { code: 'ERR_JWK_WEAK_KEY' })
  await assert.rejects(decryptJwk(forge({ p2c: 1.5 }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(forge({ p2c: 1000, p2s: 'AAAA' }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(forge({ p2c: 1000, zip: 'DEF' }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(forge({ p2c: 1000, crit: ['x'], x: 1 }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(forge({ p2c: 1000, cty: 'JWT' }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(forge({ p2c: 1000, alg: 'A128KW' }), 'pw'), { code: 'ERR_ALG_NOT_ALLOWED' })
  await assert.rejects(decryptJwk(file, 'pw', { maxP2c: MAX_P2C + 1 }), RangeError)
})

test('the token path keeps refusing PBES2', async () => {
  const key = await generateJwk('A128KW')
  const file = await encryptJwk(await generateJwk('ES256'), 'pw', { p2c: 1000 })
  await assert.rejects(decryptJwe(file, key), { code: 'ERR_ALG_NOT_ALLOWED' })
})

test('flattened JSON key files (what step writes) and JWK Sets', async () => {
  const key = await generateJwk('RS256')
  const [p, ek, iv, ct, tag] = (await encryptJwk(key, 'pw', { p2c: 1000 })).split('.')
  const flattened = JSON.stringify({ protected: p, encrypted_key: ek, iv, ciphertext: ct, tag })
  assert.deepEqual(await decryptJwk(flattened, 'pw'), key)
  assert.deepEqual(await decryptJwk(JSON.stringify({ protected: p, recipients: [{ encrypted_key: ek }], iv, ciphertext: ct, tag }), 'pw'), key)
  await assert.rejects(decryptJwk(JSON.stringify({ protected: p, encrypted_key: ek, iv, ciphertext: ct, tag, header: { enc: 'A128GCM' } }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(JSON.stringify({ protected: p, encrypted_key: ek, iv, ciphertext: ct, tag, header: { p2c: 1000 } }), 'pw'), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(decryptJwk(JSON.stringify({ protected: p, encrypted_key: ek, iv, ciphertext: ct, tag, unprotected: {} }), 'pw'), { code: 'ERR_JWE_INVALID' })
  const set = { keys: [key, await generateJwk('ES256')] }
  const setFile = await encryptJwk(set, 'pw', { p2c: 1000 })
  assert.equal(header(setFile).cty, 'jwk-set+json')
  assert.deepEqual(JSON.parse(Buffer.from((await decryptKeyFile(setFile, 'pw')).plaintext).toString()), set)
  await assert.rejects(decryptJwk(setFile, 'pw'), { code: 'ERR_JWK_INVALID' })
})

test('options are read from own properties only', async () => {
  const key = await generateJwk('ES256')
  const proto = Object.prototype as Record<string, unknown>
  proto.p2c = 1
  proto.maxP2c = 1
  try {
    const file = await encryptJwk(key, 'pw', { p2c: 1000 })
    assert.deepEqual(await decryptJwk(file, 'pw'), key)
  } finally {
    delete proto.p2c
    delete proto.maxP2c
  }
})
