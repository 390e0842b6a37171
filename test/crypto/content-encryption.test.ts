import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { CONTENT_ENCRYPTION_ALGORITHMS, contentEncryption, decryptContent, encryptContent, generateCek } from '../../src/crypto/content-encryption.ts'
import { isJwkitError } from '../../src/errors.ts'

interface AeadTest { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' | 'acceptable'; comment: string }
interface AeadGroup { keySize: number; ivSize: number; tagSize: number; tests: AeadTest[] }
const load = (name: string): { testGroups: AeadGroup[] } =>
  JSON.parse(readFileSync(new URL(`../vectors/wycheproof/testvectors_v1/${name}`, import.meta.url), 'utf8'))
const hex = (h: string) => Buffer.from(h, 'hex')

function failsWithOneMessage(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWE_DECRYPTION_FAILED' && e.message === 'decryption operation failed')
}

function runAead(file: string, encFor: (g: AeadGroup) => string | undefined): { valid: number; invalid: number } {
  const counts = { valid: 0, invalid: 0 }
  for (const g of load(file).testGroups) {
    const enc = encFor(g)
    if (enc === undefined) continue
    for (const t of g.tests) {
      const open = (): Uint8Array => decryptContent(enc, hex(t.key), hex(t.iv), hex(t.ct), hex(t.tag), hex(t.aad))
      if (t.result === 'valid') {
        assert.equal(Buffer.from(open()).toString('hex'), t.msg, `tcId ${t.tcId}`)
        const out = encryptContent(enc, hex(t.key), hex(t.msg), hex(t.aad), hex(t.iv))
        assert.equal(Buffer.from(out.ciphertext).toString('hex'), t.ct, `tcId ${t.tcId} ct`)
        assert.equal(Buffer.from(out.tag).toString('hex'), t.tag, `tcId ${t.tcId} tag`)
        counts.valid++
      } else if (t.result === 'invalid') {
        failsWithOneMessage(open)
        counts.invalid++
      }
    }
  }
  return counts
}

test('Wycheproof aes_gcm_test.json (RFC 7518 §5.3: 96-bit IV, 128-bit tag groups)', () => {
  const counts = runAead('aes_gcm_test.json', (g) => (g.ivSize === 96 && g.tagSize === 128 ? `A${g.keySize}GCM` : undefined))
  assert.deepEqual(counts, { valid: 116, invalid: 81 })
})

for (const [file, enc] of [['a128cbc_hs256_test.json', 'A128CBC-HS256'], ['a192cbc_hs384_test.json', 'A192CBC-HS384'], ['a256cbc_hs512_test.json', 'A256CBC-HS512']] as const) {
  test(`Wycheproof ${file} (RFC 7518 §5.2)`, () => {
    const counts = runAead(file, () => enc)
    assert.ok(counts.valid > 50 && counts.invalid > 20, JSON.stringify(counts))
  })
}

test('RFC 7518 Appendix B.1: A128CBC-HS256 test case', () => {
  const k = Buffer.from(Array.from({ length: 32 }, (_, i) => i))
  const p = Buffer.from('A cipher system must not be required to be secret, and it must be able to fall into the hands of the enemy without inconvenience', 'ascii')
  const iv = hex('1af38c2dc2b96ffdd86694092341bc04')
  const a = Buffer.from('The second principle of Auguste Kerckhoffs', 'ascii')
  const out = encryptContent('A128CBC-HS256', k, p, a, iv)
  assert.equal(Buffer.from(out.tag).toString('hex'), '652c3fa36b0a7c5b3219fab3a30bc1c4')
  assert.equal(Buffer.from(out.ciphertext.subarray(0, 16)).toString('hex'), 'c80edfa32ddf39d5ef00c0b468834279')
  assert.deepEqual(decryptContent('A128CBC-HS256', k, iv, out.ciphertext, out.tag, a), p)
})

test('RFC 7518 §5.2.2.2: the MAC is checked before decrypting; bad padding under a valid MAC reads the same', () => {
  const cek = generateCek('A128CBC-HS256')
  const iv = randomBytes(16)
  const aad = Buffer.from('aad')
  // A ciphertext whose padding is wrong, with a correct MAC over it.
  const raw = createCipheriv('aes-128-cbc', cek.subarray(16), iv).setAutoPadding(false)
  const ciphertext = Buffer.concat([raw.update(Buffer.alloc(16, 0x11)), raw.final()])
  const al = Buffer.alloc(8)
  al.writeBigUInt64BE(BigInt(aad.length * 8))
  const tag = createHmac('sha256', cek.subarray(0, 16)).update(aad).update(iv).update(ciphertext).update(al).digest().subarray(0, 16)
  failsWithOneMessage(() => decryptContent('A128CBC-HS256', cek, iv, ciphertext, tag, aad))
  const flipped = Buffer.from(tag)
  flipped[0]! ^= 1
  failsWithOneMessage(() => decryptContent('A128CBC-HS256', cek, iv, ciphertext, flipped, aad))
})

test('RFC 7518 §5: wrong CEK, IV or tag lengths fail as decryption failures; truncated GCM tags are refused', () => {
  for (const enc of CONTENT_ENCRYPTION_ALGORITHMS) {
    const c = contentEncryption(enc)
    const cek = generateCek(enc)
    assert.equal(cek.length, c.keyBytes)
    const out = encryptContent(enc, cek, Buffer.from('hello'), Buffer.alloc(0))
    assert.equal(out.tag.length, c.tagBytes)
    assert.equal(decryptContent(enc, cek, out.iv, out.ciphertext, out.tag, Buffer.alloc(0)).toString(), 'hello')
    failsWithOneMessage(() => decryptContent(enc, cek, out.iv, out.ciphertext, out.tag.subarray(0, c.tagBytes - 4), Buffer.alloc(0)))
    failsWithOneMessage(() => decryptContent(enc, cek, out.iv.subarray(1), out.ciphertext, out.tag, Buffer.alloc(0)))
    failsWithOneMessage(() => decryptContent(enc, cek.subarray(1), out.iv, out.ciphertext, out.tag, Buffer.alloc(0)))
    failsWithOneMessage(() => decryptContent(enc, cek, out.iv, out.ciphertext, out.tag, Buffer.from('x')))
    assert.throws(() => encryptContent(enc, cek.subarray(1), Buffer.from('x'), Buffer.alloc(0)), (e: unknown) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED')
  }
  assert.throws(() => contentEncryption('A128CTR'), (e: unknown) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED')
})
