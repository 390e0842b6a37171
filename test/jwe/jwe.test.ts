import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { encryptJwe } from '../../src/jwe/encrypt.ts'
import { decryptJwe, type FlattenedJwe, type GeneralJwe } from '../../src/jwe/decrypt.ts'
import { encryptContent } from '../../src/crypto/content-encryption.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

// One RSA key for the whole file (tests stay fast).
const rsa = exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
const p256 = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const p384 = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)
const p521 = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey)
const x25519 = exportJwk(generateKeyPairSync('x25519').privateKey)
const x448 = exportJwk(generateKeyPairSync('x448').privateKey)
const oct = (bytes: number, extra: Partial<Jwk> = {}): Jwk => ({ kty: 'oct', k: randomBytes(bytes).toString('base64url'), ...extra }) as Jwk
const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512']
const ENC_BYTES: Record<string, number> = { A128GCM: 16, A192GCM: 24, A256GCM: 32, 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64 }
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64url')
const text = (u: Uint8Array) => Buffer.from(u).toString('utf8')

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (error) {
    assert.ok(isJwkitError(error), `non-JwkitError: ${(error as Error)?.stack ?? String(error)}`)
    return error.code
  }
  return 'ok'
}

const asymmetric: Array<[string, Jwk]> = [
  ['RSA-OAEP', rsa], ['RSA-OAEP-256', rsa], ['RSA-OAEP-384', rsa], ['RSA-OAEP-512', rsa],
  ...(['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'] as const).flatMap((alg) =>
    [p256, p384, p521, x25519, x448].map((k): [string, Jwk] => [alg, k])),
]

test('RFC 7516 §5.1/§5.2 round trip: every asymmetric key management algorithm × every enc (compact)', async () => {
  for (const [alg, key] of asymmetric) {
    for (const enc of ENCS) {
      const jwe = await encryptJwe('Live long and prosper.', toPublicJwk(key), { alg, enc })
      assert.equal(jwe.split('.').length, 5)
      const r = await decryptJwe(jwe, key)
      assert.equal(text(r.plaintext), 'Live long and prosper.', `${alg} ${(key as { crv?: string }).crv ?? ''} ${enc}`)
      assert.equal(r.protectedHeader.alg, alg)
      assert.equal(r.protectedHeader.enc, enc)
    }
  }
})

test('RFC 7518 §4.4, §4.5, §4.7 round trip: dir, A*KW, A*GCMKW × every enc, in all three serializations', async () => {
  for (const enc of ENCS) {
    const cases: Array<[string, Jwk]> = [['dir', oct(ENC_BYTES[enc]!)]]
    for (const bits of [128, 192, 256]) cases.push([`A${bits}KW`, oct(bits / 8)], [`A${bits}GCMKW`, oct(bits / 8)])
    for (const [alg, key] of cases) {
      for (const serialization of ['compact', 'flattened', 'general'] as const) {
        const jwe = await encryptJwe(new Uint8Array([1, 2, 3]), key, { alg, enc, serialization })
        const r = await decryptJwe(jwe, key)
        assert.deepEqual([...r.plaintext], [1, 2, 3], `${alg} ${enc} ${serialization}`)
      }
    }
  }
})

