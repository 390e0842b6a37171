/**
 * Wycheproof ECDH WebCrypto vectors (ecdh_secp{256r1,384r1,521r1,256k1}_webcrypto_test.json) as
 * a test of the EC JWK rules (RFC 7518 §6.2.1: a public key is a point of its named curve): every
 * public JWK the vectors flag invalid is refused by parseJwk, or (when it is a sound key of
 * another curve) cannot be paired with the private key; every valid pair parses and node:crypto's
 * ECDH over the imported keys gives the expected shared secret `shared`.
 * These files name secp256k1 "P-256K" (a pre-RFC 8812 draft name): jwkit refuses that name as
 * given, and reads those keys again under the registered name "secp256k1" (RFC 8812 §3.1).
 */
import assert from 'node:assert/strict'
import { diffieHellman } from 'node:crypto'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { importJwk } from '../../src/crypto/import.ts'
import { parseJwk } from '../../src/jwk/parse.ts'
import { readVector } from './helpers.ts'

interface EcdhTest { tcId: number; comment: string; flags: string[]; public: Record<string, string>; private: Record<string, string>; shared: string; result: 'valid' | 'invalid' | 'acceptable' }
interface EcdhFile { numberOfTests: number; testGroups: Array<{ curve: string; tests: EcdhTest[] }> }

/** The error code and path of a refusal, or undefined when accepted. */
function refusal(jwk: object): { code: string; path: string | undefined } | undefined {
  const lenient = refusalIn(jwk, false)
  // Issue 10: the vectors' keys are canonical or unsafe, so both modes agree.
  assert.deepEqual(refusalIn(jwk, true), lenient, 'the same verdict under strict')
  return lenient
}

function refusalIn(jwk: object, strict: boolean): { code: string; path: string | undefined } | undefined {
  try {
    parseJwk(jwk, { strict })
    return undefined
  } catch (error) {
    assert.ok(isJwkitError(error), 'only JwkitError')
    return { code: error.code, path: error.path }
  }
}

const registered = (jwk: Record<string, string>): Record<string, string> => (jwk.crv === 'P-256K' ? { ...jwk, crv: 'secp256k1' } : jwk)

const FILES = ['ecdh_secp256r1_webcrypto_test.json', 'ecdh_secp384r1_webcrypto_test.json', 'ecdh_secp521r1_webcrypto_test.json', 'ecdh_secp256k1_webcrypto_test.json']

describe('Wycheproof ECDH WebCrypto vectors: EC JWK rules (RFC 7518 §6.2.1, RFC 8812 §3.1)', () => {
  for (const file of FILES) {
    it(file, () => {
      const data = readVector(`wycheproof/testvectors_v1/${file}`) as EcdhFile
      const counts = { valid: 0, refusedOffCurve: 0, otherCurve: 0, draftName: 0 }
      let total = 0
      for (const group of data.testGroups) {
        for (const t of group.tests) {
          total++
          const label = `tcId ${t.tcId} (${t.comment})`
          // the draft name is refused as given: no alias is accepted (RFC 8812 §3.1 registers "secp256k1")
          for (const jwk of [t.public, t.private]) {
            if (jwk.crv === 'P-256K') {
              assert.deepEqual(refusal(jwk), { code: 'ERR_JWK_UNSUPPORTED', path: '/crv' }, label)
              counts.draftName++
            }
          }
          const pub = registered(t.public)
          const priv = registered(t.private)
          // every private key of these files is sound: d in [1, n-1] and d·G = (x, y) (RFC 7518 §6.2.2.1)
          assert.equal(refusal(priv), undefined, `${label}: private key`)
          const verdict = refusal(pub)
          if (t.result === 'valid') {
            assert.equal(verdict, undefined, `${label}: valid public key refused`)
            const z = diffieHellman({ privateKey: importJwk(priv), publicKey: importJwk(pub) })
            assert.equal(z.toString('hex'), t.shared, label)
            counts.valid++
          } else if (verdict !== undefined) {
            // InvalidCurveAttack, ModifiedPublicPoint, and "wrong curve" points that are not on the curve they name
            assert.deepEqual(verdict, { code: 'ERR_JWK_INVALID', path: '/x' }, label)
            counts.refusedOffCurve++
          } else {
            // a sound point of another curve (WrongCurve, ModifiedGroup): the public JWK alone is a
            // valid key, so the JWK rules cannot refuse it; the pair can never agree on a secret
            assert.ok(t.flags.includes('WrongCurve') || t.flags.includes('ModifiedGroup'), `${label}: invalid public key accepted`)
            assert.notEqual(pub.crv, priv.crv, label)
            assert.throws(() => diffieHellman({ privateKey: importJwk(priv), publicKey: importJwk(pub) }), label)
            counts.otherCurve++
          }
        }
      }
      assert.equal(total, data.numberOfTests)
      assert.equal(counts.valid + counts.refusedOffCurve + counts.otherCurve, total)
      assert.ok(counts.valid > 300 && counts.refusedOffCurve >= 18, JSON.stringify(counts))
      console.log(file, JSON.stringify(counts))
    })
  }
})
