// verifyIdToken (OpenID Connect Core §3.1.3.7, §3.2.2.9, §3.3.2.11): each rule refused with its
// claim, the hashes by algorithm.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyIdToken } from '../../src/guard/id-token.ts'

const OP = 'https://op.example'
const CLIENT = 'rp-1'
const half = (hash: string, value: string, bytes?: number) => {
  const d = createHash(hash, bytes === undefined ? undefined : { outputLength: bytes }).update(value).digest()
  return d.subarray(0, d.length / 2).toString('base64url')
}

const now = () => Math.floor(Date.now() / 1000)

test('OIDC Core §3.1.3.7: a good ID token passes; every rule is refused with the claim at fault', async () => {
  const key = await generateJwk('RS256', { kid: 'op' })
  const keys = createLocalJwks({ keys: [toPublicJwk(key)] })
  const sign = (claims: Record<string, unknown>, o: { typ?: string; aud?: string | string[] } = {}) => signJwt({ sub: 'alice', nonce: 'n-1', auth_time: now() - 60, ...claims }, key, { kid: 'op', issuer: OP, audience: o.aud ?? CLIENT, expiresIn: 300, ...(o.typ ? { typ: o.typ } : {}) })
  const options = { issuer: OP, audience: CLIENT, nonce: 'n-1', maxAge: 300 }
  const ok = await verifyIdToken(await sign({}), keys, options)
  assert.equal(ok.claims.sub, 'alice')
  const claim = (c: string) => ({ code: 'ERR_JWT_CLAIM_INVALID', path: '/' + c })
  await assert.rejects(verifyIdToken(await sign({ nonce: 'n-2' }), keys, options), claim('nonce'))
  await assert.rejects(verifyIdToken(await sign({ nonce: undefined }), keys, options), claim('nonce'))
  await assert.rejects(verifyIdToken(await sign({ auth_time: undefined }), keys, options), claim('auth_time'))
  await assert.rejects(verifyIdToken(await sign({ auth_time: now() - 3600 }), keys, options), claim('auth_time'))
  await verifyIdToken(await sign({ auth_time: now() - 3600 }), keys, { ...options, maxAge: '2h' })
  // Several audiences need azp, which must be this client.
  await assert.rejects(verifyIdToken(await sign({}, { aud: [CLIENT, 'other'] }), keys, options), claim('azp'))
  await verifyIdToken(await sign({ azp: CLIENT }, { aud: [CLIENT, 'other'] }), keys, options)
  await assert.rejects(verifyIdToken(await sign({ azp: 'other' }, { aud: [CLIENT, 'other'] }), keys, options), claim('azp'))
  await assert.rejects(verifyIdToken(await sign({ azp: 'other' }), keys, options), claim('azp'))
  await assert.rejects(verifyIdToken(await sign({}, { aud: 'another-client' }), keys, options), claim('aud'))
  await assert.rejects(verifyIdToken(await sign({}), keys, { ...options, issuer: 'https://evil.example' }), claim('iss'))
  // RFC 8725 §3.11: an access token is not an ID token.
  await assert.rejects(verifyIdToken(await sign({}, { typ: 'at+jwt' }), keys, options), claim('typ'))
  await assert.rejects(verifyIdToken(await signJwt({ sub: 'alice', nonce: 'n-1', auth_time: now() }, key, { kid: 'op', issuer: OP, audience: CLIENT }), keys, options), { code: 'ERR_JWT_CLAIM_INVALID', path: '/exp' })
  await assert.rejects(verifyIdToken(await sign({}), keys, { ...options, algorithms: ['ES256'] }), { code: 'ERR_ALG_NOT_ALLOWED' })
  await assert.rejects(verifyIdToken(await sign({ sub: '' }), keys, options), claim('sub'))
})

test('OIDC Core §3.3.2.11: at_hash and c_hash are the left half of the alg\'s hash', async () => {
  const cases = [['ES256', 'sha256'], ['ES384', 'sha384'], ['PS512', 'sha512'], ['EdDSA', 'sha512'], ['RS256', 'sha256']] as const
  for (const [alg, hash] of cases) {
    const key = await generateJwk(alg, { kid: alg })
    const keys = createLocalJwks({ keys: [toPublicJwk(key)] })
    const at = 'access-token-value-' + alg
    const code = 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk'
    const token = await signJwt({ sub: 'alice', at_hash: half(hash, at), c_hash: half(hash, code) }, key, { alg, kid: alg, issuer: OP, audience: CLIENT, expiresIn: 60 })
    await verifyIdToken(token, keys, { issuer: OP, audience: CLIENT, accessToken: at, code })
    await assert.rejects(verifyIdToken(token, keys, { issuer: OP, audience: CLIENT, accessToken: at + 'x' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/at_hash' })
    await assert.rejects(verifyIdToken(token, keys, { issuer: OP, audience: CLIENT, code: code + 'x' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/c_hash' })
  }
  // A hash asked for but absent.
  const key = await generateJwk('ES256', { kid: 'k' })
  const t = await signJwt({ sub: 'alice' }, key, { kid: 'k', issuer: OP, audience: CLIENT, expiresIn: 60 })
  await assert.rejects(verifyIdToken(t, createLocalJwks({ keys: [toPublicJwk(key)] }), { issuer: OP, audience: CLIENT, accessToken: 'x' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/at_hash' })
})