test('RFC 7516 §7.2.1: general JSON serialization with several recipients, each decrypts', async () => {
  const kw = oct(32, { kid: 'kw' })
  const gcmkw = oct(16, { kid: 'g' })
  const jwe = await encryptJwe('to three', toPublicJwk(rsa), {
    alg: 'RSA-OAEP-256', enc: 'A256GCM', serialization: 'general', kid: 'r', aad: 'extra', unprotectedHeader: { jku: 'https://example.com/jwks' },
    recipients: [{ key: kw, alg: 'A256KW', kid: 'kw' }, { key: toPublicJwk(x25519), alg: 'ECDH-ES+A128KW', apu: 'Alice', apv: 'Bob' }, { key: gcmkw, alg: 'A128GCMKW' }],
  })
  assert.equal(jwe.recipients.length, 4)
  for (const [i, key] of [rsa, kw, x25519, gcmkw].entries()) {
    const r = await decryptJwe(jwe, key)
    assert.equal(text(r.plaintext), 'to three')
    assert.equal(r.recipientIndex, i)
    assert.equal(text(r.additionalAuthenticatedData!), 'extra')
    assert.equal(r.sharedUnprotectedHeader?.jku, 'https://example.com/jwks')
  }
  // A recipient key none of the recipients fits: the first refusal.
  assert.equal(await code(decryptJwe(jwe, oct(24))), 'ERR_ALG_NOT_ALLOWED')
  // A fitting key that is the wrong one: one decryption failure, never "which recipient".
  assert.equal(await code(decryptJwe(jwe, oct(32))), 'ERR_JWE_DECRYPTION_FAILED')
  // dir and ECDH-ES fix the CEK, so they serve one recipient only.
  await assert.rejects(encryptJwe('x', oct(32), { alg: 'dir', enc: 'A256GCM', serialization: 'general', recipients: [{ key: kw, alg: 'A256KW' }] }), TypeError)
})

test('RFC 7516 §5.2: a tampered AAD, protected header, IV, ciphertext or tag fails with one code and message', async () => {
  const key = oct(16)
  const jwe = await encryptJwe('secret', key, { alg: 'A128KW', enc: 'A128CBC-HS256', serialization: 'flattened', aad: 'a' }) as FlattenedJwe
  const flip = (s: string) => { const b = Buffer.from(s, 'base64url'); b[b.length - 1]! ^= 1; return b64(b) }
  const messages = new Set<string>()
  for (const mutated of [{ ...jwe, aad: b64('b') }, { ...jwe, iv: flip(jwe.iv) }, { ...jwe, ciphertext: flip(jwe.ciphertext) }, { ...jwe, tag: flip(jwe.tag) }, { ...jwe, encrypted_key: flip(jwe.encrypted_key!) }]) {
    try {
      await decryptJwe(mutated, key)
      assert.fail('decrypted')
    } catch (error) {
      assert.ok(isJwkitError(error))
      assert.equal(error.code, 'ERR_JWE_DECRYPTION_FAILED')
      messages.add(error.message)
    }
  }
  assert.deepEqual([...messages], ['decryption operation failed'])
})

test('RFC 7516 §11.5: an RSA-OAEP unwrap failure continues with a random CEK (same failure as a bad tag)', async () => {
  const jwe = await encryptJwe('x', toPublicJwk(rsa), { alg: 'RSA-OAEP-256', enc: 'A128GCM' })
  const parts = jwe.split('.')
  const ek = Buffer.from(parts[1]!, 'base64url')
  ek[10]! ^= 0xff
  parts[1] = b64(ek)
  assert.equal(await code(decryptJwe(parts.join('.'), rsa)), 'ERR_JWE_DECRYPTION_FAILED')
  parts[1] = b64(ek.subarray(1)) // wrong length
  assert.equal(await code(decryptJwe(parts.join('.'), rsa)), 'ERR_JWE_DECRYPTION_FAILED')
})

test('RFC 8725 §3.1: allowlists — key management and content encryption', async () => {
  const key = oct(16, { alg: 'A128KW' })
  const jwe = await encryptJwe('x', key, { enc: 'A128CBC-HS256' })
  assert.equal(await code(decryptJwe(jwe, key, { contentEncryptionAlgorithms: ['A256GCM'] })), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(jwe, key, { keyManagementAlgorithms: ['A128GCMKW'] })), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(jwe, key, { keyManagementAlgorithms: ['A128KW'], contentEncryptionAlgorithms: ['A128CBC-HS256'] })), 'ok')
  // Default: the key's own alg only.
  const gcmkw = await encryptJwe('x', { ...key, alg: undefined } as Jwk, { alg: 'A128GCMKW', enc: 'A128GCM' })
  assert.equal(await code(decryptJwe(gcmkw, key)), 'ERR_ALG_NOT_ALLOWED')
  await assert.rejects(decryptJwe(jwe, key, { keyManagementAlgorithms: [] }), TypeError)
})

