import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto'
import fc from 'fast-check'
import { importJwk, importKeyHandle } from '../../src/crypto/import.ts'
import { generateMlDsaJwk } from '../../src/crypto/ml-dsa.ts'
import { isMlDsaKey } from '../../src/crypto/key-handle.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

/** One key pair of every asymmetric type node:crypto has a JWK form for (one RSA: it is slow). */
const PAIRS: Array<[string, { publicKey: KeyObject; privateKey: KeyObject }]> = [
  ['RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ...(['P-256', 'P-384', 'P-521', 'secp256k1'] as const).map((c) => [c, generateKeyPairSync('ec', { namedCurve: c })] as [string, ReturnType<typeof generateKeyPairSync>]),
  ['Ed25519', generateKeyPairSync('ed25519')],
  ['Ed448', generateKeyPairSync('ed448')],
  ['X25519', generateKeyPairSync('x25519')],
  ['X448', generateKeyPairSync('x448')],
]
const jwkOf = (k: KeyObject) => k.export({ format: 'jwk' }) as unknown as Jwk

const code = (c: string) => (e: unknown) => {
  assert.ok(isJwkitError(e), `expected a JwkitError, got ${String(e)}`)
  assert.equal((e as { code: string }).code, c)
  return true
}

for (const [name, pair] of PAIRS) {
  test(`importJwk ${name}: public and private JWKs give KeyObjects equal to the originals (RFC 7517 §4)`, () => {
    const pub = importJwk(jwkOf(pair.publicKey))
    assert.equal(pub.type, 'public')
    assert.ok(pub.equals(pair.publicKey))
    const priv = importJwk(jwkOf(pair.privateKey))
    assert.equal(priv.type, 'private')
    assert.ok(priv.equals(pair.privateKey))
    // JSON text and bytes go through the same rules.
    assert.ok(importJwk(JSON.stringify(jwkOf(pair.publicKey))).equals(pair.publicKey))
    assert.ok(importJwk(Buffer.from(JSON.stringify(jwkOf(pair.publicKey)))).equals(pair.publicKey))
    // asPublic: the public half of a private JWK.
    const half = importJwk(jwkOf(pair.privateKey), { asPublic: true })
    assert.equal(half.type, 'public')
    assert.ok(half.equals(pair.publicKey))
    assert.ok((importKeyHandle(jwkOf(pair.privateKey)) as KeyObject).equals(pair.privateKey))
  })
}

test('importJwk oct gives a secret KeyObject with the bytes of k (RFC 7518 §6.4)', () => {
  const bytes = randomBytes(32)
  const key = importJwk({ kty: 'oct', k: bytes.toString('base64url'), alg: 'HS256' })
  assert.equal(key.type, 'secret')
  assert.deepEqual(key.export(), bytes)
  assert.throws(() => importJwk({ kty: 'oct', k: bytes.toString('base64url') }, { asPublic: true }), code('ERR_JWK_NO_PUBLIC_FORM'))
})

test('importJwk refuses what node:crypto accepts: use/key_ops contradictions; strict: padding, standard alphabet, leading zeros', () => {
  const ec = jwkOf(PAIRS[1]![1].publicKey) as Jwk & { x: string; y: string }
  const padded = { ...ec, x: ec.x + '=' }
  const std = { ...ec, x: Buffer.from(ec.x, 'base64url').toString('base64').replace(/=+$/, '') }
  const contradiction = { ...ec, use: 'enc', key_ops: ['verify'] }
  for (const bad of [padded, contradiction]) {
    assert.doesNotThrow(() => createPublicKey({ key: bad as JsonWebKey, format: 'jwk' }), 'node:crypto accepts it')
  }
  assert.throws(() => importJwk(contradiction), code('ERR_JWK_INVALID'))
  assert.throws(() => importJwk(padded, { strict: true }), code('ERR_JWK_INVALID'))
  if (std.x !== ec.x) assert.throws(() => importJwk(std, { strict: true }), code('ERR_JWK_INVALID'))
  const shortHmac = { kty: 'oct', k: randomBytes(31).toString('base64url'), alg: 'HS256' }
  assert.throws(() => importJwk(shortHmac), (e) => isJwkitError(e))
  const rsa = jwkOf(PAIRS[0]![1].publicKey) as Jwk & { n: string }
  const leadingZero = { ...rsa, n: Buffer.concat([Buffer.alloc(1), Buffer.from(rsa.n, 'base64url')]).toString('base64url') }
  assert.doesNotThrow(() => createPublicKey({ key: leadingZero as JsonWebKey, format: 'jwk' }))
  assert.throws(() => importJwk(leadingZero, { strict: true }), code('ERR_JWK_INVALID'))
  // Default mode (issue 10): one reading, so the canonical key is imported.
  assert.ok(importJwk(padded).equals(PAIRS[1]![1].publicKey))
  assert.ok(importJwk(std).equals(PAIRS[1]![1].publicKey))
  assert.ok(importJwk(leadingZero).equals(PAIRS[0]![1].publicKey))
})

test('importJwk options: requirePublic, requirePrivate, alg', () => {
  const [, p256] = PAIRS[1]!
  assert.throws(() => importJwk(jwkOf(p256.privateKey), { requirePublic: true }), code('ERR_JWK_PRIVATE_MEMBER'))
  assert.throws(() => importJwk(jwkOf(p256.publicKey), { requirePrivate: true }), code('ERR_JWK_INVALID'))
  assert.ok(importJwk(jwkOf(p256.publicKey), { alg: 'ES256' }).equals(p256.publicKey))
  assert.throws(() => importJwk(jwkOf(p256.publicKey), { alg: 'ES384' }), code('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => importJwk(jwkOf(p256.publicKey), { alg: 'RS256' }), code('ERR_ALG_NOT_ALLOWED'))
})

test('importJwk refuses AKP with ERR_JWK_UNSUPPORTED; importKeyHandle gives an MlDsaKey', () => {
  const jwk = generateMlDsaJwk('ML-DSA-44')
  assert.throws(() => importJwk(jwk), code('ERR_JWK_UNSUPPORTED'))
  const handle = importKeyHandle(jwk)
  assert.ok(isMlDsaKey(handle))
  assert.equal(handle.alg, 'ML-DSA-44')
  assert.equal(handle.publicKey.length, 1312)
  assert.equal(handle.secretKey?.length, 2560)
  const pub = importKeyHandle({ kty: 'AKP', alg: 'ML-DSA-44', pub: jwk.pub })
  assert.ok(isMlDsaKey(pub) && pub.secretKey === undefined)
  const half = importKeyHandle(jwk, { asPublic: true })
  assert.ok(isMlDsaKey(half) && half.secretKey === undefined)
  assert.deepEqual(half.publicKey, handle.publicKey)
})

test('importJwk: an RSA private key without its CRT members is ERR_JWK_UNSUPPORTED', () => {
  const full = jwkOf(PAIRS[0]![1].privateKey) as unknown as Record<string, string>
  const dOnly = { kty: 'RSA', n: full.n, e: full.e, d: full.d }
  assert.throws(() => importJwk(dOnly), code('ERR_JWK_UNSUPPORTED'))
  // Its public half is fine.
  assert.ok(importJwk(dOnly, { asPublic: true }).equals(PAIRS[0]![1].publicKey))
})

test('importJwk: wrong argument types are TypeError, bad JSON is a JwkitError', () => {
  for (const bad of [undefined, null, 42, true]) assert.throws(() => importJwk(bad as unknown as Jwk), TypeError)
  assert.throws(() => importJwk('{"kty":"EC",'), (e) => isJwkitError(e))
  assert.throws(() => importJwk('{"kty":"oct","kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA"}'), code('ERR_JWK_INVALID'))
  assert.throws(() => importJwk({ kty: 'XYZ' }), code('ERR_JWK_UNSUPPORTED'))
})

test('importJwk: random mutations of valid keys are imported or refused with a JwkitError, never anything else', () => {
  const bases = PAIRS.slice(1).flatMap(([, p]) => [jwkOf(p.publicKey), jwkOf(p.privateKey)]) as unknown as Array<Record<string, unknown>>
  const value = fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.constant(null), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.boolean())
  fc.assert(
    fc.property(fc.nat(bases.length - 1), fc.constantFrom('kty', 'crv', 'x', 'y', 'd', 'use', 'key_ops', 'alg', 'kid', 'ext', 'x5c'), value, (i, member, v) => {
      const jwk = { ...bases[i]!, [member]: v }
      try {
        const key = importJwk(jwk)
        assert.ok(key.type === 'public' || key.type === 'private')
      } catch (error) {
        assert.ok(isJwkitError(error), `non-JwkitError: ${String(error)}`)
      }
    }),
    { numRuns: 300 },
  )
})

test('importJwk on the RFC 7520 §3 cookbook keys: the same key node:crypto imports, exported back unchanged', async () => {
  const { readdirSync, readFileSync } = await import('node:fs')
  const { createPrivateKey, createSecretKey } = await import('node:crypto')
  const { exportJwk } = await import('../../src/crypto/export.ts')
  const dir = new URL('../vectors/cookbook/jwk/', import.meta.url)
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  assert.equal(files.length, 6)
  for (const file of files) {
    const jwk = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, string>
    const key = importJwk(jwk)
    const node = jwk.kty === 'oct'
      ? createSecretKey(Buffer.from(jwk.k!, 'base64url'))
      : jwk.d !== undefined ? createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) : createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
    assert.ok(key.equals(node), file)
    const keyMembers = Object.fromEntries(Object.entries(jwk).filter(([m]) => !['kid', 'use', 'alg'].includes(m)))
    assert.deepEqual({ ...exportJwk(key) }, keyMembers, file)
  }
})
