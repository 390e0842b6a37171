import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import * as jose from 'jose'
import { encryptJwe } from '../../src/jwe/encrypt.ts'
import { decryptJwe, type FlattenedJwe, type GeneralJwe } from '../../src/jwe/decrypt.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'

// One RSA key for the whole file.
const rsa = exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
const ecKeys = ['P-256', 'P-384', 'P-521'].map((c) => exportJwk(generateKeyPairSync('ec', { namedCurve: c }).privateKey))
const x25519 = exportJwk(generateKeyPairSync('x25519').privateKey)
const oct = (n: number): Jwk => ({ kty: 'oct', k: randomBytes(n).toString('base64url') }) as Jwk
const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512']
const ENC_BYTES: Record<string, number> = { A128GCM: 16, A192GCM: 24, A256GCM: 32, 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64 }
const text = (u: Uint8Array) => Buffer.from(u).toString('utf8')
const joseKey = (jwk: Jwk, alg: string) => jose.importJWK(jwk as jose.JWK, alg)

/** Every (alg, key) pair both jwkit and jose implement, for one enc. */
function pairs(enc: string): Array<[string, Jwk]> {
  const out: Array<[string, Jwk]> = [['dir', oct(ENC_BYTES[enc]!)]]
  for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']) out.push([alg, rsa])
  for (const bits of [128, 192, 256]) out.push([`A${bits}KW`, oct(bits / 8)], [`A${bits}GCMKW`, oct(bits / 8)])
  for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']) for (const k of [...ecKeys, x25519]) out.push([alg, k])
  return out
}

test('interop jose (compact): jwkit encrypts → jose decrypts, jose encrypts → jwkit decrypts, every shared alg × enc', async () => {
  let n = 0
  for (const enc of ENCS) {
    for (const [alg, key] of pairs(enc)) {
      const label = `${alg} ${(key as { crv?: string }).crv ?? key.kty} ${enc}`
      const publicJwk = key.kty === 'oct' ? key : toPublicJwk(key)
      const ours = await encryptJwe(`ours ${label}`, publicJwk, { alg, enc })
      const theirs = await jose.compactDecrypt(ours, await joseKey(key, alg))
      assert.equal(text(theirs.plaintext), `ours ${label}`, label)
      const fromJose = await new jose.CompactEncrypt(Buffer.from(`jose ${label}`)).setProtectedHeader({ alg, enc }).encrypt(await joseKey(publicJwk, alg))
      const mine = await decryptJwe(fromJose, key)
      assert.equal(text(mine.plaintext), `jose ${label}`, label)
      n++
    }
  }
  assert.equal(n, 6 * 27)
})

test('interop jose (flattened JSON, aad, unprotected headers, apu/apv)', async () => {
  const kw = oct(16)
  const ours = await encryptJwe('flat', kw, { alg: 'A128KW', enc: 'A128CBC-HS256', serialization: 'flattened', aad: 'aad!', unprotectedHeader: { 'urn:u': 1 }, header: { kid: 'k1' } }) as FlattenedJwe
  const theirs = await jose.flattenedDecrypt(ours as jose.FlattenedJWE, await joseKey(kw, 'A128KW'))
  assert.equal(text(theirs.plaintext), 'flat')
  assert.equal(text(theirs.additionalAuthenticatedData!), 'aad!')
  const fromJose = await new jose.FlattenedEncrypt(Buffer.from('jose flat'))
    .setProtectedHeader({ enc: 'A256GCM' })
    .setUnprotectedHeader({ 'urn:u': 2 })
    .setSharedUnprotectedHeader({ alg: 'ECDH-ES+A256KW' })
    .setAdditionalAuthenticatedData(Buffer.from('more'))
    .setKeyManagementParameters({ apu: Buffer.from('Alice'), apv: Buffer.from('Bob') })
    .encrypt(await joseKey(toPublicJwk(ecKeys[1]!), 'ECDH-ES+A256KW'))
  const mine = await decryptJwe(fromJose as FlattenedJwe, ecKeys[1]!)
  assert.equal(text(mine.plaintext), 'jose flat')
  assert.equal(text(mine.additionalAuthenticatedData!), 'more')
  // And ECDH-ES with apu/apv from jwkit to jose.
  const withParties = await encryptJwe('parties', toPublicJwk(x25519), { alg: 'ECDH-ES', enc: 'A256GCM', serialization: 'flattened', apu: 'Alice', apv: 'Bob' }) as FlattenedJwe
  assert.equal(text((await jose.flattenedDecrypt(withParties as jose.FlattenedJWE, await joseKey(x25519, 'ECDH-ES'))).plaintext), 'parties')
})

test('interop jose (general JSON, several recipients)', async () => {
  const kw = oct(32)
  const ours = await encryptJwe('general', toPublicJwk(rsa), {
    alg: 'RSA-OAEP-256', enc: 'A256GCM', serialization: 'general',
    recipients: [{ key: kw, alg: 'A256KW' }, { key: toPublicJwk(ecKeys[0]!), alg: 'ECDH-ES+A128KW' }],
  }) as GeneralJwe
  for (const [key, alg] of [[rsa, 'RSA-OAEP-256'], [kw, 'A256KW'], [ecKeys[0]!, 'ECDH-ES+A128KW']] as const) {
    const r = await jose.generalDecrypt(ours as jose.GeneralJWE, await joseKey(key, alg))
    assert.equal(text(r.plaintext), 'general', alg)
  }
  const enc = new jose.GeneralEncrypt(Buffer.from('jose general')).setProtectedHeader({ enc: 'A128CBC-HS256' })
  enc.addRecipient(await joseKey(kw, 'A256KW')).setUnprotectedHeader({ alg: 'A256KW' })
  enc.addRecipient(await joseKey(toPublicJwk(x25519), 'ECDH-ES+A192KW')).setUnprotectedHeader({ alg: 'ECDH-ES+A192KW' })
  const fromJose = await enc.encrypt()
  assert.equal(text((await decryptJwe(fromJose as GeneralJwe, kw)).plaintext), 'jose general')
  const r = await decryptJwe(fromJose as GeneralJwe, x25519)
  assert.equal(text(r.plaintext), 'jose general')
  assert.equal(r.recipientIndex, 1)
})
