import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import * as jose from 'jose'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { signJws } from '../../src/jws/sign.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { pairFor } from './signing-pairs.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const hmacJwk: Jwk = { kty: 'oct', k: randomBytes(64).toString('base64url') }
const JOSE_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']

function keysFor(alg: string): { priv: Jwk; pub: Jwk } {
  if (alg.startsWith('HS')) return { priv: hmacJwk, pub: hmacJwk }
  const p = pairFor(alg)
  const priv = exportJwk(p.privateKey)
  return { priv, pub: toPublicJwk(priv) }
}

test('jose signs (SignJWT), jwkit verifies — every algorithm jose 6 supports', async () => {
  for (const alg of JOSE_ALGS) {
    const { priv, pub } = keysFor(alg)
    const joseKey = await jose.importJWK(priv as jose.JWK, alg)
    const token = await new jose.SignJWT({ sub: alg, n: 1 }).setProtectedHeader({ alg, kid: 'k' }).setIssuedAt().setExpirationTime('5m').setIssuer('i').setAudience('a').sign(joseKey)
    const r = await verifyJwt(token, pub, { algorithms: [alg], issuer: 'i', audience: 'a' })
    assert.equal(r.claims.sub, alg)
  }
})

test('jwkit signs, jose verifies (jwtVerify, compactVerify, flattenedVerify, generalVerify)', async () => {
  for (const alg of JOSE_ALGS) {
    const { priv, pub } = keysFor(alg)
    const token = await signJwt({ sub: alg }, priv, { alg, expiresIn: '5m', issuer: 'i', audience: 'a' })
    const joseKey = await jose.importJWK(pub as jose.JWK, alg)
    const r = await jose.jwtVerify(token, joseKey, { algorithms: [alg], issuer: 'i', audience: 'a' })
    assert.equal(r.payload.sub, alg)
    const flat = await signJws('data', priv, { alg, serialization: 'flattened', header: { x: 1 } })
    assert.equal(new TextDecoder().decode((await jose.flattenedVerify(flat as jose.FlattenedJWSInput, joseKey)).payload), 'data')
    const general = await signJws('data', priv, { alg, serialization: 'general' })
    assert.equal(new TextDecoder().decode((await jose.generalVerify(general as jose.GeneralJWSInput, joseKey)).payload), 'data')
  }
})

test('jose JSON serializations and b64:false verify with jwkit', async () => {
  const { priv, pub } = keysFor('ES256')
  const key = await jose.importJWK(priv as jose.JWK, 'ES256')
  const hkey = await jose.importJWK(hmacJwk as jose.JWK, 'HS256')
  const general = await new jose.GeneralSign(new TextEncoder().encode('multi'))
    .addSignature(hkey).setProtectedHeader({ alg: 'HS256' })
    .addSignature(key).setProtectedHeader({ alg: 'ES256' }).setUnprotectedHeader({ kid: 'e' })
    .sign()
  assert.equal((await verifyJws(general as never, pub)).signatureIndex, 1)
  assert.equal((await verifyJws(general as never, hmacJwk)).signatureIndex, 0)
  const unencoded = await new jose.FlattenedSign(new TextEncoder().encode('$.02')).setProtectedHeader({ alg: 'HS256', b64: false, crit: ['b64'] }).sign(hkey)
  // jose 6 leaves an unencoded payload out of the output (payload ""): it is detached content.
  assert.equal(Buffer.from((await verifyJws(unencoded as never, hmacJwk, { detachedPayload: '$.02' })).payload).toString(), '$.02')
  const ours = await signJws('$.02', hmacJwk, { alg: 'HS256', b64: false, serialization: 'flattened' })
  assert.equal(new TextDecoder().decode((await jose.flattenedVerify(ours as jose.FlattenedJWSInput, hkey)).payload), '$.02')
})

test('ES256K and Ed448 (dropped by jose 6) both ways against node:crypto directly', async () => {
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
  const ed448 = generateKeyPairSync('ed448')
  for (const [alg, pair] of [['ES256K', k1], ['Ed448', ed448], ['EdDSA', ed448]] as const) {
    const input = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.${Buffer.from('{"sub":"n"}').toString('base64url')}`
    const sig = alg === 'ES256K'
      ? nodeSign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
      : nodeSign(null, Buffer.from(input), pair.privateKey)
    const r = await verifyJwt(`${input}.${sig.toString('base64url')}`, exportJwk(pair.publicKey))
    assert.equal(r.claims.sub, 'n')
    const ours = await signJwt({ sub: 'o' }, exportJwk(pair.privateKey), { alg })
    const [h, p, s] = ours.split('.')
    const ok = alg === 'ES256K'
      ? nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'))
      : nodeVerify(null, Buffer.from(`${h}.${p}`), pair.publicKey, Buffer.from(s!, 'base64url'))
    assert.equal(ok, true, alg)
  }
  // HS256 against node:crypto too (the floor the bench compares with).
  const input = 'eyJhbGciOiJIUzI1NiJ9.e30'
  const mac = createHmac('sha256', Buffer.from(hmacJwk.k as string, 'base64url')).update(input).digest('base64url')
  assert.ok(await verifyJwt(`${input}.${mac}`, hmacJwk))
})