test('RFC 8725 §3.1: never dir or AES key wrap with an asymmetric key; never ECDH-ES with an Ed25519 key', async () => {
  const header = (h: object) => `${b64(JSON.stringify(h))}.${b64('k')}.${b64(randomBytes(12))}.${b64('c')}.${b64(randomBytes(16))}`
  assert.equal(await code(decryptJwe(header({ alg: 'dir', enc: 'A128GCM' }), rsa)), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(header({ alg: 'A128KW', enc: 'A128GCM' }), p256)), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(header({ alg: 'RSA-OAEP', enc: 'A128GCM' }), oct(16))), 'ERR_ALG_NOT_ALLOWED')
  const ed = exportJwk(generateKeyPairSync('ed25519').privateKey)
  assert.equal(await code(decryptJwe(header({ alg: 'ECDH-ES', enc: 'A128GCM', epk: toPublicJwk(x25519) }), ed)), 'ERR_ALG_NOT_ALLOWED')
  await assert.rejects(encryptJwe('x', toPublicJwk(p256), { alg: 'A128KW', enc: 'A128GCM' }), (e: unknown) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED')
})

test('RFC 7518 §4.2 / RFC 8725 §3.2: RSA1_5 refused (padding oracle); RFC 7518 §4.8: PBES2 refused', async () => {
  const h = (alg: string) => `${b64(JSON.stringify({ alg, enc: 'A128GCM' }))}.${b64('k')}.${b64(randomBytes(12))}.${b64('c')}.${b64(randomBytes(16))}`
  assert.equal(await code(decryptJwe(h('RSA1_5'), rsa)), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(h('RSA1_5'), rsa, { keyManagementAlgorithms: ['RSA1_5'] })), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(h('PBES2-HS256+A128KW'), oct(16))), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(h('none'), oct(16))), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(encryptJwe('x', toPublicJwk(rsa), { alg: 'RSA1_5', enc: 'A128GCM' })), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(encryptJwe('x', oct(16), { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' })), 'ERR_ALG_NOT_ALLOWED')
})

test('RFC 7517 §4.2–4.4: use, key_ops and alg of the key', async () => {
  const sig = { ...oct(16), use: 'sig' } as Jwk
  const jwe = await encryptJwe('x', oct(16), { alg: 'A128KW', enc: 'A128GCM' })
  assert.equal(await code(decryptJwe(jwe, sig)), 'ERR_KEY_USAGE_FORBIDDEN')
  const k = oct(16)
  const jwe2 = await encryptJwe('x', k, { alg: 'A128KW', enc: 'A128GCM' })
  assert.equal(await code(decryptJwe(jwe2, { ...k, key_ops: ['wrapKey'] } as Jwk)), 'ERR_KEY_USAGE_FORBIDDEN')
  assert.equal(await code(decryptJwe(jwe2, { ...k, key_ops: ['unwrapKey'] } as Jwk)), 'ok')
  assert.equal(await code(decryptJwe(jwe2, { ...k, use: 'enc' } as Jwk)), 'ok')
  assert.equal(await code(encryptJwe('x', { ...k, key_ops: ['unwrapKey'] } as Jwk, { alg: 'A128KW', enc: 'A128GCM' })), 'ERR_KEY_USAGE_FORBIDDEN')
  const ecdh = await encryptJwe('x', toPublicJwk(p256), { alg: 'ECDH-ES', enc: 'A128GCM' })
  assert.equal(await code(decryptJwe(ecdh, { ...p256, key_ops: ['decrypt'] } as Jwk)), 'ERR_KEY_USAGE_FORBIDDEN')
  assert.equal(await code(decryptJwe(ecdh, { ...p256, key_ops: ['deriveBits'] } as Jwk)), 'ok')
  assert.equal(await code(decryptJwe(ecdh, { ...p256, alg: 'ECDH-ES+A128KW' } as Jwk)), 'ERR_ALG_NOT_ALLOWED')
  // RFC 7520 §5.6 keys name the enc: such a key is for dir with that enc only.
  const dirKey = oct(16, { alg: 'A128GCM' })
  const d = await encryptJwe('x', dirKey, { enc: 'A128GCM' })
  assert.equal(JSON.parse(Buffer.from(d.split('.')[0]!, 'base64url').toString()).alg, 'dir')
  assert.equal(text((await decryptJwe(d, dirKey)).plaintext), 'x')
  assert.equal(await code(decryptJwe(await encryptJwe('x', oct(16), { alg: 'dir', enc: 'A128GCM' }), dirKey)), 'ERR_JWE_DECRYPTION_FAILED')
  // A public key cannot decrypt.
  assert.equal(await code(decryptJwe(ecdh, toPublicJwk(p256))), 'ERR_KEY_USAGE_FORBIDDEN')
})

test('RFC 7518 §4.6.1.1: an epk off the recipient curve, of another type, or private is refused', async () => {
  const jwe = await encryptJwe('x', toPublicJwk(p256), { alg: 'ECDH-ES', enc: 'A128GCM' })
  const [h, , iv, ct, tag] = jwe.split('.')
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString())
  const withEpk = (epk: unknown) => `${b64(JSON.stringify({ ...header, epk }))}..${iv}.${ct}.${tag}`
  const y = Buffer.from(header.epk.y, 'base64url')
  y[31]! ^= 1
  assert.equal(await code(decryptJwe(withEpk({ ...header.epk, y: b64(y) }), p256)), 'ERR_JWE_INVALID') // off-curve
  assert.equal(await code(decryptJwe(withEpk(toPublicJwk(p384)), p256)), 'ERR_JWE_INVALID') // other curve
  assert.equal(await code(decryptJwe(withEpk(toPublicJwk(x25519)), p256)), 'ERR_JWE_INVALID') // other type
  assert.equal(await code(decryptJwe(withEpk(p256), p256)), 'ERR_JWE_INVALID') // private members
  assert.equal(await code(decryptJwe(withEpk('x'), p256)), 'ERR_JWE_INVALID')
  assert.equal(await code(decryptJwe(`${b64(JSON.stringify({ alg: 'ECDH-ES', enc: 'A128GCM' }))}..${iv}.${ct}.${tag}`, p256)), 'ERR_JWE_INVALID')
  // X25519 low-order point (all-zero u): Z would be zero; refused as a decryption failure.
  const xj = await encryptJwe('x', toPublicJwk(x25519), { alg: 'ECDH-ES', enc: 'A128GCM' })
  const [xh, , xiv, xct, xtag] = xj.split('.')
  const xhdr = JSON.parse(Buffer.from(xh!, 'base64url').toString())
  const low = `${b64(JSON.stringify({ ...xhdr, epk: { kty: 'OKP', crv: 'X25519', x: b64(Buffer.alloc(32)) } }))}..${xiv}.${xct}.${xtag}`
  assert.equal(await code(decryptJwe(low, x25519)), 'ERR_JWE_DECRYPTION_FAILED')
})

