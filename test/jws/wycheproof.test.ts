import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { verifyJws } from '../../src/jws/verify.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { isJwkitError } from '../../src/errors.ts'
import { jwsAlgorithm } from '../../src/jwk/algorithms.ts'
import type { Jwk, JwkSet } from '../../src/jwk/types.ts'

interface WyTest { tcId: number; comment: string; jws?: string; jwe?: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[] }
interface WyGroup { private: Jwk | JwkSet; public?: Jwk | JwkSet; tests: WyTest[] }
const load = (name: string): { testGroups: WyGroup[] } =>
  JSON.parse(readFileSync(new URL(`../vectors/wycheproof/testvectors_v1/${name}`, import.meta.url), 'utf8'))

/** Verifies compact `jws` with a single JWK or a JWK Set (through createLocalJwks); true = verified. */
async function outcome(jws: string, keyOrSet: Jwk | JwkSet): Promise<true | string> {
  const lenient = await outcomeIn(jws, keyOrSet, false)
  // Issue 10: both modes give the same verdict on Wycheproof (its keys are canonical or unsafe).
  assert.equal(await outcomeIn(jws, keyOrSet, true), lenient, 'the same outcome under strict')
  return lenient
}

async function outcomeIn(jws: string, keyOrSet: Jwk | JwkSet, strict: boolean): Promise<true | string> {
  try {
    const key = Array.isArray((keyOrSet as JwkSet).keys) ? createLocalJwks(keyOrSet as JwkSet, { strict }) : keyOrSet as Jwk
    await verifyJws(jws, key, { strict })
    return true
  } catch (error) {
    assert.ok(isJwkitError(error), `non-JwkitError: ${String(error)}`)
    return error.code
  }
}

const headerAlg = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()).alg as string
let quirks = 0

test('Wycheproof json_web_signature_test.json: valid verify, invalid refused with a JwkitError', async () => {
  const counts = { valid: 0, invalid: 0 }
  for (const group of load('json_web_signature_test.json').testGroups) {
    const key = group.public ?? group.private
    for (const t of group.tests) {
      const got = await outcome(t.jws!, key)
      const keyAlg = (key as Jwk).alg
      const known = t.result === 'valid' && headerAlg(t.jws!) !== keyAlg
        ? (jwsAlgorithm(keyAlg!) === undefined ? 'ERR_JWK_UNSUPPORTED' : 'ERR_ALG_NOT_ALLOWED')
        : undefined
      if (known !== undefined) {
        // Upstream inconsistencies (RFC 7520 groups): e.g. tcId 346 is a PS384 token "valid" against a key marked alg PS256;
        // 347 an ES512 token "valid" against a key marked alg "ES521" (no such algorithm). RFC 7517
        // §4.4 (and Wycheproof's own README) say a key with alg is for that algorithm only.
        assert.equal(got, known)
        assert.equal(await outcome(t.jws!, withoutAlg(key as Jwk)), true)
        counts.valid++
        quirks++
        continue
      }
      if (t.tcId === 367 || t.tcId === 370) {
        // Upstream conversion flaw: "invalidBase64Padding(InPayload)" holds a canonical token whose
        // MAC is right (the padding the case was about is gone). Check what it meant instead.
        assert.equal(got, true)
        const [h, p, sig] = t.jws!.split('.')
        assert.equal(await outcome(`${h}.${p}==.${sig}`, key), 'ERR_JWS_INVALID')
        assert.equal(await outcome(`${h}.${p}.${sig}=`, key), 'ERR_JWS_INVALID')
        counts.invalid++
        continue
      }
      if (t.tcId === 372 || t.tcId === 373) {
        // Upstream flaw, the mirror of 367/370: marked "valid", but the header or payload has a '?'
        // inserted (as the comment says). RFC 7515 §2 base64url has no '?': refused.
        assert.equal(got, 'ERR_JWS_INVALID')
        counts.valid++
        continue
      }
      if (t.result === 'valid') assert.equal(got, true, `tcId ${t.tcId} ${t.comment}`)
      else assert.notEqual(got, true, `tcId ${t.tcId} ${t.comment}`)
      if (t.flags.includes('AlgIsNone')) assert.equal(got, 'ERR_ALG_NONE')
      counts[t.result === 'valid' ? 'valid' : 'invalid']++
    }
  }
  assert.deepEqual(counts, { valid: 46, invalid: 355 })
  assert.ok(quirks <= 4, `${quirks} valid cases whose token alg differs from the key's alg`)
})

test('Wycheproof json_web_key_test.json through createLocalJwks + verifyJws', async () => {
  let n = 0
  for (const group of load('json_web_key_test.json').testGroups) {
    const set = group.public ?? group.private
    for (const t of group.tests) {
      const got = await outcome(t.jws!, set)
      if (t.result === 'valid') assert.equal(got, true, `tcId ${t.tcId} ${t.comment}`)
      else assert.notEqual(got, true, `tcId ${t.tcId} ${t.comment}`)
      n++
    }
  }
  assert.equal(n, 26)
})

test('Wycheproof json_web_crypto_test.json (JWS cases)', async () => {
  let n = 0
  for (const group of load('json_web_crypto_test.json').testGroups) {
    const key = group.public ?? group.private
    for (const t of group.tests) {
      if (t.jws === undefined) continue // JWE cases: not in scope here
      // JsonSerialization cases hold an object: Wycheproof feeds them to a compact-only API,
      // which must refuse them (as text); our JSON-serialization path is tested elsewhere.
      const got = await outcome(typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws), key)
      if (t.result === 'valid') assert.equal(got, true, `tcId ${t.tcId} ${t.comment}`)
      else assert.notEqual(got, true, `tcId ${t.tcId} ${t.comment}`)
      n++
    }
  }
  assert.ok(n >= 40)
})

function withoutAlg(jwk: Jwk): Jwk {
  const { alg: _alg, ...rest } = jwk
  return rest as Jwk
}
