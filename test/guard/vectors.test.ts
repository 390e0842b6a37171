// RFC 9449 and RFC 6750 examples (test/vectors/guards-rfc-examples.json): the proofs of RFC 9449
// verify with their jkt and ath, and the guard's answers reproduce the RFCs' WWW-Authenticate
// figures, exactly where the RFC is self-consistent, parameter for parameter otherwise.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { verifyDpopProof } from '../../src/guard/dpop-proof.ts'
import { verifyAccessToken } from '../../src/guard/access-token.ts'
import { createDpopProof } from '../../src/guard/create-proof.ts'
import { createDpopNonces } from '../../src/guard/nonce.ts'
import { createMemoryReplayCache } from '../../src/guard/replay-cache.ts'
import { formatChallenges } from '../../src/guard/challenge.ts'
import { AUDIENCE, ISSUER, accessToken, clientJkt, clientKey, keys, refused } from './helpers.ts'

const V = JSON.parse(readFileSync(new URL('../vectors/guards-rfc-examples.json', import.meta.url), 'utf8'))
const R = V.rfc9449

/** Parses a WWW-Authenticate value into challenges: [scheme, { param: value }] (enough for these figures). */
function parseChallenges(value: string): Array<[string, Record<string, string>]> {
  const out: Array<[string, Record<string, string>]> = []
  for (const m of value.matchAll(/([A-Za-z][\w-]*)(?:\s*=\s*"((?:[^"\\]|\\.)*)")?\s*,?\s*/g)) {
    if (m[2] === undefined) out.push([m[1]!, {}])
    else out.at(-1)![1][m[1]!] = m[2]
  }
  return out
}

test('RFC 9449 §6.1 Figure 9 / §7.1 Figure 14: the jkt of the example key and the ath of the example token', () => {
  assert.equal(thumbprint(R.jwk as Jwk), R.jkt)
  assert.equal(createHash('sha256').update(R.accessToken).digest('base64url'), R.ath)
})

for (const name of ['tokenRequestProof', 'refreshProof', 'resourceProof'] as const) {
  test(`RFC 9449 ${R[name].figure}: the example proof verifies (jkt, claims), and fails one rule at a time`, async () => {
    const v = R[name]
    const base = { method: v.method, url: v.url, currentDate: new Date(v.iat * 1000), replayCache: createMemoryReplayCache() }
    const withAt = name === 'resourceProof' ? { accessToken: R.accessToken } : {}
    const ok = await verifyDpopProof(v.proof, { ...base, ...withAt })
    assert.equal(ok.jkt, R.jkt)
    assert.equal(ok.claims.jti, v.jti)
    assert.deepEqual(ok.jwk, R.jwk)
    // §4.3 step 9 with RFC 3986 normalization: scheme/host case, default port, query and fragment ignored.
    const u = new URL(v.url)
    await verifyDpopProof(v.proof, { ...base, ...withAt, replayCache: createMemoryReplayCache(), url: `${u.protocol.toUpperCase()}//${u.host.toUpperCase()}:443${u.pathname}?q=1#f` })
    const bad = (over: object, code = 'ERR_DPOP_PROOF_INVALID') => assert.rejects(verifyDpopProof(v.proof, { ...base, ...withAt, replayCache: createMemoryReplayCache(), ...over }), { code })
    await bad({ method: v.method === 'GET' ? 'POST' : 'GET' }) // step 8
    await bad({ url: v.url + '/other' }) // step 9
    await bad({ currentDate: new Date((v.iat + 3600) * 1000) }) // step 11: too old
    await bad({ currentDate: new Date((v.iat - 60) * 1000) }) // step 11: from the future
    await bad({ algorithms: ['PS256'] }) // step 5
    await bad({ accessToken: 'another-token' }) // step 12: ath
    await bad({ nonces: createDpopNonces({ now: () => v.iat * 1000 }) }, 'ERR_DPOP_NONCE_REQUIRED') // step 10
    // §11.1: the same proof twice is a replay.
    await assert.rejects(verifyDpopProof(v.proof, { ...base, ...withAt }), { code: 'ERR_DPOP_PROOF_REPLAYED' })
    // A flipped signature byte.
    const sig = v.proof.slice(v.proof.lastIndexOf('.') + 1)
    const flipped = v.proof.slice(0, v.proof.lastIndexOf('.') + 1) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    await assert.rejects(verifyDpopProof(flipped, { ...base, ...withAt, replayCache: createMemoryReplayCache() }), { code: 'ERR_DPOP_PROOF_INVALID', message: /signature/ })
  })
}

