import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto'
import { signBytes, verifyBytes, isSignatureAlgorithm, SIGNATURE_ALGORITHMS } from '../../src/crypto/sign.ts'
import { importKeyHandle } from '../../src/crypto/import.ts'
import { generateMlDsaJwk, mlDsaKeyFromJwk } from '../../src/crypto/ml-dsa.ts'
import { isJwkitError } from '../../src/errors.ts'

interface WyTest { tcId: number; msg: string; sig?: string; tag?: string; key?: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[] }
interface WyGroup { [k: string]: unknown; tests: WyTest[] }
const load = (name: string): { testGroups: WyGroup[] } =>
  JSON.parse(readFileSync(new URL(`../vectors/wycheproof/testvectors_v1/${name}`, import.meta.url), 'utf8'))
const hex = (h: string) => Buffer.from(h, 'hex')

/** Runs a Wycheproof verify file: valid must verify, invalid must not; acceptable is recorded. */
function runVerifyFile(file: string, alg: string, keyOf: (g: WyGroup) => KeyObject | ReturnType<typeof importKeyHandle>) {
  test(`Wycheproof ${file} via verifyBytes(${alg})`, () => {
    let valid = 0, invalid = 0, acceptable = 0, total = 0
    for (const group of load(file).testGroups) {
      total += group.tests.length
      const key = keyOf(group)
      for (const t of group.tests) {
        const ok = verifyBytes(alg, key, hex(t.msg), hex(t.sig!))
        if (t.result === 'valid') { assert.equal(ok, true, `tcId ${t.tcId}`); valid++ }
        else if (t.result === 'invalid') { assert.equal(ok, false, `tcId ${t.tcId}`); invalid++ }
        else {
          // "acceptable" (here only RSA MissingNull, a legacy DigestInfo without the NULL
          // parameter): either outcome passes; jwkit (OpenSSL) refuses them, and this pins that.
          assert.equal(ok, false, `acceptable tcId ${t.tcId}`)
          acceptable++
        }
      }
    }
    assert.ok(valid > 0 && invalid > 0)
    // Every vector was one of the three kinds (a new result value would be neither checked nor counted).
    assert.equal(valid + invalid + acceptable, total)
  })
}

const jwkKey = (member: string) => (g: WyGroup) => importKeyHandle(g[member] as object)
const derKey = (g: WyGroup) => g.publicKeyJwk !== undefined
  ? importKeyHandle(g.publicKeyJwk as object)
  : createPublicKey({ key: hex(g.publicKeyDer as string), format: 'der', type: 'spki' })

for (const [file, alg] of [
  ['rsa_signature_2048_sha256_test.json', 'RS256'], ['rsa_signature_2048_sha384_test.json', 'RS384'],
  ['rsa_signature_2048_sha512_test.json', 'RS512'], ['rsa_signature_3072_sha256_test.json', 'RS256'],
  ['rsa_signature_4096_sha512_test.json', 'RS512'],
] as const) runVerifyFile(file, alg, jwkKey('keyJwk'))

for (const [file, alg] of [
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256'], ['rsa_pss_2048_sha384_mgf1_48_test.json', 'PS384'],
  ['rsa_pss_4096_sha512_mgf1_64_test.json', 'PS512'],
] as const) runVerifyFile(file, alg, jwkKey('publicKeyJwk'))

for (const [file, alg] of [
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'], ['ecdsa_secp384r1_sha384_p1363_test.json', 'ES384'],
  ['ecdsa_secp521r1_sha512_p1363_test.json', 'ES512'], ['ecdsa_secp256k1_sha256_p1363_test.json', 'ES256K'],
] as const) runVerifyFile(file, alg, derKey)

runVerifyFile('ed25519_test.json', 'Ed25519', jwkKey('publicKeyJwk'))
runVerifyFile('ed25519_test.json', 'EdDSA', jwkKey('publicKeyJwk'))
runVerifyFile('ed448_test.json', 'Ed448', jwkKey('publicKeyJwk'))

for (const [file, alg, bytes] of [['hmac_sha256_test.json', 'HS256', 32], ['hmac_sha384_test.json', 'HS384', 48], ['hmac_sha512_test.json', 'HS512', 64]] as const) {
  test(`Wycheproof ${file} via verifyBytes(${alg}) (full-length tags; short keys refused)`, () => {
    let checked = 0, weak = 0
    for (const group of load(file).testGroups) {
      if (group.tagSize !== bytes * 8) continue // truncated MACs are not JOSE
      for (const t of group.tests) {
        const key = createSecretKey(hex(t.key!))
        if (key.symmetricKeySize! < bytes) {
          // RFC 7518 §3.2: a key shorter than the hash output is refused, whatever the tag.
          assert.throws(() => verifyBytes(alg, key, hex(t.msg), hex(t.tag!)), (e) => isJwkitError(e) && e.code === 'ERR_JWK_WEAK_KEY')
          weak++
          continue
        }
        assert.equal(verifyBytes(alg, key, hex(t.msg), hex(t.tag!)), t.result === 'valid', `tcId ${t.tcId}`)
        checked++
      }
    }
    assert.ok(checked > 10 && weak > 0)
  })
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const msg = Buffer.from('payload')

test('sign then verify round trip for every node:crypto algorithm', () => {
  const keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
    RS: rsa, PS: rsa,
    ES256: p256, ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }), ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
    ES256K: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
    Ed25519: generateKeyPairSync('ed25519'), Ed448: generateKeyPairSync('ed448'),
  }
  for (const alg of SIGNATURE_ALGORITHMS) {
    if (alg.startsWith('ML-DSA')) continue
    let pair: { privateKey: KeyObject; publicKey: KeyObject }
    if (alg.startsWith('HS')) { const k = createSecretKey(randomBytes(64)); pair = { privateKey: k, publicKey: k } }
    else pair = keys[alg] ?? keys[alg.slice(0, 2)] ?? keys.Ed25519!
    const sig = signBytes(alg, pair.privateKey, msg)
    assert.equal(verifyBytes(alg, pair.publicKey, msg, sig), true, alg)
    assert.equal(verifyBytes(alg, pair.publicKey, Buffer.from('other'), sig), false, alg)
    if (alg.startsWith('ES')) assert.equal(sig.length, alg === 'ES384' ? 96 : alg === 'ES512' ? 132 : 64)
  }
})

