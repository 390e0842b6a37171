import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
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

test('accepts an array and JSON text; refuses duplicate kids; oct keys only in all-symmetric sets', async () => {
  const arr = createLocalJwks([pub(ec1, { kid: 'a' })])
  assert.equal(arr.jwks().keys.length, 1)
  const text = createLocalJwks(JSON.stringify({ keys: [pub(ec1, { kid: 'a' })] }))
  assert.equal(text.jwks().keys.length, 1)
  assert.throws(() => createLocalJwks([pub(ec1, { kid: 'a' }), pub(ec2, { kid: 'a' })]), code('ERR_JWKS_DUPLICATE_KID'))
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
