// Prepared keys are cached per JWK object only while the object is unchanged: a JWK changed
// after first use (key_ops, use, alg, its coordinates) is prepared and checked again, never used
// with the key or the checks it had before. Key sets keep their own frozen copies.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { signJws } from '../../src/jws/sign.ts'
import { encryptJwe } from '../../src/jwe/encrypt.ts'
import { decryptJwe } from '../../src/jwe/decrypt.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'

const a = await generateJwk('ES256')
const b = await generateJwk('ES256')
const tokenA = await signJwt({ sub: 'a' }, a)
const tokenB = await signJwt({ sub: 'b' }, b)

test('verify: a key_ops, use or alg change after first use is enforced on the next call', async () => {
  const key = toPublicJwk(a) as Jwk & { key_ops?: string[] }
  await verifyJwt(tokenA, key) // prepared and cached
  key.key_ops = ['sign']
  await assert.rejects(verifyJwt(tokenA, key), { code: 'ERR_KEY_USAGE_FORBIDDEN' })
  key.key_ops = ['verify']
  await verifyJwt(tokenA, key)
  key.key_ops.push('sign')
  key.key_ops.splice(0, 1) // changed in place: ['sign']
  await assert.rejects(verifyJwt(tokenA, key), { code: 'ERR_KEY_USAGE_FORBIDDEN' })
  delete key.key_ops
  delete key.alg
  await verifyJwt(tokenA, key)
  key.use = 'enc'
  await assert.rejects(verifyJwt(tokenA, key), { code: 'ERR_KEY_USAGE_FORBIDDEN' })
  delete key.use
  await verifyJwt(tokenA, key)
  key.alg = 'ES384' // P-256 with ES384: the changed key itself is refused
  await assert.rejects(verifyJwt(tokenA, key), { code: 'ERR_JWK_INVALID' })
})

test('verify: new coordinates in the same object are a new key (the old one no longer verifies)', async () => {
  const key = { ...toPublicJwk(a) } as Record<string, unknown>
  await verifyJwt(tokenA, key as Jwk)
  Object.assign(key, toPublicJwk(b))
  await assert.rejects(verifyJwt(tokenA, key as Jwk), { code: 'ERR_JWS_SIGNATURE_INVALID' })
  assert.equal((await verifyJwt(tokenB, key as Jwk)).claims.sub, 'b')
  key.x = 'not base64url!'
  await assert.rejects(verifyJwt(tokenB, key as Jwk), { code: 'ERR_JWK_INVALID' })
})

test('sign and JWE: a key_ops change after first use is enforced', async () => {
  const priv = { ...a } as Jwk & { key_ops?: string[] }
  await signJws('x', priv, { alg: 'ES256' })
  priv.key_ops = ['verify']
  await assert.rejects(signJws('x', priv, { alg: 'ES256' }), { code: 'ERR_KEY_USAGE_FORBIDDEN' })
  const kw = { ...(await generateJwk('A128KW')) } as Jwk & { key_ops?: string[] }
  const jwe = await encryptJwe('secret', kw, { alg: 'A128KW', enc: 'A128GCM' })
  await decryptJwe(jwe, kw)
  kw.key_ops = ['wrapKey']
  await assert.rejects(decryptJwe(jwe, kw), { code: 'ERR_KEY_USAGE_FORBIDDEN' })
})

test('createLocalJwks keeps its own frozen copies: changing the input or what jwks() returns changes nothing', async () => {
  const key = toPublicJwk(a) as Jwk & { key_ops?: string[] }
  key.key_ops = ['verify']
  const set = createLocalJwks({ keys: [key] })
  await verifyJwt(tokenA, set)
  key.key_ops[0] = 'sign'
  key.x = toPublicJwk(b).x!
  await verifyJwt(tokenA, set)
  const out = set.jwks().keys[0] as Jwk & { key_ops: string[] }
  out.key_ops[0] = 'sign'
  out.x = key.x
  await verifyJwt(tokenA, set)
  assert.deepEqual(set.jwks().keys[0]!.key_ops, ['verify'])
})

// A key that has verified REUSE_AFTER tokens is re-imported once in the backend's form for reuse
// (Node: an RSA public key decoded from SPKI, which verifies ~1.8 % faster than one imported from
// a JWK): the same key, for the caller's JWK and for a key set's own keys alike.
test('reuse: after REUSE_AFTER verifications an RSA key is swapped, once, for the same key in SPKI form; EC keys stay', async () => {
  const { REUSE_AFTER, prepareKey } = await import('../../src/jws/key-usage.ts')
  const { resolveCandidates } = await import('../../src/jws/verify-core.ts')
  const { keyForReuse } = await import('../../src/backend/node.ts')
  const web = await import('../../src/backend/web.ts')
  const rsa = await generateJwk('RS256', { kid: 'r' })
  const pub = toPublicJwk(rsa)
  const token = await signJwt({ sub: 'r' }, rsa)
  const forged = token.slice(0, -6) + (token.endsWith('AAAAAA') ? 'BAAAAA' : 'AAAAAA')
  const first = prepareKey(pub, 'verify')
  const original = first.handle as import('node:crypto').KeyObject
  for (let i = 0; i < REUSE_AFTER + 3; i++) await verifyJwt(token, pub)
  const known = prepareKey(pub, 'verify')
  assert.equal(known, first, 'the same prepared key')
  assert.equal(known.uses, REUSE_AFTER)
  assert.notEqual(known.handle, original, 'swapped')
  assert.equal(known.source, original)
  assert.ok((known.handle as typeof original).equals(original), 'the same key')
  assert.equal((await verifyJwt(token, pub)).claims.sub, 'r')
  await assert.rejects(verifyJwt(forged, pub), { code: 'ERR_JWS_SIGNATURE_INVALID' })

  // A set's key: prepared from the set's handle, and found again after the swap (not re-prepared).
  const set = createLocalJwks({ keys: [pub] })
  for (let i = 0; i < REUSE_AFTER + 3; i++) await verifyJwt(token, set)
  const [candidate] = resolveCandidates(set, { alg: 'RS256', kid: 'r' }) as readonly (typeof known)[]
  assert.equal(candidate!.uses, REUSE_AFTER, 'counted on one prepared key')
  assert.notEqual(candidate!.handle, candidate!.source)
  await assert.rejects(verifyJwt(forged, set), { code: 'ERR_JWS_SIGNATURE_INVALID' })

  // Other keys are kept as they are; the web backend has one form of each key.
  const ecPub = toPublicJwk(a)
  const ecFirst = prepareKey(ecPub, 'verify').handle
  for (let i = 0; i < REUSE_AFTER + 1; i++) await verifyJwt(tokenA, ecPub)
  assert.equal(prepareKey(ecPub, 'verify').handle, ecFirst)
  assert.equal(keyForReuse(ecFirst as never), ecFirst)
  const webKey = web.importJwkMembers(pub, 'public')
  assert.equal(web.keyForReuse(webKey), webKey)
})