const challenge = (figure: string) => R.challenges.find((c: { figure: string }) => c.figure === figure)

test('RFC 9449 §7.1 Figure 15: DPoP only, no credentials', async () => {
  const c = challenge('Figure 15')
  await refused(verifyAccessToken({ method: 'GET', url: 'https://resource.example.org/protectedresource', headers: {} }, { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { required: true, algorithms: c.algs } }), { status: c.status, code: 'ERR_AUTH_MISSING', www: c.wwwAuthenticate })
})

test('RFC 9449 §7.1 Figure 16: DPoP only, the token is bound to another key', async () => {
  const c = challenge('Figure 16')
  const token = await accessToken({ cnf: { jkt: R.jkt } })
  const url = 'https://resource.example.org/protectedresource'
  const proof = await createDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token })
  const e = await refused(verifyAccessToken({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: proof } }, { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { required: true, algorithms: c.algs } }), { status: c.status, code: 'ERR_TOKEN_BINDING_MISMATCH', www: c.wwwAuthenticate })
  assert.equal(e.error, 'invalid_token')
  assert.notEqual(R.jkt, clientJkt)
})

test('RFC 9449 §7.2 Figures 17 and 18: Bearer and DPoP; no credentials, then an invalid bearer token', async () => {
  const options = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { algorithms: ['ES256', 'PS256'] } }
  const url = 'https://resource.example.org/protectedresource'
  await refused(verifyAccessToken({ method: 'GET', url, headers: {} }, options), { status: 401, code: 'ERR_AUTH_MISSING', www: challenge('Figure 17').wwwAuthenticate })
  await refused(verifyAccessToken({ method: 'GET', url, headers: { authorization: 'Bearer INVALID_TOKEN' } }, options), { status: 401, code: 'ERR_JWS_INVALID', www: challenge('Figure 18').wwwAuthenticate })
})

test('RFC 9449 §7.2 Figure 19: two Authorization fields are ambiguous (400, both challenges carry invalid_request)', async () => {
  const c = challenge('Figure 19')
  const options = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { algorithms: c.algs } }
  const rawHeaders = ['Host', 'resource.example.org', 'Authorization', `Bearer ${R.accessToken}`, 'Authorization', `DPoP ${R.accessToken}`]
  const e = await refused(verifyAccessToken({ method: 'GET', url: '/protectedresource', headers: { authorization: `Bearer ${R.accessToken}` }, rawHeaders }, options), { status: c.status, code: 'ERR_AUTH_REQUEST_INVALID', error: 'invalid_request' })
  // The figure lists algs first in the DPoP challenge, Figure 16 last: the same parameters either way.
  assert.deepEqual(parseChallenges(e.wwwAuthenticate!), parseChallenges(c.wwwAuthenticate))
  // The formatter writes the figure byte for byte when given its order.
  assert.equal(formatChallenges([
    { scheme: 'Bearer', params: [['error', 'invalid_request'], ['error_description', 'Multiple methods used to include access token']] },
    { scheme: 'DPoP', params: [['algs', 'ES256 PS256'], ['error', 'invalid_request'], ['error_description', 'Multiple methods used to include access token']] },
  ]), c.wwwAuthenticate)
  // A fetch Headers joins the two fields with ", ": refused the same way.
  const headers = new Headers()
  headers.append('authorization', `Bearer ${R.accessToken}`)
  headers.append('authorization', `DPoP ${R.accessToken}`)
  await refused(verifyAccessToken(new Request('https://resource.example.org/protectedresource', { headers }), options), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID' })
})

