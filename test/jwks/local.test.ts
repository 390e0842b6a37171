import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPrivateKey, generateKeyPairSync, randomBytes, sign as cryptoSign, type JsonWebKey } from 'node:crypto'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const code = (c: string) => (e: unknown) => isJwkitError(e) && e.code === c
const ec1 = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const ec2 = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const ed = exportJwk(generateKeyPairSync('ed25519').privateKey)
const rsa = exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
const x25519 = exportJwk(generateKeyPairSync('x25519').publicKey)
const pub = (k: Jwk, extra: Partial<Jwk> = {}) => ({ ...toPublicJwk(k), ...extra }) as Jwk

test('selects by kid, then by alg/kty/crv; keeps only public verification keys', async () => {
  const set = createLocalJwks({
    keys: [
      pub(ec1, { kid: 'e1' }), pub(ec2, { kid: 'e2', use: 'sig' }), pub(ed, { kid: 'ed', key_ops: ['verify'] }),
      pub(rsa, { kid: 'enc', use: 'enc' }), { ...x25519, kid: 'x' }, { kty: 'UNKNOWN', kid: 'u' } as never,
      { ...rsa, kid: 'priv' }, pub(rsa, { kid: 'no-verify', key_ops: ['encrypt'] }),
    ],
  })
  const kids = set.jwks().keys.map((k) => k.kid)
  assert.deepEqual(kids, ['e1', 'e2', 'ed', 'priv'])
  assert.equal(set.jwks().keys.find((k) => k.kid === 'priv')!.d, undefined) // private members dropped
  assert.equal(set.getKeys({ alg: 'ES256', kid: 'e2' }).length, 1)
  assert.equal(set.getKeys({ alg: 'ES256', kid: 'e2' })[0]!.jwk.kid, 'e2')
  assert.equal(set.getKeys({ alg: 'ES256' }).length, 2)
  assert.equal(set.getKeys({ alg: 'EdDSA', kid: 'e1' }).length, 0)
  assert.equal(set.getKeys({ alg: 'HS256' }).length, 0)
  assert.equal(set.getKeys({ alg: 'RS256', kid: 'enc' }).length, 0)
  // Imported once: the same handle object on every call.
  assert.equal(set.getKeys({ alg: 'ES256', kid: 'e1' })[0]!.key, set.getKeys({ alg: 'ES256' })[0]!.key)

  const withKid = await signJwt({ sub: 'a' }, ec2, { alg: 'ES256', kid: 'e2' })
  assert.equal((await verifyJwt(withKid, set)).key.kid, 'e2')
  // No kid: several candidates are tried (bounded), the right one verifies.
  const noKid = await signJwt({ sub: 'b' }, ec2, { alg: 'ES256' })
  assert.equal((await verifyJwt(noKid, set)).key.kid, 'e2')
  await assert.rejects(verifyJwt(noKid, set, { maxCandidates: 1 }), code('ERR_JWKS_MULTIPLE_MATCHING_KEYS'))
  const unknownKid = await signJwt({ sub: 'c' }, ec2, { alg: 'ES256', kid: 'zz' })
  await assert.rejects(verifyJwt(unknownKid, set), code('ERR_JWKS_NO_MATCHING_KEY'))
  const wrongKey = await signJwt({ sub: 'd' }, ec1, { alg: 'ES256', kid: 'e2' })
  await assert.rejects(verifyJwt(wrongKey, set), code('ERR_JWS_SIGNATURE_INVALID'))
  const edToken = await signJwt({ sub: 'e' }, ed, { alg: 'EdDSA' })
  assert.equal((await verifyJwt(edToken, set)).key.kid, 'ed')
  assert.equal((await verifyJwt(await signJwt({}, rsa, { alg: 'PS256' }), set)).key.kid, 'priv')
})

