import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createPrivateKey, createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { KEY_MANAGEMENT_ALGORITHMS, aesUnwrap, aesWrap, keyManagement, unwrapKey, wrapKey } from '../../src/crypto/key-management.ts'
import { concatKdf, ecdhSharedSecret } from '../../src/crypto/ecdh-es.ts'
import { isJwkitError } from '../../src/errors.ts'

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`../vectors/wycheproof/testvectors_v1/${name}`, import.meta.url), 'utf8'))
const hex = (h: string) => Buffer.from(h, 'hex')
const isCode = (code: string) => (e: unknown) => isJwkitError(e) && e.code === code

// One RSA key for the whole file.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })

test('Wycheproof aes_wrap_test.json (RFC 3394, RFC 7518 §4.4): valid wrap/unwrap, invalid unwrap refused', () => {
  const counts = { valid: 0, invalid: 0 }
  for (const g of vectors('aes_wrap_test.json').testGroups) {
    for (const t of g.tests) {
      if (t.result === 'valid') {
        assert.equal(Buffer.from(aesWrap(hex(t.key), hex(t.msg))).toString('hex'), t.ct, `tcId ${t.tcId}`)
        assert.equal(Buffer.from(aesUnwrap(hex(t.key), hex(t.ct))).toString('hex'), t.msg, `tcId ${t.tcId}`)
        counts.valid++
      } else if (t.result === 'invalid') {
        let unwrapped: string | undefined
        try {
          unwrapped = Buffer.from(aesUnwrap(hex(t.key), hex(t.ct))).toString('hex')
        } catch {
          unwrapped = undefined
        }
        assert.equal(unwrapped, undefined, `tcId ${t.tcId} ${t.comment}`)
        counts.invalid++
      }
    }
  }
  assert.deepEqual(counts, { valid: 36, invalid: 126 })
})

/** Runs every invalid case, and every `every`-th other case (P-384/P-521 imports are slow). */
function wyEcdh(file: string, every = 1): { valid: number; invalid: number; acceptable: number } {
  const counts = { valid: 0, invalid: 0, acceptable: 0 }
  let seen = 0
  for (const g of vectors(file).testGroups) {
    for (const t of g.tests) {
      if (t.result !== 'invalid' && seen++ % every !== 0) continue
      let priv: KeyObject
      try {
        priv = createPrivateKey({ key: t.private, format: 'jwk' })
      } catch {
        continue // a private key node cannot import is not what these tests are about
      }
      let z: string | undefined
      let err: unknown
      try {
        z = Buffer.from(ecdhSharedSecret(priv, t.public)).toString('hex')
      } catch (error) {
        err = error
      }
      if (err !== undefined) assert.ok(isJwkitError(err), `tcId ${t.tcId}: non-JwkitError ${String(err)}`)
      if (t.result === 'valid') {
        assert.equal(z, t.shared, `tcId ${t.tcId} ${t.comment}`)
        counts.valid++
      } else if (t.result === 'invalid') {
        assert.equal(z, undefined, `tcId ${t.tcId} ${t.comment} (${t.flags})`)
        counts.invalid++
      } else {
        if (z !== undefined) assert.equal(z, t.shared)
        counts.acceptable++
      }
    }
  }
  return counts
}

test('Wycheproof ecdh_secp256r1_webcrypto_test.json (RFC 7518 §4.6): Z correct; invalid-curve and wrong-curve epk refused', () => {
  const counts = wyEcdh('ecdh_secp256r1_webcrypto_test.json')
  console.log('ecdh_secp256r1_webcrypto_test.json', JSON.stringify(counts))
  assert.ok(counts.valid >= 300 && counts.invalid >= 20, JSON.stringify(counts))
})

for (const file of ['ecdh_secp384r1_webcrypto_test.json', 'ecdh_secp521r1_webcrypto_test.json']) {
  test(`Wycheproof ${file} (RFC 7518 §4.6): Z correct (every 10th valid case); every invalid point refused`, () => {
    const counts = wyEcdh(file, 10)
    assert.ok(counts.valid >= 20 && counts.invalid >= 10, JSON.stringify(counts))
  })
}

for (const file of ['x25519_jwk_test.json', 'x448_jwk_test.json']) {
  test(`Wycheproof ${file} (RFC 8037 §3.2, RFC 7748): Z correct; low-order points give no Z`, () => {
    const counts = wyEcdh(file)
    console.log(file, JSON.stringify(counts))
    assert.ok(counts.valid >= 100 && counts.invalid >= 5, JSON.stringify(counts))
  })
}

test('RFC 7518 Appendix C: ECDH-ES Concat KDF example', async () => {
  const bob = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ', y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck', d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw' }, format: 'jwk' })
  const epk = { kty: 'EC', crv: 'P-256', x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0', y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps' }
  const z = ecdhSharedSecret(bob, epk)
  assert.equal(Buffer.from(concatKdf(z, 16, 'A128GCM', Buffer.from('Alice'), Buffer.from('Bob'))).toString('base64url'), 'VqqN6vgjbSBcIijNcacQGg')
  const cek = await unwrapKey('ECDH-ES', 'A128GCM', bob, Buffer.alloc(0), { epk: epk as never, apu: Buffer.from('Alice'), apv: Buffer.from('Bob') })
  assert.equal(Buffer.from(cek).toString('base64url'), 'VqqN6vgjbSBcIijNcacQGg')
})