test('RFC 7516 §7.1 and §4: malformed JWEs are ERR_JWE_INVALID', async () => {
  const key = oct(16)
  const jwe = await encryptJwe('x', key, { alg: 'A128KW', enc: 'A128GCM' })
  const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string]
  const withHeader = (text: string) => [b64(text), ek, iv, ct, tag].join('.')
  const cases: Array<[string, string]> = [
    ['four segments', [h, ek, iv, ct].join('.')],
    ['six segments', jwe + '.x'],
    ['empty header', ['', ek, iv, ct, tag].join('.')],
    ['padded base64url', [h, ek + '=', iv, ct, tag].join('.')],
    ['header not JSON', withHeader('{alg')],
    ['header an array', withHeader('["A128KW"]')],
    ['duplicate member names', withHeader('{"alg":"A128KW","enc":"A128GCM","alg":"A128KW"}')],
    ['enc missing', withHeader('{"alg":"A128KW"}')],
    ['alg not a string', withHeader('{"alg":1,"enc":"A128GCM"}')],
    ['zip unknown', withHeader('{"alg":"A128KW","enc":"A128GCM","zip":"GZ"}')],
    ['crit registered', withHeader('{"alg":"A128KW","enc":"A128GCM","crit":["enc"]}')],
    ['crit empty', withHeader('{"alg":"A128KW","enc":"A128GCM","crit":[]}')],
    ['tag header not base64url', withHeader('{"alg":"A128GCMKW","enc":"A128GCM","iv":"!!","tag":"AA"}')],
    ['dir with an encrypted key', withHeader('{"alg":"dir","enc":"A128GCM"}')],
    ['A128KW without an encrypted key', [h, '', iv, ct, tag].join('.')],
  ]
  for (const [name, bad] of cases) {
    const got = await code(decryptJwe(bad, name.startsWith('dir') ? oct(16, { alg: 'dir' }) : key))
    assert.equal(got, 'ERR_JWE_INVALID', name)
  }
  assert.equal(await code(decryptJwe(withHeader('{"alg":"A128KW","enc":"A128GCM","crit":["exp"],"exp":1}'), key)), 'ERR_JWE_CRIT_UNSUPPORTED')
  assert.equal(await code(decryptJwe(withHeader('{"alg":"A128KW","enc":"A999GCM"}'), key)), 'ERR_ALG_NOT_ALLOWED')
  assert.equal(await code(decryptJwe(jwe, key, { maxBytes: 20 })), 'ERR_INPUT_TOO_LARGE')
  // Any JSON value is data (issue 10): a JwkitError, never a TypeError.
  for (const value of [42, null, true, [], [1]]) assert.equal(await code(decryptJwe(value as unknown as string, key)), 'ERR_JWE_INVALID')
  await assert.rejects(decryptJwe(undefined as unknown as string, key), TypeError)
})

