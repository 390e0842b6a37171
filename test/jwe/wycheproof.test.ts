import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { decryptJwe } from '../../src/jwe/decrypt.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

interface WyTest { tcId: number; comment: string; jwe: string; pt?: string; enc?: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[] }
interface WyGroup { private: Jwk; public?: Jwk; tests: WyTest[] }
const file: { testGroups: WyGroup[]; numberOfTests: number } = JSON.parse(
  readFileSync(new URL('../vectors/wycheproof/testvectors_v1/json_web_encryption_test.json', import.meta.url), 'utf8'),
)

const headerOf = (jwe: string) => {
  try {
    return JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString()) as { alg?: string; enc?: string }
  } catch {
    return {}
  }
}

async function outcome(jwe: string, key: Jwk): Promise<Uint8Array | string> {
  const lenient = await outcomeIn(jwe, key, false)
  // Issue 10: both modes give the same verdict on Wycheproof.
  assert.deepEqual(await outcomeIn(jwe, key, true), lenient, 'the same outcome under strict')
  return lenient
}

async function outcomeIn(jwe: string, key: Jwk, strict: boolean): Promise<Uint8Array | string> {
  try {
    return (await decryptJwe(jwe, key, { strict })).plaintext
  } catch (error) {
    assert.ok(isJwkitError(error), `non-JwkitError: ${(error as Error)?.stack ?? String(error)}`)
    return error.code
  }
}

test('Wycheproof json_web_encryption_test.json (RFC 7516): valid decrypt to pt, invalid refused with a JwkitError', async () => {
  const counts = { valid: 0, invalid: 0, refusedByPolicy: 0, total: 0 }
  const policy: string[] = []
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      counts.total++
      const got = await outcome(t.jwe, group.private)
      const alg = headerOf(t.jwe).alg
      if (t.result === 'valid') {
        if (alg === 'RSA1_5') {
          // RFC 8725 §3.2 / RFC 7516 §11.5: PKCS #1 v1.5 key transport is refused by policy.
          assert.equal(got, 'ERR_ALG_NOT_ALLOWED', `tcId ${t.tcId}`)
          counts.refusedByPolicy++
          policy.push(`${t.tcId}:RSA1_5`)
          continue
        }
        assert.ok(got instanceof Uint8Array, `tcId ${t.tcId} (${t.comment}) refused: ${String(got)}`)
        assert.equal(Buffer.from(got).toString('hex'), t.pt, `tcId ${t.tcId} plaintext`)
        counts.valid++
      } else {
        assert.equal(typeof got, 'string', `tcId ${t.tcId} (${t.comment}) must be refused`)
        if (t.flags.includes('JsonSerialization')) {
          // The value is JSON text given where a compact JWE belongs: refused as malformed.
          assert.equal(got, 'ERR_JWE_INVALID', `tcId ${t.tcId}`)
        }
        if (alg === 'RSA1_5') assert.equal(got, 'ERR_ALG_NOT_ALLOWED', `tcId ${t.tcId}`)
        if (['rejectsModifiedAuthenticationTag', 'rejectsModifiedCiphertext', 'rejectsModifiedIv', 'rejectsModifiedEncryptedKey', 'ModifiedHmac', 'WrongPKCS5Padding', 'ModifiedIV', 'ModifiedCiphertext'].includes(t.comment)) {
          // Tag, MAC, padding and unwrap failures all read the same (RFC 7516 §11.5).
          assert.equal(got, 'ERR_JWE_DECRYPTION_FAILED', `tcId ${t.tcId} ${t.comment}`)
        }
        counts.invalid++
      }
    }
  }
  assert.equal(counts.total, file.numberOfTests)
  // 65 valid: 57 decrypt, 8 RSA1_5 refused by policy; 74 invalid: all refused.
  assert.deepEqual(counts, { valid: 57, invalid: 74, refusedByPolicy: 8, total: 139 })
  console.log(`json_web_encryption_test.json: ${counts.valid} valid decrypted, ${counts.invalid} invalid refused, ${counts.refusedByPolicy} valid refused by policy (${policy.join(' ')})`)
})

test('Wycheproof JWE: padding and MAC failures give one code and one message (no oracle)', async () => {
  const messages = new Set<string>()
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      if (!t.flags.includes('Pkcs5Padding') && !/Modified(AuthenticationTag|Ciphertext|Iv|EncryptedKey)$/.test(t.comment)) continue
      try {
        await decryptJwe(t.jwe, group.private)
        assert.fail(`tcId ${t.tcId} decrypted`)
      } catch (error) {
        assert.ok(isJwkitError(error))
        assert.equal(error.code, 'ERR_JWE_DECRYPTION_FAILED', `tcId ${t.tcId}`)
        messages.add(error.message)
      }
    }
  }
  assert.deepEqual([...messages], ['decryption operation failed'])
})

test('Wycheproof json_web_crypto_test.json (older combined file): its JWE cases', async () => {
  const combined: { testGroups: Array<{ private: Jwk; tests: Array<WyTest & { jwe?: string | object; jws?: string }> }> } = JSON.parse(
    readFileSync(new URL('../vectors/wycheproof/testvectors_v1/json_web_crypto_test.json', import.meta.url), 'utf8'),
  )
  const counts = { valid: 0, invalid: 0 }
  for (const group of combined.testGroups) {
    for (const t of group.tests) {
      if (t.jwe === undefined) continue
      // JsonSerialization cases go to the compact parser as text (vectors/README §1.2).
      const got = await outcome(typeof t.jwe === 'string' ? t.jwe : JSON.stringify(t.jwe), group.private)
      if (t.result === 'valid') {
        assert.ok(got instanceof Uint8Array, `tcId ${t.tcId} refused: ${String(got)}`)
        if (t.pt !== undefined) assert.equal(Buffer.from(got).toString('hex'), t.pt)
        counts.valid++
      } else {
        assert.equal(typeof got, 'string', `tcId ${t.tcId} (${t.comment}) must be refused`)
        counts.invalid++
      }
    }
  }
  assert.ok(counts.valid >= 2 && counts.invalid >= 30, JSON.stringify(counts))
  console.log(`json_web_crypto_test.json JWE cases: ${counts.valid} valid decrypted, ${counts.invalid} invalid refused`)
})
