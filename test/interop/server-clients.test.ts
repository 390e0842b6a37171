/**
 * Real relying-party clients against a running jwkit key server (real key manager, real SQLite
 * store, 127.0.0.1): jose `createRemoteJWKSet` + `jwtVerify`, `jwks-rsa` + `jsonwebtoken`, and
 * jwkit's own `createRemoteJwks` + `verifyJwt`. Tokens come from `POST /admin/sign`.
 * Pre-publication: a client that fetched the set before a rotation verifies a token signed after
 * it without refetching (requests counted at the server). Grace: a token signed before a rotation
 * still verifies after it.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as jose from 'jose'
import jwksRsa from 'jwks-rsa'
import jsonwebtoken from 'jsonwebtoken'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { JWKS_PATH } from '../../src/server/routes.ts'
import { request } from '../server/http-helpers.ts'
import { startRealServer, type RealServer } from '../server/real-server.ts'

let s: RealServer
let issuer: string

before(async () => {
  s = await startRealServer({ algorithms: ['ES256', 'RS256'] })
  issuer = `http://localhost:${new URL(s.base).port}`
})
after(async () => { await s?.stop() })

const jwksFetches = () => s.metrics.requests(JWKS_PATH, 200) + s.metrics.requests(JWKS_PATH, 304)

async function sign(claims: Record<string, unknown>, alg = 'ES256'): Promise<{ token: string; kid: string }> {
  const r = await request(s.base, '/admin/sign', { method: 'POST', headers: s.auth, body: JSON.stringify({ claims, alg, audience: 'api', expiresIn: '10m' }) })
  assert.equal(r.status, 200, r.text)
  const { token, kid } = r.json()
  return { token, kid }
}

/**
 * An admin rotation that does not wait for the prepublish time (the server would schedule it
 * ~2 h out): these clients fetched the set, next key included, before it, which is what the
 * wait guarantees in production.
 */
async function rotate(): Promise<void> {
  const r = await request(s.base, '/admin/keys/rotate', { method: 'POST', headers: s.auth, body: '{"now":true}' })
  assert.equal(r.status, 200, r.text)
}

function jwksRsaVerify(client: jwksRsa.JwksClient, token: string, alg: 'ES256' | 'RS256'): Promise<jsonwebtoken.JwtPayload> {
  return new Promise((resolve, reject) => {
    jsonwebtoken.verify(token, (header, cb) => {
      client.getSigningKey(header.kid).then((k) => cb(null, k.getPublicKey()), (e: Error) => cb(e))
    }, { algorithms: [alg], audience: 'api', issuer }, (error, payload) => (error ? reject(error) : resolve(payload as jsonwebtoken.JwtPayload)))
  })
}

