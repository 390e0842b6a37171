import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateJwk } from '../../src/crypto/generate.ts'
import { importJwk, importKeyHandle } from '../../src/crypto/import.ts'
import { isMlDsaKey } from '../../src/crypto/key-handle.ts'
import { isJwkitError } from '../../src/errors.ts'
import { rsaModulusBits } from '../../src/jwk/algorithms.ts'
import { parseJwk } from '../../src/jwk/parse.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk, KeySpec } from '../../src/jwk/types.ts'

const code = (c: string) => (e: unknown) => {
  assert.ok(isJwkitError(e), `expected a JwkitError, got ${String(e)}`)
  assert.equal((e as { code: string }).code, c)
  return true
}
const bytes = (b64u: unknown) => Buffer.from(String(b64u), 'base64url').length
const m = (jwk: Jwk) => jwk as unknown as Record<string, unknown>

/** alg → [kty, crv or size (bytes for oct, bits for RSA), use]. RSA kept to three keys: they are slow. */
const ALGS: Array<[string, string, string | number, 'sig' | 'enc']> = [
  ['RS256', 'RSA', 2048, 'sig'],
  ['PS512', 'RSA', 2048, 'sig'],
  ['RSA-OAEP-256', 'RSA', 2048, 'enc'],
  ['ES256', 'EC', 'P-256', 'sig'],
  ['ES384', 'EC', 'P-384', 'sig'],
  ['ES512', 'EC', 'P-521', 'sig'],
  ['ES256K', 'EC', 'secp256k1', 'sig'],
  ['EdDSA', 'OKP', 'Ed25519', 'sig'],
  ['Ed25519', 'OKP', 'Ed25519', 'sig'],
  ['Ed448', 'OKP', 'Ed448', 'sig'],
  ['HS256', 'oct', 32, 'sig'],
  ['HS384', 'oct', 48, 'sig'],
  ['HS512', 'oct', 64, 'sig'],
  ['A128KW', 'oct', 16, 'enc'],
  ['A192KW', 'oct', 24, 'enc'],
  ['A256KW', 'oct', 32, 'enc'],
  ['A128GCM', 'oct', 16, 'enc'],
  ['A192GCM', 'oct', 24, 'enc'],
  ['A256GCM', 'oct', 32, 'enc'],
  ['A128GCMKW', 'oct', 16, 'enc'],
  ['A256GCMKW', 'oct', 32, 'enc'],
  ['A128CBC-HS256', 'oct', 32, 'enc'],
  ['A192CBC-HS384', 'oct', 48, 'enc'],
  ['A256CBC-HS512', 'oct', 64, 'enc'],
  ['ECDH-ES', 'EC', 'P-256', 'enc'],
  ['ECDH-ES+A256KW', 'EC', 'P-256', 'enc'],
  ['ML-DSA-44', 'AKP', 1312, 'sig'],
  ['ML-DSA-65', 'AKP', 1952, 'sig'],
  ['ML-DSA-87', 'AKP', 2592, 'sig'],
]

for (const [alg, kty, shape, use] of ALGS) {
  test(`generateJwk('${alg}'): a ${kty} key sized for it, carrying alg and use, that passes parseJwk`, async () => {
    const jwk = await generateJwk(alg)
    assert.equal(jwk.kty, kty)
    assert.equal(jwk.alg, alg)
    assert.equal(jwk.use, use)
    assert.deepEqual(parseJwk(jwk), jwk)
    if (kty === 'RSA') assert.equal(rsaModulusBits(m(jwk).n), shape)
    if (kty === 'EC' || kty === 'OKP') assert.equal(m(jwk).crv, shape)
    if (kty === 'oct') assert.equal(bytes(m(jwk).k), shape)
    if (kty === 'AKP') {
      assert.equal(bytes(m(jwk).pub), shape)
      assert.equal(bytes(m(jwk).priv), 32) // the seed (draft-ietf-cose-dilithium)
      assert.ok(isMlDsaKey(importKeyHandle(jwk)))
    } else {
      const key = importJwk(jwk)
      assert.equal(key.type, kty === 'oct' ? 'secret' : 'private')
    }
    // Two calls never give the same key.
    if (kty !== 'RSA') assert.notDeepEqual(await generateJwk(alg), jwk)
  })
}