test('RFC 7518 §4: wrap/unwrap round trip for every algorithm and a CEK of the enc length', async () => {
  const keys: Record<string, [KeyObject, KeyObject]> = {}
  const secret = (n: number) => { const k = createSecretKey(randomBytes(n)); return [k, k] as [KeyObject, KeyObject] }
  const pair = (p: { publicKey: KeyObject; privateKey: KeyObject }) => [p.publicKey, p.privateKey] as [KeyObject, KeyObject]
  const ec = pair(generateKeyPairSync('ec', { namedCurve: 'P-521' }))
  const x448 = pair(generateKeyPairSync('x448'))
  for (const alg of KEY_MANAGEMENT_ALGORITHMS) {
    const km = keyManagement(alg)
    keys[alg] = km.family === 'rsa-oaep' ? pair(rsa) : km.family.startsWith('ecdh') ? (alg.endsWith('192KW') ? x448 : ec) : km.family === 'dir' ? secret(32) : secret(km.kekBytes!)
    const [pub, priv] = keys[alg]!
    const w = await wrapKey(alg, 'A256GCM', pub)
    assert.equal(w.cek.length, 32)
    const { epk, iv, tag } = w.header as { epk?: never; iv?: string; tag?: string }
    const params = { epk, iv: iv === undefined ? undefined : Buffer.from(iv, 'base64url'), tag: tag === undefined ? undefined : Buffer.from(tag, 'base64url') }
    assert.deepEqual(await unwrapKey(alg, 'A256GCM', priv, w.encryptedKey, params), w.cek, alg)
    if (w.encryptedKey.length > 0) {
      // RFC 7516 §11.5: a damaged encrypted key gives a random CEK of the right length, no throw.
      const bad = Buffer.from(w.encryptedKey)
      bad[bad.length - 1]! ^= 1
      const cek = await unwrapKey(alg, 'A256GCM', priv, bad, params)
      assert.equal(cek.length, 32)
      assert.notDeepEqual(cek, w.cek)
    }
  }
})

test('RFC 7518 §4.4, §4.5, §4.7: key sizes must match; RSA under 2048 bits is weak; RSA1_5 and PBES2 refused', () => {
  assert.throws(() => wrapKey('A128KW', 'A128GCM', createSecretKey(randomBytes(32))), isCode('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => wrapKey('dir', 'A128GCM', createSecretKey(randomBytes(32))), isCode('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => wrapKey('A128KW', 'A128GCM', rsa.publicKey), isCode('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => wrapKey('RSA-OAEP', 'A128GCM', createSecretKey(randomBytes(16))), isCode('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => wrapKey('ECDH-ES', 'A128GCM', rsa.publicKey), isCode('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => wrapKey('ECDH-ES', 'A128GCM', generateKeyPairSync('ed25519').publicKey), isCode('ERR_ALG_NOT_ALLOWED'))
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
  assert.throws(() => wrapKey('RSA-OAEP', 'A128GCM', small.publicKey), isCode('ERR_JWK_WEAK_KEY'))
  assert.throws(() => unwrapKey('RSA-OAEP', 'A128GCM', rsa.publicKey, Buffer.alloc(256), {}), isCode('ERR_KEY_USAGE_FORBIDDEN'))
  for (const alg of ['RSA1_5', 'PBES2-HS256+A128KW', 'PBES2-HS512+A256KW', 'none', 'A128CTRKW']) {
    assert.throws(() => keyManagement(alg), isCode('ERR_ALG_NOT_ALLOWED'), alg)
  }
  // A*GCMKW needs a 96-bit iv and a 128-bit tag (RFC 7518 §4.7.1).
  const k = createSecretKey(randomBytes(16))
  assert.throws(() => unwrapKey('A128GCMKW', 'A128GCM', k, Buffer.alloc(16), { iv: Buffer.alloc(8), tag: Buffer.alloc(16) }), isCode('ERR_JWE_INVALID'))
  assert.throws(() => unwrapKey('A128GCMKW', 'A128GCM', k, Buffer.alloc(16), { iv: Buffer.alloc(12) }), isCode('ERR_JWE_INVALID'))
  // dir / ECDH-ES take no encrypted key; the others need one.
  assert.throws(() => unwrapKey('dir', 'A128GCM', k, Buffer.alloc(1), {}), isCode('ERR_JWE_INVALID'))
  assert.throws(() => unwrapKey('A128KW', 'A128GCM', k, Buffer.alloc(0), {}), isCode('ERR_JWE_INVALID'))
  // A shared CEK of the wrong length for enc.
  assert.throws(() => wrapKey('A128KW', 'A256GCM', k, { cek: randomBytes(16) }), isCode('ERR_ALG_NOT_ALLOWED'))
})