test('accepts an array and JSON text; a duplicate kid keeps the set; oct keys only in all-symmetric sets', async () => {
  const arr = createLocalJwks([pub(ec1, { kid: 'a' })])
  assert.equal(arr.jwks().keys.length, 1)
  const text = createLocalJwks(JSON.stringify({ keys: [pub(ec1, { kid: 'a' })] }))
  assert.equal(text.jwks().keys.length, 1)
  // Issue 10: a duplicate kid never rejects a set; a token for which two different keys remain
  // is refused as ambiguous, and other kids keep working.
  const dup = createLocalJwks([pub(ec1, { kid: 'a' }), pub(ec2, { kid: 'a' }), pub(ed, { kid: 'ed' })])
  assert.equal(dup.jwks().keys.length, 3)
  await assert.rejects(verifyJwt(await signJwt({}, ec1, { alg: 'ES256', kid: 'a' }), dup), code('ERR_JWKS_MULTIPLE_MATCHING_KEYS'))
  assert.ok(await verifyJwt(await signJwt({}, ed, { alg: 'EdDSA', kid: 'ed' }), dup))
  const secret: Jwk = { kty: 'oct', k: randomBytes(32).toString('base64url'), kid: 'h' }
  const mixed = createLocalJwks([secret, pub(ec1, { kid: 'a' })])
  assert.deepEqual(mixed.jwks().keys.map((k) => k.kid), ['a'])
  await assert.rejects(verifyJwt(await signJwt({}, secret, { alg: 'HS256', kid: 'h' }), mixed), code('ERR_JWKS_NO_MATCHING_KEY'))
  const symmetric = createLocalJwks([secret])
  assert.ok(await verifyJwt(await signJwt({}, secret, { alg: 'HS256', kid: 'h' }), symmetric))
  assert.throws(() => createLocalJwks('{"keys": 1}'), (e) => isJwkitError(e))
})

test('alg on a key limits it to that algorithm', async () => {
  const set = createLocalJwks([pub(rsa, { kid: 'r', alg: 'RS256' })])
  assert.equal(set.getKeys({ alg: 'PS256', kid: 'r' }).length, 0)
  await assert.rejects(verifyJwt(await signJwt({}, rsa, { alg: 'PS256', kid: 'r' }), set), code('ERR_JWKS_NO_MATCHING_KEY'))
  assert.ok(await verifyJwt(await signJwt({}, rsa, { alg: 'RS256', kid: 'r' }), set))
})

test('AKP (ML-DSA) and Ed448 keys are selected by their algorithms', async () => {
  const { generateMlDsaJwk } = await import('../../src/crypto/ml-dsa.ts')
  const ml = { ...generateMlDsaJwk('ML-DSA-65'), kid: 'ml' } as Jwk
  const ed448 = { ...exportJwk(generateKeyPairSync('ed448').privateKey), kid: 'e448' }
  const set = createLocalJwks([ml, ed448, pub(ed, { kid: 'e25519' })])
  assert.deepEqual(set.jwks().keys.map((k) => k.kid), ['ml', 'e448', 'e25519'])
  assert.equal((set.jwks().keys[0] as { priv?: string }).priv, undefined)
  assert.equal((await verifyJwt(await signJwt({ s: 1 }, ml, { alg: 'ML-DSA-65' }), set)).key.kid, 'ml')
  assert.equal((await verifyJwt(await signJwt({ s: 1 }, ed448, { alg: 'Ed448' }), set)).key.kid, 'e448')
  assert.equal((await verifyJwt(await signJwt({ s: 1 }, ed448, { alg: 'EdDSA' }), set)).key.kid, 'e448')
  assert.equal(set.getKeys({ alg: 'EdDSA' }).length, 2)
  assert.equal(set.getKeys({ alg: 'ML-DSA-44' }).length, 0)
})

test('issue 10: a kid shared by keys of different kty or alg selects by the token alg (RFC 7517 §4.5, WSO2)', async () => {
  const set = createLocalJwks([pub(ec1, { kid: 'k' }), pub(rsa, { kid: 'k' }), pub(rsa, { kid: 'w', alg: 'RS256' }), pub(rsa, { kid: 'w', alg: 'PS256' })])
  assert.equal((await verifyJwt(await signJwt({}, ec1, { alg: 'ES256', kid: 'k' }), set)).key.kty, 'EC')
  assert.equal((await verifyJwt(await signJwt({}, rsa, { alg: 'RS256', kid: 'k' }), set)).key.kty, 'RSA')
  // One key published once per algorithm under one kid (WSO2): each entry serves its own alg.
  assert.equal((await verifyJwt(await signJwt({}, rsa, { alg: 'PS256', kid: 'w' }), set)).key.alg, 'PS256')
  assert.equal((await verifyJwt(await signJwt({}, rsa, { alg: 'RS256', kid: 'w' }), set)).key.alg, 'RS256')
  // The same key listed twice under one kid is one key, not an ambiguity.
  const twice = createLocalJwks([pub(ec1, { kid: 'same' }), pub(ec1, { kid: 'same' })])
  assert.ok(await verifyJwt(await signJwt({}, ec1, { alg: 'ES256', kid: 'same' }), twice))
})