test('jose createRemoteJWKSet + jwtVerify, jwks-rsa + jsonwebtoken and jwkit createRemoteJwks verify server-signed tokens', async () => {
  const url = new URL(s.base + JWKS_PATH)
  const es = await sign({ sub: 'alice' })
  const rs = await sign({ sub: 'bob' }, 'RS256')
  const remote = jose.createRemoteJWKSet(url)
  const a = await jose.jwtVerify(es.token, remote, { issuer, audience: 'api', algorithms: ['ES256'] })
  assert.equal(a.payload.sub, 'alice')
  assert.equal(a.protectedHeader.kid, es.kid)
  const b = await jose.jwtVerify(rs.token, remote, { issuer, audience: 'api', algorithms: ['RS256'] })
  assert.equal(b.payload.sub, 'bob')

  const client = new jwksRsa.JwksClient({ jwksUri: url.href })
  assert.equal((await jwksRsaVerify(client, es.token, 'ES256')).sub, 'alice')
  assert.equal((await jwksRsaVerify(client, rs.token, 'RS256')).sub, 'bob')

  const ours = createRemoteJwks(url)
  const c = await verifyJwt(rs.token, ours, { issuer, audience: 'api', algorithms: ['RS256'] })
  assert.equal((c.claims as { sub: string }).sub, 'bob')

  // a token whose signature was tampered with fails with every client
  const bad = es.token.slice(0, -4) + (es.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
  await assert.rejects(jose.jwtVerify(bad, remote, { issuer, audience: 'api' }))
  await assert.rejects(jwksRsaVerify(client, bad, 'ES256'))
  await assert.rejects(verifyJwt(bad, ours, { issuer, audience: 'api' }), { code: 'ERR_JWS_SIGNATURE_INVALID' })
})

test('pre-publication: a client that fetched before a rotation verifies a token signed after it without refetching', async () => {
  const url = new URL(s.base + JWKS_PATH)
  // clients that fetched the set now (before the rotation)
  const remote = jose.createRemoteJWKSet(url, { cooldownDuration: 0 })
  const ours = createRemoteJwks(url)
  const before = await sign({ sub: 'warm-up' })
  await jose.jwtVerify(before.token, remote, { issuer, audience: 'api' })
  await verifyJwt(before.token, ours, { issuer, audience: 'api' })
  // jwks-rsa memoizes per kid: it resolves every kid the set published, the next key included
  const published = (await request(s.base, JWKS_PATH)).json().keys as Array<{ kid: string }>
  const client = new jwksRsa.JwksClient({ jwksUri: url.href, cache: true })
  for (const { kid } of published) await client.getSigningKey(kid)
  const nextKid = s.manager.keys().find((k) => k.state === 'next' && k.alg === 'ES256')!.kid
  assert.ok(published.some((k) => k.kid === nextKid), 'the next key is published before it signs')

  const fetchesBefore = jwksFetches()
  await rotate()
  const after = await sign({ sub: 'after-rotation' })
  assert.equal(after.kid, nextKid, 'the pre-published key now signs')
  assert.equal((await jose.jwtVerify(after.token, remote, { issuer, audience: 'api' })).payload.sub, 'after-rotation')
  assert.equal(((await verifyJwt(after.token, ours, { issuer, audience: 'api' })).claims as { sub: string }).sub, 'after-rotation')
  assert.equal((await jwksRsaVerify(client, after.token, 'ES256')).sub, 'after-rotation')
  assert.equal(jwksFetches(), fetchesBefore, 'no client refetched the set')
})

test('grace: tokens signed before a rotation still verify after it, for fresh clients too', async () => {
  const old = await sign({ sub: 'old' })
  const oldRs = await sign({ sub: 'old-rs' }, 'RS256')
  await rotate()
  await rotate()
  const set = (await request(s.base, JWKS_PATH)).json().keys as Array<{ kid: string }>
  assert.ok(set.some((k) => k.kid === old.kid), 'the retired key stays published during its grace')
  const url = new URL(s.base + JWKS_PATH)
  assert.equal((await jose.jwtVerify(old.token, jose.createRemoteJWKSet(url), { issuer, audience: 'api' })).payload.sub, 'old')
  assert.equal((await jwksRsaVerify(new jwksRsa.JwksClient({ jwksUri: url.href }), oldRs.token, 'RS256')).sub, 'old-rs')
  assert.equal(((await verifyJwt(old.token, createRemoteJwks(url), { issuer, audience: 'api' })).claims as { sub: string }).sub, 'old')

  // a revoked key leaves publication at once: its tokens stop verifying for fresh clients
  const r = await request(s.base, `/admin/keys/${encodeURIComponent(old.kid)}/revoke`, { method: 'POST', headers: s.auth })
  assert.equal(r.status, 200, r.text)
  await assert.rejects(jose.jwtVerify(old.token, jose.createRemoteJWKSet(url), { issuer, audience: 'api' }), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
})

test('discovery: jwkit createRemoteJwks({ issuer }) finds the set through /.well-known/openid-configuration', async () => {
  // the server was started without an issuer: it announces http://localhost:<port>
  const { token } = await sign({ sub: 'disco' })
  const ours = createRemoteJwks({ issuer })
  const v = await verifyJwt(token, ours, { issuer, audience: 'api' })
  assert.equal((v.claims as { sub: string }).sub, 'disco')
})
