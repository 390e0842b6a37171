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