test('RFC 7516 §4.1.13: crit understood by the caller is accepted; crit or zip unprotected is refused', async () => {
  const key = oct(16)
  const jwe = await encryptJwe('x', key, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { crit: ['urn:x'], 'urn:x': 1 } })
  assert.equal(await code(decryptJwe(jwe, key)), 'ERR_JWE_CRIT_UNSUPPORTED')
  assert.equal(await code(decryptJwe(jwe, key, { crit: ['urn:x'] })), 'ok')
  const flat = await encryptJwe('x', key, { alg: 'A128KW', enc: 'A128GCM', serialization: 'flattened' })
  assert.equal(await code(decryptJwe({ ...flat, unprotected: { crit: ['urn:x'], 'urn:x': 1 } }, key, { crit: ['urn:x'] })), 'ERR_JWE_CRIT_UNSUPPORTED')
  assert.equal(await code(decryptJwe({ ...flat, unprotected: { zip: 'DEF' } }, key)), 'ERR_JWE_INVALID')
  // RFC 7516 §7.2.1: one member name in two headers.
  assert.equal(await code(decryptJwe({ ...flat, unprotected: { enc: 'A128GCM' } }, key)), 'ERR_JWE_INVALID')
  assert.equal(await code(decryptJwe({ ...flat, recipients: [] } as unknown as GeneralJwe, key)), 'ERR_JWE_INVALID')
  // A "__proto__" member of an unprotected header stays a member: it cannot lend zip or crit.
  const proto = JSON.parse('{"__proto__":{"zip":"DEF","crit":["x"]}}')
  assert.equal(await code(decryptJwe({ ...flat, unprotected: proto }, key)), 'ok')
})