test('issue 10: a token whose kid names a skipped key hears that it was skipped and by which rule', async () => {
  const weak = exportJwk(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)
  const set = createLocalJwks([pub(weak, { kid: 'old' }), pub(ec1, { kid: 'enc', use: 'enc' }), { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB' } as Jwk, pub(ec2, { kid: 'good' })])
  assert.deepEqual(set.jwks().keys.map((k) => k.kid), ['good'])
  const reasons = set.skipped().map((p) => [p.path, p.code])
  assert.deepEqual(reasons, [['/keys/2', 'ERR_JWK_INVALID'], ['/keys/0', 'ERR_JWK_WEAK_KEY'], ['/keys/1', 'ERR_KEY_USAGE_FORBIDDEN']])
  const refused = async (token: string, pattern: RegExp) => {
    await assert.rejects(verifyJwt(token, set), (e: unknown) => {
      assert.ok(isJwkitError(e))
      assert.equal(e.code, 'ERR_JWKS_NO_MATCHING_KEY')
      assert.match(e.message, pattern)
      // Member and rule, never key material.
      for (const k of [weak, ec1]) for (const m of ['n', 'x', 'y', 'd']) if (typeof k[m as 'n'] === 'string') assert.ok(!e.message.includes(String(k[m as 'n']).slice(0, 16)))
      return true
    })
  }
  // signJwt refuses a 1024-bit key: sign with node:crypto directly.
  const seg = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${seg({ alg: 'RS256', kid: 'old' })}.${seg({})}`
  const weakToken = `${input}.${cryptoSign('sha256', Buffer.from(input), createPrivateKey({ key: weak as JsonWebKey, format: 'jwk' })).toString('base64url')}`
  await refused(weakToken, /key "old" was in the set but skipped: .*1024-bit modulus is under 2048/)
  await refused(await signJwt({}, ec1, { alg: 'ES256', kid: 'enc' }), /key "enc" was in the set but skipped: member use is "enc"/)
  await refused(await signJwt({}, ec1, { alg: 'ES256', kid: 'broken' }), /key "broken" was in the set but skipped: RSA key: member n/)
  // A kid the set never had: the plain message.
  await assert.rejects(verifyJwt(await signJwt({}, ec2, { alg: 'ES256', kid: 'nope' }), set), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWKS_NO_MATCHING_KEY' && !/skipped/.test(e.message))
  assert.ok(await verifyJwt(await signJwt({}, ec2, { alg: 'ES256', kid: 'good' }), set))
})

test('issue 10: non-canonical keys are normalised and used; strict skips them', async () => {
  const n = Buffer.from(String(rsa.n), 'base64url')
  // PayPal / Battle.net shapes: a sign octet on n, standard alphabet with padding.
  const battle = { ...pub(rsa, { kid: 'b' }), n: Buffer.concat([Buffer.alloc(1), n]).toString('base64') }
  const set = createLocalJwks([battle])
  assert.equal(set.jwks().keys[0]!.n, rsa.n, 'the key kept is canonical')
  assert.equal(set.normalized().length, 1)
  assert.equal(set.normalized()[0]!.path, '/keys/0/n')
  const token = await signJwt({}, rsa, { alg: 'RS256', kid: 'b' })
  assert.ok(await verifyJwt(token, set))
  // strict on the verifier refuses a key the source normalised; strict on the source skips it.
  await assert.rejects(verifyJwt(token, set, { strict: true }), code('ERR_JWK_INVALID'))
  const strictSet = createLocalJwks([battle], { strict: true })
  assert.equal(strictSet.jwks().keys.length, 0)
  await assert.rejects(verifyJwt(token, strictSet), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWKS_NO_MATCHING_KEY' && /skipped: RSA key: member n is not canonical/.test(e.message))
  // A JWK given directly: normalised by default, refused under strict.
  assert.ok(await verifyJwt(token, battle))
  await assert.rejects(verifyJwt(token, battle, { strict: true }), code('ERR_JWK_INVALID'))
})
