import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, type KeyObject } from 'node:crypto'
import jsonwebtoken from 'jsonwebtoken'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { pairFor } from './signing-pairs.ts'
import { isJwkitError } from '../../src/errors.ts'

const secret = randomBytes(64)
const ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const

function pem(alg: string): { priv: string | Buffer; pub: string | Buffer; pubKey: KeyObject | Buffer } {
  if (alg.startsWith('HS')) return { priv: secret, pub: secret, pubKey: secret }
  const p = pairFor(alg)
  return {
    priv: p.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    pub: p.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    pubKey: p.publicKey,
  }
}
const jwkitKey = (alg: string, which: 'priv' | 'pub') => {
  if (alg.startsWith('HS')) return { kty: 'oct' as const, k: secret.toString('base64url') }
  const p = pairFor(alg)
  return exportJwk(which === 'priv' ? p.privateKey : p.publicKey)
}

test('jsonwebtoken signs, jwkit verifies (JWK, PEM text, KeyObject) — every algorithm it supports', async () => {
  for (const alg of ALGS) {
    const k = pem(alg)
    const token = jsonwebtoken.sign({ sub: alg }, k.priv, { algorithm: alg, expiresIn: '5m', issuer: 'i', audience: ['a', 'b'], keyid: 'k1' })
    assert.equal((await verifyJwt(token, jwkitKey(alg, 'pub'), { issuer: 'i', audience: 'b' })).claims.sub, alg)
    if (!alg.startsWith('HS')) {
      assert.equal((await verifyJwt(token, k.pub as string)).claims.sub, alg)
      assert.equal((await verifyJwt(token, k.pubKey as KeyObject)).claims.sub, alg)
    }
  }
})

test('jwkit signs, jsonwebtoken verifies', async () => {
  for (const alg of ALGS) {
    const token = await signJwt({ sub: alg }, jwkitKey(alg, 'priv'), { alg, expiresIn: '5m', audience: 'a' })
    const payload = jsonwebtoken.verify(token, pem(alg).pub, { algorithms: [alg], audience: 'a' }) as { sub: string }
    assert.equal(payload.sub, alg)
  }
})

test('the classic jsonwebtoken confusion token (HS256 keyed with the RSA PEM) is refused by jwkit', async () => {
  const pubPem = pem('RS256').pub as string
  const forged = jsonwebtoken.sign({ sub: 'admin' }, Buffer.from(pubPem), { algorithm: 'HS256' })
  for (const key of [pubPem, pairFor('RS256').publicKey, jwkitKey('RS256', 'pub')]) {
    await assert.rejects(verifyJwt(forged, key as never), (e) => isJwkitError(e) && e.code === 'ERR_ALG_NOT_ALLOWED')
  }
  // jsonwebtoken's own "none" token.
  const unsigned = jsonwebtoken.sign({ sub: 'admin' }, null as never, { algorithm: 'none' })
  await assert.rejects(verifyJwt(unsigned, pubPem), (e) => isJwkitError(e) && e.code === 'ERR_ALG_NONE')
})