test('generateJwk ECDH-ES with another curve: X25519, X448, P-384', async () => {
  for (const crv of ['X25519', 'X448', 'P-384'] as const) {
    const jwk = await generateJwk('ECDH-ES', { crv })
    assert.equal(m(jwk).crv, crv)
    assert.equal(jwk.kty, crv.startsWith('X') ? 'OKP' : 'EC')
  }
  await assert.rejects(generateJwk('ECDH-ES', { crv: 'secp256k1' }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('ECDH-ES', { crv: 'Ed25519' }), code('ERR_KEY_GENERATION_FAILED'))
})

test('generateJwk { kty, crv, size } specs: every curve, oct sizes, AKP, no alg or use', async () => {
  const specs: Array<[KeySpec, string, unknown]> = [
    [{ kty: 'EC' }, 'crv', 'P-256'],
    [{ kty: 'EC', crv: 'P-521' }, 'crv', 'P-521'],
    [{ kty: 'EC', crv: 'secp256k1' }, 'crv', 'secp256k1'],
    [{ kty: 'OKP' }, 'crv', 'Ed25519'],
    [{ kty: 'OKP', crv: 'Ed448' }, 'crv', 'Ed448'],
    [{ kty: 'OKP', crv: 'X25519' }, 'crv', 'X25519'],
    [{ kty: 'OKP', crv: 'X448' }, 'crv', 'X448'],
    [{ kty: 'AKP', alg: 'ML-DSA-87' }, 'alg', 'ML-DSA-87'],
  ]
  for (const [spec, member, value] of specs) {
    const jwk = await generateJwk(spec)
    assert.equal(jwk.kty, spec.kty)
    assert.equal(m(jwk)[member], value)
    assert.equal(jwk.use, undefined)
    if (spec.kty !== 'AKP') assert.equal(jwk.alg, undefined)
  }
  assert.equal(bytes(m(await generateJwk({ kty: 'oct' })).k), 32)
  assert.equal(bytes(m(await generateJwk({ kty: 'oct', size: 512 })).k), 64)
  const sized = await generateJwk({ kty: 'oct' }, { alg: 'HS384' })
  assert.equal(bytes(m(sized).k), 48)
  assert.equal(sized.alg, 'HS384')
  const rsa = await generateJwk({ kty: 'RSA', size: 2056 })
  assert.equal(rsaModulusBits(m(rsa).n), 2056)
  assert.equal(m(rsa).e, 'AQAB')
})

test('generateJwk options: kid, kid thumbprint (RFC 7638), use, key_ops', async () => {
  const named = await generateJwk('ES256', { kid: 'k-1' })
  assert.equal(named.kid, 'k-1')
  const tp = await generateJwk('EdDSA', { kid: 'thumbprint' })
  assert.equal(tp.kid, thumbprint(tp))
  assert.deepEqual(Object.keys(tp).slice(0, 2), ['kty', 'kid'])
  const ops = await generateJwk('ES384', { key_ops: ['sign'] })
  assert.deepEqual(ops.key_ops, ['sign'])
  assert.equal(ops.use, undefined) // RFC 7517 §4.3: use and key_ops SHOULD NOT both be used
  const enc = await generateJwk({ kty: 'EC' }, { use: 'enc' })
  assert.equal(enc.use, 'enc')
  // Contradictions are refused by our own rules.
  await assert.rejects(generateJwk('ES256', { use: 'enc' }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('ES256', { key_ops: ['encrypt'] }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('ES256', { alg: 'ES384' }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk({ kty: 'EC', crv: 'P-256' }, { alg: 'ES384' }), code('ERR_KEY_GENERATION_FAILED'))
})

test('generateJwk refusals are ERR_KEY_GENERATION_FAILED: weak RSA, unknown algs, wrong curves, odd sizes', async () => {
  const refused: Array<string | KeySpec> = [
    { kty: 'RSA', size: 1024 },
    { kty: 'RSA', size: 2047 },
    { kty: 'RSA', size: 32768 },
    'none', 'ES224', 'es256', 'RSA1_5', 'dir', 'PBES2-HS256+A128KW', '',
    { kty: 'EC', crv: 'Ed25519' },
    { kty: 'EC', crv: 'P-192' as 'P-256' },
    { kty: 'OKP', crv: 'P-256' },
    { kty: 'oct', size: 100 },
    { kty: 'oct', size: 64 },
    { kty: 'AKP', alg: 'ML-DSA-99' },
    { kty: 'XYZ' as 'EC' },
    { kty: 'RSA', crv: 'P-256' },
    { kty: 'oct', crv: 'X25519' },
    { kty: 'EC', size: 256 },
    { kty: 'AKP', size: 256 },
  ]
  for (const spec of refused) await assert.rejects(generateJwk(spec), code('ERR_KEY_GENERATION_FAILED'), JSON.stringify(spec))
  await assert.rejects(generateJwk('RS256', { size: 1024 }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('ES256', { crv: 'P-384' }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('EdDSA', { crv: 'X25519' }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('HS256', { size: 128 }), code('ERR_KEY_GENERATION_FAILED'))
  await assert.rejects(generateJwk('ES256', { size: 256 }), code('ERR_KEY_GENERATION_FAILED'))
  assert.equal((await generateJwk('HS256', { size: 256 })).kty, 'oct')
  assert.equal(m(await generateJwk('ES384', { crv: 'P-384' })).crv, 'P-384')
  for (const bad of [undefined, null, 42, {}]) await assert.rejects(generateJwk(bad as unknown as string), TypeError)
})

test('generateJwk runs RSA generation off the event loop', async () => {
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  await generateJwk({ kty: 'RSA' })
  clearInterval(timer)
  assert.ok(ticks > 0, 'the event loop turned while the key was generated')
})
