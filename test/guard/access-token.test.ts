// verifyAccessToken: every refusal with its status, WWW-Authenticate value and code (RFC 6750 §3,
// RFC 9449 §4.3, §7), the RFC 9068 profile, scopes, DPoP with jwkit proofs, and what the
// descriptions never carry.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyAccessToken, type VerifyAccessTokenOptions } from '../../src/guard/access-token.ts'
import { createDpopProof } from '../../src/guard/create-proof.ts'
import { createMemoryReplayCache } from '../../src/guard/replay-cache.ts'
import { AUDIENCE, ISSUER, accessToken, clientJkt, clientKey, issuerKey, keys, refused } from './helpers.ts'

const URL_ = 'https://api.example/things/1'
const bearerOptions: VerifyAccessTokenOptions = { keys, issuer: ISSUER, audience: AUDIENCE, profile: 'rfc9068' }
const get = (headers: Record<string, string>, url = URL_) => ({ method: 'GET', url, headers })
const ALGS = 'ES256 ES384 ES512 PS256 PS384 PS512 EdDSA Ed25519'

test('Bearer: a good RFC 9068 token passes and resolves claims, token and scheme', async () => {
  const token = await accessToken()
  const r = await verifyAccessToken(get({ authorization: `Bearer ${token}` }), bearerOptions)
  assert.equal(r.scheme, 'Bearer')
  assert.equal(r.token, token)
  assert.equal(r.claims.client_id, 'client-1')
  assert.equal(r.jkt, undefined)
  // RFC 9110 §11.1: the scheme is case-insensitive; RFC 7515 §4.1.9: application/at+jwt is the same typ.
  await verifyAccessToken(get({ authorization: `bEaReR ${token}` }), bearerOptions)
  await verifyAccessToken(get({ authorization: `Bearer ${await accessToken({}, { typ: 'application/at+jwt' })}` }), bearerOptions)
})

test('RFC 6750 §3.1: no credentials (none, another scheme, DPoP where only Bearer is accepted) → 401 without an error code', async () => {
  for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: `DPoP ${await accessToken()}` }] as Array<Record<string, string>>) {
    await refused(verifyAccessToken(get(headers), bearerOptions), { status: 401, code: 'ERR_AUTH_MISSING', www: 'Bearer', error: undefined as never })
  }
})

