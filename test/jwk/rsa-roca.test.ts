import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { hasRocaFingerprint } from '../../src/jwk/rsa-roca.ts'
import { readVector, nodeJwk } from './helpers.ts'

const PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167]

/**
 * The reference: n mod r in the subgroup <65537> for every prime of the detector, in BigInt.
 * Where that subgroup is all of (Z/rZ)* the test only excludes multiples of r, which no RSA
 * modulus is; the implementation skips those primes, and so does this reference.
 */
function reference(n: Uint8Array): boolean {
  const value = BigInt('0x' + (Buffer.from(n).toString('hex') || '0'))
  for (const r of PRIMES) {
    const rem = Number(value % BigInt(r))
    const subgroup = new Set<number>()
    let x = 1
    do {
      subgroup.add(x)
      x = (x * 65537) % r
    } while (x !== 1)
    if (subgroup.size === r - 1) continue
    if (!subgroup.has(rem)) return false
  }
  return true
}

describe('ROCA fingerprint (CVE-2017-15361)', () => {
  it('flags the Wycheproof ROCA key and not freshly generated keys', () => {
    const file = readVector('wycheproof/testvectors_v1/json_web_key_test.json') as { testGroups: Array<{ private: { keys: Array<Record<string, string>> }; public?: { keys: Array<Record<string, string>> } }> }
    const roca = file.testGroups.flatMap((g) => (g.public ?? g.private).keys).find((k) => k.kid === 'kid-rsa-roca-sign')!
    assert.equal(hasRocaFingerprint(Buffer.from(roca.n!, 'base64url')), true)
    assert.equal(reference(Buffer.from(roca.n!, 'base64url')), true)
    for (let i = 0; i < 3; i++) assert.equal(hasRocaFingerprint(Buffer.from(nodeJwk('rsa', { modulusLength: 1024 }).n as string, 'base64url')), false)
  })
  it('agrees with a BigInt reference on random and fingerprint-shaped moduli of every length', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (n) => {
      assert.equal(hasRocaFingerprint(n), reference(n))
    }), { numRuns: 300 })
    // a modulus of the ROCA form: 65537^a mod M plus a multiple of M passes every prime test
    const M = PRIMES.reduce((a, b) => a * BigInt(b), 1n)
    for (let i = 0; i < 20; i++) {
      const k = BigInt('0x' + randomBytes(200).toString('hex'))
      let g = 1n
      for (let a = 0; a < 1 + i * 7; a++) g = (g * 65537n) % M
      const hex = (k * M + g).toString(16)
      const n = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex')
      assert.equal(hasRocaFingerprint(n), reference(n))
      assert.equal(hasRocaFingerprint(n), true)
    }
  })
  it('agrees with the reference past the first filter (97·37·79), on a prefix, and on very long input', () => {
    // n ≡ 65537^a (mod 97·37·79) passes the division-free first pass; the other primes then decide
    const F = 97n * 37n * 79n
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 512 }), fc.nat({ max: 1000 }), (bytes, a) => {
      const k = BigInt('0x' + Buffer.from(bytes).toString('hex'))
      let g = 1n
      for (let i = 0; i < a; i++) g = (g * 65537n) % F
      const hex = (k * F + g).toString(16)
      const n = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex')
      assert.equal(hasRocaFingerprint(n), reference(n))
    }), { numRuns: 200 })
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), (bytes, cut) => {
      const length = cut % (bytes.length + 1)
      assert.equal(hasRocaFingerprint(bytes, length), reference(bytes.subarray(0, length)))
    }), { numRuns: 300 })
    for (const size of [3071, 3072, 3073, 4000]) {
      const n = randomBytes(size)
      assert.equal(hasRocaFingerprint(n), reference(n))
    }
  })
})
