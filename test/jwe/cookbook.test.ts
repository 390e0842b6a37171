import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { createSecretKey } from 'node:crypto'
import { decryptJwe } from '../../src/jwe/decrypt.ts'
import { encryptContent } from '../../src/crypto/content-encryption.ts'
import { wrapKey } from '../../src/crypto/key-management.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

interface Vector {
  title: string
  reproducible?: boolean
  input: { key?: Jwk | Jwk[]; alg: string | string[]; enc: string; plaintext: string; aad?: string; zip?: string; pwd?: string }
  generated?: { cek?: string; iv?: string }
  encrypting_key?: { encrypted_key?: string } | unknown[]
  encrypting_content?: { protected_b64u?: string; ciphertext: string; tag: string }
  output: { compact?: string; json?: object; json_flat?: object }
}

const dir = new URL('../vectors/cookbook/jwe/', import.meta.url)
const vectors: Array<[string, Vector]> = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))])
vectors.push(['curve25519/ecdh-es.json', JSON.parse(readFileSync(new URL('../vectors/cookbook/curve25519/ecdh-es.json', import.meta.url), 'utf8'))])

const forms = (v: Vector) => Object.entries(v.output) as Array<[string, string | object]>

for (const [name, v] of vectors) {
  const algs = Array.isArray(v.input.alg) ? v.input.alg : [v.input.alg]
  const keys = v.input.key === undefined ? [] : Array.isArray(v.input.key) ? v.input.key : [v.input.key]
  test(`RFC 7520 §5 cookbook ${name}: ${v.title}`, async () => {
    if (algs.every((a) => a === 'RSA1_5' || a.startsWith('PBES2-'))) {
      // Refused by policy: RSA1_5 (padding oracle, RFC 8725 §3.2) and PBES2 (password-based).
      for (const [form, jwe] of forms(v)) {
        const key = keys[0] ?? { kty: 'oct', k: Buffer.from(v.input.pwd ?? 'x').toString('base64url') }
        await assert.rejects(decryptJwe(jwe as string, key), (e: unknown) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED', form)
      }
      return
    }
    let decrypted = 0
    for (const [i, alg] of algs.entries()) {
      const key = keys[i]!
      for (const [form, jwe] of forms(v)) {
        if (alg === 'RSA1_5') {
          // A general JWE whose only usable recipient for this key is RSA1_5: refused by policy.
          await assert.rejects(decryptJwe(jwe as string, key), (e: unknown) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED', form)
          continue
        }
        const result = await decryptJwe(jwe as string, key)
        assert.equal(Buffer.from(result.plaintext).toString('utf8'), v.input.plaintext, `${form} with key ${i}`)
        // Issue 10: strict mode (keys and epk canonical) decrypts the same.
        assert.equal(Buffer.from((await decryptJwe(jwe as string, key, { strict: true })).plaintext).toString('utf8'), v.input.plaintext, `${form} with key ${i}, strict`)
        if (v.input.aad !== undefined) assert.equal(Buffer.from(result.additionalAuthenticatedData!).toString('utf8'), v.input.aad)
        if (form === 'json' && algs.length > 1) assert.equal(result.recipientIndex, i)
        decrypted++
      }
    }
    assert.ok(decrypted > 0)
  })
}

test('RFC 7520 §5.6, §5.8, §5.10: content encryption and key wrap reproduce the published values', async () => {
  let checked = 0
  for (const [, v] of vectors) {
    const ec = v.encrypting_content
    if (v.reproducible !== true || v.generated?.cek === undefined || v.generated.iv === undefined || ec?.protected_b64u === undefined || v.input.zip !== undefined) continue
    const cek = Buffer.from(v.generated.cek, 'base64url')
    const aadMember = v.input.aad === undefined ? '' : '.' + Buffer.from(v.input.aad).toString('base64url')
    const out = encryptContent(v.input.enc, cek, Buffer.from(v.input.plaintext, 'utf8'), Buffer.from(ec.protected_b64u + aadMember, 'latin1'), Buffer.from(v.generated.iv, 'base64url'))
    assert.equal(Buffer.from(out.ciphertext).toString('base64url'), ec.ciphertext)
    assert.equal(Buffer.from(out.tag).toString('base64url'), ec.tag)
    const alg = v.input.alg as string
    if (/^A\d+KW$/.test(alg)) {
      // RFC 3394 key wrap is deterministic.
      const kek = createSecretKey(Buffer.from((v.input.key as { k: string }).k, 'base64url'))
      const wrapped = await wrapKey(alg, v.input.enc, kek, { cek })
      assert.equal(Buffer.from(wrapped.encryptedKey).toString('base64url'), (v.encrypting_key as { encrypted_key: string }).encrypted_key)
    }
    checked++
  }
  assert.ok(checked >= 4, `only ${checked} reproducible vectors checked`)
})