test('RFC 7516 §4.1.3: zip DEF round trip; decompression bounded by maxPlaintextBytes', async () => {
  const key = oct(32)
  const big = 'a'.repeat(200_000)
  const jwe = await encryptJwe(big, key, { alg: 'A256KW', enc: 'A256GCM', zip: 'DEF' })
  assert.ok(jwe.length < 5000)
  assert.equal(text((await decryptJwe(jwe, key)).plaintext), big)
  assert.equal(await code(decryptJwe(jwe, key, { maxPlaintextBytes: 100_000 })), 'ERR_INPUT_TOO_LARGE')
  // A 16 MiB bomb stops at the default 1 MiB bound.
  const bombKey = oct(16, { alg: 'dir' })
  const header = b64(JSON.stringify({ alg: 'dir', enc: 'A128GCM', zip: 'DEF' }))
  const cek = Buffer.from(bombKey.k as string, 'base64url')
  const out = encryptContent('A128GCM', cek, deflateRawSync(Buffer.alloc(16 * 1024 * 1024)), Buffer.from(header, 'latin1'))
  const bomb = `${header}..${b64(out.iv)}.${b64(out.ciphertext)}.${b64(out.tag)}`
  assert.equal(await code(decryptJwe(bomb, bombKey)), 'ERR_INPUT_TOO_LARGE')
  // Authenticated but not DEFLATE data.
  const junk = encryptContent('A128GCM', cek, Buffer.from('not deflate'), Buffer.from(header, 'latin1'))
  assert.equal(await code(decryptJwe(`${header}..${b64(junk.iv)}.${b64(junk.ciphertext)}.${b64(junk.tag)}`, bombKey)), 'ERR_JWE_INVALID')
})

test('encryptJwe: caller mistakes are TypeErrors', async () => {
  const key = oct(16)
  await assert.rejects(encryptJwe('x', key, { alg: 'A128KW' } as never), TypeError)
  await assert.rejects(encryptJwe('x', key, { enc: 'A128GCM' }), TypeError) // no alg, key has none
  await assert.rejects(encryptJwe('x', key, { alg: 'A128KW', enc: 'A128GCM', aad: 'x' }), TypeError) // compact + aad
  await assert.rejects(encryptJwe('x', key, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { alg: 'dir' } }), TypeError)
  await assert.rejects(encryptJwe(5 as unknown as string, key, { alg: 'A128KW', enc: 'A128GCM' }), TypeError)
  assert.equal(await code(encryptJwe('x', oct(16), { alg: 'dir', enc: 'A256GCM' })), 'ERR_ALG_NOT_ALLOWED') // dir key length
  assert.equal(await code(encryptJwe('x', oct(16), { alg: 'A256KW', enc: 'A256GCM' })), 'ERR_ALG_NOT_ALLOWED')
})

test('messages never carry key material or plaintext', async () => {
  const key = oct(16)
  const secret = 'TOP-SECRET-PLAINTEXT'
  const jwe = await encryptJwe(secret, key, { alg: 'A128KW', enc: 'A128GCM' })
  for (const attempt of [decryptJwe(jwe, oct(16)), decryptJwe(jwe, key, { contentEncryptionAlgorithms: ['A256GCM'] }), decryptJwe(jwe, rsa)]) {
    try {
      await attempt
      assert.fail('decrypted')
    } catch (error) {
      assert.ok(isJwkitError(error))
      assert.ok(!error.message.includes(key.k as string) && !error.message.includes(secret) && !error.message.includes(jwe.slice(0, 30)))
    }
  }
})

test('keys as KeyObject and PEM text: encrypt to the public key, decrypt with the private key', async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const jwe = await encryptJwe('pem', pair.publicKey, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' })
  assert.equal(text((await decryptJwe(jwe, pem)).plaintext), 'pem')
  assert.equal(text((await decryptJwe(jwe, pair.privateKey)).plaintext), 'pem')
  // The result reports the public JWK, never the private one.
  const r = await decryptJwe(jwe, pair.privateKey)
  assert.equal((r.key as { d?: string }).d, undefined)
})