test('RFC 9449 §9 Figure 24: a nonce is required; the refusal carries use_dpop_nonce and a DPoP-Nonce, and the nonce then works', async () => {
  const c = challenge('Figure 24')
  const fixed = Date.now()
  const nonces = createDpopNonces({ now: () => fixed }) // one slot for the whole test
  const options = { keys, issuer: ISSUER, audience: AUDIENCE, dpop: { required: true, nonces } }
  const url = 'https://resource.example.org/protectedresource'
  const token = await accessToken({ cnf: { jkt: clientJkt } })
  const proof = await createDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token })
  const e = await refused(verifyAccessToken({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: proof } }, options), { status: c.status, code: 'ERR_DPOP_NONCE_REQUIRED', error: 'use_dpop_nonce' })
  const [[scheme, params]] = parseChallenges(e.wwwAuthenticate!) as [[string, Record<string, string>]]
  const [[figScheme, figParams]] = parseChallenges(c.wwwAuthenticate) as [[string, Record<string, string>]]
  assert.equal(scheme, figScheme)
  for (const [k, v] of Object.entries(figParams)) assert.equal(params[k], v, k)
  assert.equal(e.dpopNonce, nonces.current())
  assert.equal(e.headers()['dpop-nonce'], nonces.current())
  // RFC 9449 §8.1: the nonce is NQCHAR.
  assert.match(e.dpopNonce!, /^[\x21\x23-\x5b\x5d-\x7e]+$/)
  const retry = await createDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token, nonce: e.dpopNonce! })
  const ok = await verifyAccessToken({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: retry } }, options)
  assert.equal(ok.jkt, clientJkt)
  assert.equal(ok.dpopNonce, undefined) // the nonce used is the current one
})

test('RFC 6750 §3: the two WWW-Authenticate examples (realm "example": no credentials; an expired token)', async () => {
  const [none, expired] = V.rfc6750.challenges
  const options = { keys, issuer: ISSUER, audience: AUDIENCE, realm: 'example' }
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/resource', headers: {} }, options), { status: none.status, code: 'ERR_AUTH_MISSING', www: none.wwwAuthenticate })
  const old = await accessToken({}, { iat: Math.floor(Date.now() / 1000) - 600, expiresIn: 60 })
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/resource', headers: { authorization: `Bearer ${old}` } }, options), { status: expired.status, code: 'ERR_JWT_EXPIRED', www: expired.wwwAuthenticate })
})

test('RFC 6750 §2.1–2.3: the example token in the header, a form body and the query; body and query only when enabled', async () => {
  const r = V.rfc6750
  const options = { keys, issuer: ISSUER, audience: AUDIENCE }
  // §2.1: read from the header (and refused as a token: it is not a JWT of this issuer).
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/resource', headers: { authorization: r.authorization.header } }, options), { status: 401, code: 'ERR_JWS_INVALID', error: 'invalid_token' })
  // §2.3: the query method is refused unless enabled.
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example' + r.query.target, headers: {} }, options), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID', www: 'Bearer error="invalid_request", error_description="The access token must be sent in the Authorization header"' })
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example' + r.query.target, headers: {} }, { ...options, allowQueryToken: true }), { status: 401, code: 'ERR_JWS_INVALID' })
  // §2.2: the form body likewise, and never with GET.
  const body = Object.fromEntries(new URLSearchParams(r.body.body))
  await refused(verifyAccessToken({ method: 'POST', url: 'https://api.example/resource', headers: { 'content-type': r.body.contentType }, body }, options), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID' })
  await refused(verifyAccessToken({ method: 'POST', url: 'https://api.example/resource', headers: { 'content-type': r.body.contentType }, body }, { ...options, allowBodyToken: true }), { status: 401, code: 'ERR_JWS_INVALID' })
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/resource', headers: {}, body }, { ...options, allowBodyToken: true }), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID' })
  // Header and query together: two methods (RFC 6750 §3.1).
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example' + r.query.target, headers: { authorization: r.authorization.header } }, { ...options, allowQueryToken: true }), { status: 400, code: 'ERR_AUTH_REQUEST_INVALID', www: 'Bearer error="invalid_request", error_description="Multiple methods used to include access token"' })
  // A good token by the query method passes when enabled.
  const good = await accessToken()
  const ok = await verifyAccessToken({ method: 'GET', url: `https://api.example/resource?access_token=${good}`, headers: {} }, { ...options, allowQueryToken: true })
  assert.equal(ok.scheme, 'Bearer')
})