test('RFC 6750 §3.1 invalid_request: malformed or oversized credentials → 400', async () => {
  const www = (d: string) => `Bearer error="invalid_request", error_description="${d}"`
  for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a"b', 'Bearer é']) {
    await refused(verifyAccessToken(get({ authorization }), bearerOptions), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID', www: www('The Authorization header is malformed') })
  }
  await refused(verifyAccessToken(get({ authorization: 'Bearer ' + 'a'.repeat(70_000) }), bearerOptions), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID', www: www('The access token is too long') })
})

test('RFC 6750 §3.1 invalid_token: signature, issuer, audience, expiry, unknown key → 401, fixed descriptions', async () => {
  const www = (d = 'Invalid token') => `Bearer error="invalid_token", error_description="${d}"`
  const token = await accessToken()
  const cut = token.lastIndexOf('.') + 1
  const tampered = token.slice(0, cut) + (token[cut] === 'A' ? 'B' : 'A') + token.slice(cut + 1)
  const cases: Array<[Promise<string> | string, string, string?]> = [
    [tampered, 'ERR_JWS_SIGNATURE_INVALID'],
    [signJwt({ sub: 'u', client_id: 'c', jti: 'j' }, issuerKey, { typ: 'at+jwt', issuer: 'https://evil.example', audience: AUDIENCE, expiresIn: 60 }), 'ERR_JWT_CLAIM_INVALID'],
    [signJwt({ sub: 'u', client_id: 'c', jti: 'j' }, issuerKey, { typ: 'at+jwt', issuer: ISSUER, audience: 'https://other.example/', expiresIn: 60 }), 'ERR_JWT_CLAIM_INVALID'],
    [accessToken({}, { iat: Math.floor(Date.now() / 1000) - 1000, expiresIn: 10 }), 'ERR_JWT_EXPIRED', 'The access token expired'],
    [accessToken({}, { key: await generateJwk('ES256', { kid: 'as-1' }) }), 'ERR_JWS_SIGNATURE_INVALID'],
    [accessToken({}, { key: await generateJwk('ES256', { kid: 'rogue' }) }), 'ERR_JWKS_NO_MATCHING_KEY'],
    [signJwt({ sub: 'u' }, { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') }, { alg: 'HS256', typ: 'at+jwt' }), 'ERR_JWKS_NO_MATCHING_KEY'],
  ]
  for (const [t, code, d] of cases) await refused(verifyAccessToken(get({ authorization: `Bearer ${await t}` }), bearerOptions), { status: 401, code, www: www(d) })
})

test('RFC 9068 profile: typ at+jwt and every required claim', async () => {
  const www = 'Bearer error="invalid_token", error_description="Invalid token"'
  await refused(verifyAccessToken(get({ authorization: `Bearer ${await accessToken({}, { typ: 'JWT' })}` }), bearerOptions), { status: 401, code: 'ERR_JWT_CLAIM_INVALID', www })
  for (const claim of ['sub', 'client_id', 'jti']) {
    await refused(verifyAccessToken(get({ authorization: `Bearer ${await accessToken({ [claim]: undefined })}` }), bearerOptions), { status: 401, code: 'ERR_JWT_CLAIM_INVALID', www })
  }
  // Without the profile, a plain JWT with iss/aud passes.
  await verifyAccessToken(get({ authorization: `Bearer ${await accessToken({ client_id: undefined }, { typ: 'JWT' })}` }), { keys, issuer: ISSUER, audience: AUDIENCE })
})

test('scopes: all listed are required (403 insufficient_scope with scope), or a policy function decides', async () => {
  const token = await accessToken({ scope: 'read write' })
  const req = get({ authorization: `Bearer ${token}` })
  await verifyAccessToken(req, { ...bearerOptions, scopes: ['read'] })
  await verifyAccessToken(req, { ...bearerOptions, scopes: ['write', 'read'] })
  await refused(verifyAccessToken(req, { ...bearerOptions, scopes: ['read', 'admin'] }), {
    status: 403, code: 'ERR_AUTH_INSUFFICIENT_SCOPE', error: 'insufficient_scope',
    www: 'Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="read admin"',
  })
  await refused(verifyAccessToken(req, { ...bearerOptions, scopes: (granted) => granted.includes('admin') }), { status: 403, code: 'ERR_AUTH_INSUFFICIENT_SCOPE', www: 'Bearer error="insufficient_scope", error_description="The access token lacks a required scope"' })
  await verifyAccessToken(req, { ...bearerOptions, scopes: (granted) => granted.includes('read') || granted.includes('admin') })
  // A prefix is not a scope: "rea" is not granted by "read".
  await refused(verifyAccessToken(req, { ...bearerOptions, scopes: ['rea'] }), { status: 403, code: 'ERR_AUTH_INSUFFICIENT_SCOPE' })
  // scope must be a string (RFC 9068 §2.2.3).
  await refused(verifyAccessToken(get({ authorization: `Bearer ${await accessToken({ scope: ['read'] })}` }), { ...bearerOptions, scopes: ['read'] }), { status: 401, code: 'ERR_JWT_INVALID' })
})

const dpopOptions = (over: object = {}): VerifyAccessTokenOptions => ({ ...bearerOptions, dpop: { replayCache: createMemoryReplayCache(), ...over } })
const dpopWww = (error: string, d: string) => `Bearer, DPoP error="${error}", error_description="${d}", algs="${ALGS}"`

test('DPoP: a bound token with a jwkit proof passes; jkt is the proof key thumbprint', async () => {
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const proof = await createDpopProof(clientKey, { htm: 'GET', htu: URL_ + '?page=2', accessToken: token })
  const r = await verifyAccessToken(get({ authorization: `DPoP ${token}`, dpop: proof }, URL_ + '?page=2'), dpopOptions())
  assert.equal(r.scheme, 'DPoP')
  assert.equal(r.jkt, clientJkt)
})

test('RFC 9449 §7.2: a DPoP-bound token presented as Bearer is refused (a downgrade), with or without DPoP enabled', async () => {
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  await refused(verifyAccessToken(get({ authorization: `Bearer ${token}` }), dpopOptions()), {
    status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH', www: `Bearer error="invalid_token", error_description="A DPoP-bound token must be presented with the DPoP scheme", DPoP algs="${ALGS}"`,
  })
  await refused(verifyAccessToken(get({ authorization: `Bearer ${token}` }), bearerOptions), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH', www: 'Bearer error="invalid_token", error_description="A DPoP-bound token must be presented with the DPoP scheme"' })
})

test('RFC 9449 §4.3, §7.1: every refusal of a proof, with status, WWW-Authenticate and code', async () => {
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const other = await accessToken({ cnf: { jkt: clientJkt } })
  const good = (o: object = {}) => createDpopProof(clientKey, { htm: 'GET', htu: URL_, accessToken: token, ...o })
  const send = (proof: string | undefined, options = dpopOptions(), raw?: string[]) => verifyAccessToken(
    raw ? { method: 'GET', url: '/things/1', headers: {}, rawHeaders: ['Host', 'api.example', 'Authorization', `DPoP ${token}`, ...raw] } : get(proof === undefined ? { authorization: `DPoP ${token}` } : { authorization: `DPoP ${token}`, dpop: proof }),
    options,
  )
  const invalid = (d: string) => ({ status: 401, code: 'ERR_DPOP_PROOF_INVALID', error: 'invalid_dpop_proof', www: dpopWww('invalid_dpop_proof', d) })
  await refused(send(undefined), invalid('DPoP proof is missing'))
  const p1 = await good()
  await refused(send(undefined, dpopOptions(), ['DPoP', p1, 'DPoP', await good()]), invalid('More than one DPoP proof'))
  await refused(send('not-a-jwt'), invalid('DPoP proof is not a well-formed JWT'))
  await refused(send(await good({ htm: 'POST' })), invalid('DPoP proof htm does not match the request method'))
  await refused(send(await good({ htu: 'https://api.example/things/2' })), invalid('DPoP proof htu does not match the request URL'))
  await refused(send(await good({ htu: 'http://api.example/things/1' })), invalid('DPoP proof htu does not match the request URL'))
  await refused(send(await good({ accessToken: other })), invalid('DPoP proof ath does not match the access token'))
  await refused(send(await good({ accessToken: undefined })), invalid('DPoP proof ath is missing'))
  await refused(send(await good({ iat: new Date(Date.now() - 3_600_000) })), invalid('DPoP proof iat is older than the accepted window'))
  await refused(send(await good({ iat: new Date(Date.now() + 3_600_000) })), invalid('DPoP proof iat is in the future'))
  await refused(send(await good(), dpopOptions({ algorithms: ['PS256'] })), { status: 401, code: 'ERR_DPOP_PROOF_INVALID', www: 'Bearer, DPoP error="invalid_dpop_proof", error_description="DPoP proof alg is not an accepted asymmetric algorithm", algs="PS256"' })
  // Hand-made proofs: wrong typ, a private key in the header, a secret key, a key that did not sign, no jwk.
  const pub = toPublicJwk(clientKey)
  const claims = { htm: 'GET', htu: URL_, jti: 'hand-made', ath: (await good()) && undefined }
  const ath = JSON.parse(Buffer.from(p1.split('.')[1]!, 'base64url').toString()).ath
  const hand = (header: object, key = clientKey, typ = 'dpop+jwt', alg = 'ES256') => signJwt({ ...claims, ath, jti: `hand-${Math.random()}` }, key, { alg, typ, protectedHeader: header as never })
  await refused(send(await hand({ jwk: pub }, clientKey, 'JWT')), invalid('DPoP proof typ must be dpop+jwt'))
  await refused(send(await hand({ jwk: { ...clientKey } })), invalid('DPoP proof jwk must be a public key'))
  const oct = { kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') }
  await refused(send(await hand({ jwk: oct }, oct as never, 'dpop+jwt', 'HS256')), invalid('DPoP proof alg is not an accepted asymmetric algorithm'))
  await refused(send(await hand({ jwk: toPublicJwk(await generateJwk('ES256')) })), invalid('DPoP proof signature does not verify with its jwk'))
  await refused(send(await hand({})), invalid('DPoP proof header has no jwk'))
  // §11.1: a proof is good once.
  const once = await good()
  await send(once, dpopOptions())
  const options = dpopOptions()
  await send(once, options)
  await refused(send(once, options), { status: 401, code: 'ERR_DPOP_PROOF_REPLAYED', www: dpopWww('invalid_dpop_proof', 'DPoP proof jti was already used') })
  // A refused proof does not spend its jti: the same proof passes once the request is right.
  const unspent = await good()
  await refused(verifyAccessToken(get({ authorization: `DPoP ${other}`, dpop: unspent }), options), { status: 401, code: 'ERR_DPOP_PROOF_INVALID' })
  await send(unspent, options)
})

test('DPoP binding: an unbound token under the DPoP scheme, or a proof by another key → invalid_token "Invalid DPoP key binding"', async () => {
  const www = `Bearer, DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="${ALGS}"`
  const unbound = await accessToken()
  await refused(verifyAccessToken(get({ authorization: `DPoP ${unbound}`, dpop: await createDpopProof(clientKey, { htm: 'GET', htu: URL_, accessToken: unbound }) }), dpopOptions()), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH', www })
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const thief = await generateJwk('ES256')
  await refused(verifyAccessToken(get({ authorization: `DPoP ${token}`, dpop: await createDpopProof(thief, { htm: 'GET', htu: URL_, accessToken: token }) }), dpopOptions()), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH', www })
})

test('dpop.required: Bearer is no longer accepted; the challenge is DPoP alone', async () => {
  const token = await accessToken()
  await refused(verifyAccessToken(get({ authorization: `Bearer ${token}` }), dpopOptions({ required: true })), { status: 401, code: 'ERR_AUTH_MISSING', www: `DPoP algs="${ALGS}"` })
})

test('behind a proxy: the trusted origin decides htu, not the Host field', async () => {
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const proof = await createDpopProof(clientKey, { htm: 'GET', htu: 'https://api.example/things/1', accessToken: token })
  const inner = { method: 'GET', url: '/things/1', headers: { host: '10.0.0.7:8080', authorization: `DPoP ${token}`, dpop: proof } }
  await refused(verifyAccessToken(inner, dpopOptions()), { status: 401, code: 'ERR_DPOP_PROOF_INVALID' })
  const r = await verifyAccessToken(inner, { ...dpopOptions(), origin: 'https://api.example' })
  assert.equal(r.jkt, clientJkt)
})

test('a key source that cannot be reached → 503, no challenge; a failing replay cache → 503', async () => {
  const remote = createRemoteJwks('http://127.0.0.1:9/jwks', { timeoutMs: 2000 })
  const e = await refused(verifyAccessToken(get({ authorization: `Bearer ${await accessToken()}` }), { ...bearerOptions, keys: remote }), { status: 503, code: 'ERR_JWKS_FETCH_FAILED', www: undefined })
  assert.deepEqual(e.headers(), { 'cache-control': 'no-store' })
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const broken = { claim: () => Promise.reject(new Error('down')) }
  await refused(verifyAccessToken(get({ authorization: `DPoP ${token}`, dpop: await createDpopProof(clientKey, { htm: 'GET', htu: URL_, accessToken: token }) }), { ...bearerOptions, dpop: { replayCache: broken } }), { status: 503, code: 'ERR_REPLAY_CACHE_UNAVAILABLE', www: undefined })
})

test('descriptions and messages never carry token content', async () => {
  // A header member name the JWS layer would quote in its own message.
  const marker = 'secretmarker' + 'x'.repeat(8)
  const token = await signJwt({ sub: 'u', client_id: 'c', jti: marker }, issuerKey, { typ: 'at+jwt', issuer: ISSUER, audience: AUDIENCE, protectedHeader: { crit: [marker], [marker]: 1 } as never })
  const e = await refused(verifyAccessToken(get({ authorization: `Bearer ${token}` }), bearerOptions), { status: 401, code: 'ERR_JWS_CRIT_UNSUPPORTED' })
  assert.match((e.cause as Error).message, new RegExp(marker)) // the underlying error does name it, for logs
  for (const text of [e.message, e.wwwAuthenticate!, JSON.stringify(e.body()), JSON.stringify(e)]) assert.ok(!text.includes(marker), text)
})

test('options are read from own properties only; wrong options are TypeErrors', async () => {
  const inherited = Object.create({ keys, issuer: ISSUER, audience: AUDIENCE })
  await assert.rejects(verifyAccessToken(get({}), inherited), TypeError)
  await assert.rejects(verifyAccessToken(get({}), { ...bearerOptions, scopes: ['has space'] }), TypeError)
  await assert.rejects(verifyAccessToken(get({}), { ...bearerOptions, origin: 'https://api.example/path' }), TypeError)
  await assert.rejects(verifyAccessToken(null as never, bearerOptions), TypeError)
})