test('ML-DSA-44/65/87 sign and verify through @noble/post-quantum', () => {
  for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
    const key = mlDsaKeyFromJwk(generateMlDsaJwk(alg))
    const sig = signBytes(alg, key, msg)
    assert.equal(verifyBytes(alg, { type: 'ml-dsa', alg, publicKey: key.publicKey }, msg, sig), true)
    assert.equal(verifyBytes(alg, key, Buffer.from('x'), sig), false)
    assert.equal(verifyBytes(alg, key, msg, sig.subarray(1)), false)
    const other = alg === 'ML-DSA-44' ? 'ML-DSA-65' : 'ML-DSA-44'
    assert.throws(() => verifyBytes(other, key, msg, sig), (e) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED')
  }
})

test('ECDSA: r or s = 0 or >= n, wrong length and DER are invalid signatures', () => {
  const sig = Buffer.from(signBytes('ES256', p256.privateKey, msg))
  const n = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
  const variants: Buffer[] = [
    Buffer.concat([Buffer.alloc(32), sig.subarray(32)]), // r = 0
    Buffer.concat([sig.subarray(0, 32), Buffer.alloc(32)]), // s = 0
    Buffer.concat([n, sig.subarray(32)]), // r = n
    Buffer.concat([sig.subarray(0, 32), n]), // s = n
    Buffer.concat([Buffer.alloc(32, 0xff), sig.subarray(32)]), // r > n
    sig.subarray(0, 63), Buffer.concat([sig, Buffer.alloc(1)]), Buffer.alloc(0),
    nodeSign('sha256', msg, p256.privateKey), // DER
  ]
  for (const v of variants) assert.equal(verifyBytes('ES256', p256.publicKey, msg, v), false)
  assert.equal(verifyBytes('ES256', p256.publicKey, msg, sig), true)
})

test('keys that do not fit the algorithm are refused with a code', () => {
  const is = (code: string) => (e: unknown) => isJwkitError(e) && e.code === code
  const hmac = createSecretKey(randomBytes(32))
  assert.throws(() => verifyBytes('HS256', rsa.publicKey, msg, Buffer.alloc(32)), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => verifyBytes('RS256', hmac, msg, Buffer.alloc(256)), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => verifyBytes('ES384', p256.publicKey, msg, Buffer.alloc(96)), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => verifyBytes('Ed448', generateKeyPairSync('ed25519').publicKey, msg, Buffer.alloc(114)), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => signBytes('RS256', rsa.publicKey, msg), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => verifyBytes('none', hmac, msg, Buffer.alloc(0)), is('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => verifyBytes('HS512', hmac, msg, Buffer.alloc(64)), is('ERR_JWK_WEAK_KEY'))
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
  assert.throws(() => verifyBytes('RS256', small.publicKey, msg, Buffer.alloc(128)), is('ERR_JWK_WEAK_KEY'))
  assert.throws(() => signBytes('PS256', small.privateKey, msg), is('ERR_JWK_WEAK_KEY'))
  assert.equal(isSignatureAlgorithm('HS256'), true)
  assert.equal(isSignatureAlgorithm('none'), false)
})

test('HMAC tags of the wrong length are invalid, not errors', () => {
  const k = createSecretKey(randomBytes(32))
  const tag = signBytes('HS256', k, msg)
  assert.equal(verifyBytes('HS256', k, msg, tag), true)
  assert.equal(verifyBytes('HS256', k, msg, tag.subarray(0, 16)), false)
  assert.equal(verifyBytes('HS256', k, msg, Buffer.alloc(32)), false)
})

test('Wycheproof rsa_pkcs1_2048_sig_gen_test.json: RS256/384/512 signing is deterministic and exact', () => {
  const algOf: Record<string, string> = { 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' }
  let n = 0
  for (const group of load('rsa_pkcs1_2048_sig_gen_test.json').testGroups) {
    const alg = algOf[group.sha as string]
    if (alg === undefined || group.privateKeyJwk === undefined) continue // SHA-1 / SHA-224: no JOSE alg
    const key = importKeyHandle(group.privateKeyJwk as object)
    for (const t of group.tests) {
      const sig = Buffer.from(signBytes(alg, key, hex(t.msg))).toString('hex')
      if (t.result === 'invalid') assert.notEqual(sig, t.sig)
      else assert.equal(sig, t.sig, `tcId ${t.tcId}`)
      n++
    }
  }
  assert.equal(n, 27)
})
