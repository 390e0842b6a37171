// Interop: a real OpenID Provider (oidc-provider 9) issues DPoP-bound RFC 9068 JWT access tokens
// by the client-credentials grant, the token requests' proofs made by the independent `dpop`
// package and by jwkit; real Express, Fastify and Hono apps and a fetch handler on loopback
// guard a resource with jwkit/express, jwkit/fastify, jwkit/hono and withAccessToken, and each
// answers every refusal with its status, WWW-Authenticate and code.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import * as dpop from 'dpop'
import { generateJwk } from '../../src/crypto/generate.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { decodeJwt } from '../../src/jwt/decode.ts'
import { createDpopProof } from '../../src/guard/create-proof.ts'
import { createDpopNonces } from '../../src/guard/nonce.ts'
import { withAccessToken } from '../../src/guard/fetch-handler.ts'
import type { AccessTokenResult, VerifyAccessTokenOptions } from '../../src/guard/access-token.ts'
import { bearer as expressBearer } from '../../src/guard/express.ts'
import { bearer as fastifyBearer } from '../../src/guard/fastify.ts'
import { bearer as honoBearer } from '../../src/guard/hono.ts'

type ProviderConstructor = new (issuer: string, config: Record<string, unknown>) => { callback(): (req: IncomingMessage, res: ServerResponse) => void }
const { default: Provider } = (await import('oidc-provider' as string)) as { default: ProviderConstructor }

const RESOURCE = 'https://api.example/'
const SECRET = 'client-secret-for-loopback-tests-only-0123456789'
const closers: Array<() => Promise<void>> = []
after(async () => {
  for (const close of closers) await close()
})

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

// The authorization server.
let opHandler: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => s.writeHead(503).end()
const issuer = await listen(createServer((q, s) => opHandler(q, s)))
const opKey = await generateJwk('ES256', { kid: 'op-1' })
opHandler = new Provider(issuer, {
  clients: [{ client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], id_token_signed_response_alg: 'ES256' }],
  jwks: { keys: [opKey] },
  cookies: { keys: ['loopback-test-cookie-signing-key'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    dPoP: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      getResourceServerInfo: () => ({ scope: 'api:read api:write', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'ES256' } } }),
    },
  },
}).callback()

/** A token from the provider; `proof` makes the token request's DPoP proof. */
async function tokenFor(proof: ((htu: string) => Promise<string>) | undefined, scope = 'api:read'): Promise<{ access_token: string; token_type: string }> {
  const headers: Record<string, string> = { authorization: 'Basic ' + Buffer.from(`svc:${SECRET}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' }
  if (proof) headers['dpop'] = await proof(`${issuer}/token`)
  const res = await fetch(`${issuer}/token`, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }) })
  const body = (await res.json()) as { access_token: string; token_type: string }
  assert.equal(res.status, 200, JSON.stringify(body))
  return body
}

// Two clients: one whose proofs the `dpop` package makes, one whose proofs jwkit makes.
const pkgKeys = await dpop.generateKeyPair('ES256', { extractable: true })
const pkgJkt = await dpop.calculateThumbprint(pkgKeys.publicKey)
const jwkitKey: Jwk = await generateJwk('ES256')
const jwkitJkt = thumbprint(toPublicJwk(jwkitKey))
const pkgProof = (htu: string, htm = 'POST', accessToken?: string, nonce?: string) => dpop.generateProof(pkgKeys, htu, htm, nonce, accessToken)
const jwkitProof = (htu: string, htm = 'POST', accessToken?: string, nonce?: string) => createDpopProof(jwkitKey, { htm, htu, ...(accessToken ? { accessToken } : {}), ...(nonce ? { nonce } : {}) })

const pkgToken = (await tokenFor((htu) => pkgProof(htu))).access_token
const jwkitTokenResponse = await tokenFor((htu) => jwkitProof(htu))
const jwkitToken = jwkitTokenResponse.access_token
const bearerToken = (await tokenFor(undefined)).access_token
const writeToken = (await tokenFor((htu) => jwkitProof(htu), 'api:read api:write')).access_token

test('oidc-provider binds the tokens to the proof keys (RFC 9449 §6.1 cnf.jkt, token_type DPoP)', () => {
  assert.equal(jwkitTokenResponse.token_type, 'DPoP')
  assert.equal(decodeJwt(pkgToken).protectedHeader.typ, 'at+jwt')
  assert.deepEqual(decodeJwt(pkgToken).claims!['cnf'], { jkt: pkgJkt })
  assert.deepEqual(decodeJwt(jwkitToken).claims!['cnf'], { jkt: jwkitJkt })
  assert.equal(decodeJwt(bearerToken).claims!['cnf'], undefined)
  // The package and jwkit agree on the thumbprint of the same key.
  return exportKey().then((jwk) => assert.equal(thumbprint(jwk), pkgJkt))
})

async function exportKey(): Promise<Jwk> {
  const { KeyObject } = await import('node:crypto')
  return toPublicJwk(exportJwk(KeyObject.from(pkgKeys.publicKey as never)))
}

const guardOptions = (): VerifyAccessTokenOptions => ({ keys: createRemoteJwks({ issuer }), issuer, audience: RESOURCE, profile: 'rfc9068', dpop: true, scopes: ['api:read'] })
const writeOptions = (o: VerifyAccessTokenOptions): VerifyAccessTokenOptions => ({ ...o, scopes: ['api:write'] })

// The four resource servers: GET /api/me (api:read) and POST /api/items (api:write).
async function expressApp(): Promise<string> {
  const app = express()
  const o = guardOptions()
  app.get('/api/me', expressBearer(o), (req, res) => res.json(reply(req.auth!)))
  app.post('/api/items', expressBearer(writeOptions(o)), (req, res) => res.json(reply(req.auth!)))
  return listen(createServer(app))
}

async function fastifyApp(): Promise<string> {
  const app = Fastify()
  const o = guardOptions()
  await app.register(async (scope) => {
    await scope.register(fastifyBearer as never, o as never)
    scope.get('/api/me', async (request) => reply((request as unknown as { auth: AccessTokenResult }).auth))
  })
  await app.register(async (scope) => {
    await scope.register(fastifyBearer as never, writeOptions(o) as never)
    scope.post('/api/items', async (request) => reply((request as unknown as { auth: AccessTokenResult }).auth))
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  closers.push(() => app.close())
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

async function honoApp(): Promise<string> {
  const app = new Hono<{ Variables: { auth: AccessTokenResult } }>()
  const o = guardOptions()
  app.get('/api/me', honoBearer(o) as never, (c) => c.json(reply(c.get('auth'))))
  app.post('/api/items', honoBearer(writeOptions(o)) as never, (c) => c.json(reply(c.get('auth'))))
  return listen(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server)
}

async function fetchApp(): Promise<string> {
  const o = guardOptions()
  const me = withAccessToken((_request, auth) => Response.json(reply(auth)), o)
  const items = withAccessToken((_request, auth) => Response.json(reply(auth)), writeOptions(o))
  const handler = (request: Request) => (new URL(request.url).pathname === '/api/items' ? items(request) : me(request))
  return listen(serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }) as Server)
}

function reply(auth: AccessTokenResult) {
  return { sub: auth.claims.sub, client_id: auth.claims['client_id'], scheme: auth.scheme, jkt: auth.jkt ?? null }
}

const ALGS = 'ES256 ES384 ES512 PS256 PS384 PS512 EdDSA Ed25519'

async function call(base: string, path: string, headers: Record<string, string>, method = 'GET') {
  const res = await fetch(base + path, { method, headers })
  const text = await res.text()
  return { status: res.status, www: res.headers.get('www-authenticate'), cacheControl: res.headers.get('cache-control'), body: text ? JSON.parse(text) : undefined }
}

for (const [name, start] of [['Express', expressApp], ['Fastify', fastifyApp], ['Hono', honoApp], ['fetch handler', fetchApp]] as const) {
  test(`${name} on loopback: DPoP proofs from the dpop package and from jwkit; every refusal with status, WWW-Authenticate, code`, async () => {
    const base = await start()
    const me = `${base}/api/me`
    // Proofs by the independent package, then by jwkit.
    const ok1 = await call(base, '/api/me', { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', pkgToken) })
    assert.equal(ok1.status, 200, JSON.stringify(ok1.body))
    assert.deepEqual(ok1.body, { sub: 'svc', client_id: 'svc', scheme: 'DPoP', jkt: pkgJkt })
    const proof = await jwkitProof(me, 'GET', jwkitToken)
    const ok2 = await call(base, '/api/me', { authorization: `DPoP ${jwkitToken}`, dpop: proof })
    assert.equal(ok2.status, 200, JSON.stringify(ok2.body))
    assert.equal(ok2.body.jkt, jwkitJkt)
    // An unbound token as Bearer.
    const ok3 = await call(base, '/api/me', { authorization: `Bearer ${bearerToken}` })
    assert.deepEqual([ok3.status, ok3.body.scheme], [200, 'Bearer'])

    const expect = async (r: Promise<Awaited<ReturnType<typeof call>>>, status: number, code: string, www: string) => {
      const got = await r
      assert.deepEqual({ status: got.status, code: got.body?.code, www: got.www }, { status, code, www }, JSON.stringify(got.body))
      assert.equal(got.cacheControl, 'no-store')
    }
    const proofWww = (d: string) => `Bearer, DPoP error="invalid_dpop_proof", error_description="${d}", algs="${ALGS}"`
    await expect(call(base, '/api/me', {}), 401, 'ERR_AUTH_MISSING', `Bearer, DPoP algs="${ALGS}"`)
    // The replayed proof (RFC 9449 §11.1).
    await expect(call(base, '/api/me', { authorization: `DPoP ${jwkitToken}`, dpop: proof }), 401, 'ERR_DPOP_PROOF_REPLAYED', proofWww('DPoP proof jti was already used'))
    // A DPoP-bound token presented as Bearer (§7.2).
    await expect(call(base, '/api/me', { authorization: `Bearer ${pkgToken}` }), 401, 'ERR_TOKEN_BINDING_MISMATCH', `Bearer error="invalid_token", error_description="A DPoP-bound token must be presented with the DPoP scheme", DPoP algs="${ALGS}"`)
    // The package client's token with jwkit client's proof: another key (§6.1).
    await expect(call(base, '/api/me', { authorization: `DPoP ${pkgToken}`, dpop: await jwkitProof(me, 'GET', pkgToken) }), 401, 'ERR_TOKEN_BINDING_MISMATCH', `Bearer, DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="${ALGS}"`)
    await expect(call(base, '/api/me', { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(`${base}/api/other`, 'GET', pkgToken) }), 401, 'ERR_DPOP_PROOF_INVALID', proofWww('DPoP proof htu does not match the request URL'))
    await expect(call(base, '/api/me', { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'POST', pkgToken) }), 401, 'ERR_DPOP_PROOF_INVALID', proofWww('DPoP proof htm does not match the request method'))
    await expect(call(base, '/api/me', { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', jwkitToken) }), 401, 'ERR_DPOP_PROOF_INVALID', proofWww('DPoP proof ath does not match the access token'))
    await expect(call(base, '/api/me', { authorization: `DPoP ${pkgToken}` }), 401, 'ERR_DPOP_PROOF_INVALID', proofWww('DPoP proof is missing'))
    await expect(call(base, '/api/me', { authorization: `Bearer ${bearerToken.slice(0, -4)}AAAA` }), 401, 'ERR_JWS_SIGNATURE_INVALID', `Bearer error="invalid_token", error_description="Invalid token", DPoP algs="${ALGS}"`)
    await expect(call(base, '/api/me', { authorization: 'Bearer' }), 400, 'ERR_AUTH_REQUEST_INVALID', `Bearer error="invalid_request", error_description="The Authorization header is malformed", DPoP algs="${ALGS}"`)
    await expect(call(base, `/api/me?access_token=${bearerToken}`, {}), 400, 'ERR_AUTH_REQUEST_INVALID', `Bearer error="invalid_request", error_description="The access token must be sent in the Authorization header", DPoP algs="${ALGS}"`)
    // Scope: api:write is required on POST /api/items (403, RFC 6750 §3.1).
    const items = `${base}/api/items`
    await expect(call(base, '/api/items', { authorization: `DPoP ${jwkitToken}`, dpop: await jwkitProof(items, 'POST', jwkitToken) }, 'POST'), 403, 'ERR_AUTH_INSUFFICIENT_SCOPE', `Bearer, DPoP error="insufficient_scope", error_description="The access token lacks a required scope", scope="api:write", algs="${ALGS}"`)
    const written = await call(base, '/api/items', { authorization: `DPoP ${writeToken}`, dpop: await jwkitProof(items, 'POST', writeToken) }, 'POST')
    assert.equal(written.status, 200, JSON.stringify(written.body))
  })
}

test('Express with server nonces (RFC 9449 §9): use_dpop_nonce with DPoP-Nonce, then the dpop package retries with it', async () => {
  let clock = Date.now()
  const nonces = createDpopNonces({ rotateMs: 60_000, now: () => clock })
  const app = express()
  app.get('/api/me', expressBearer({ ...guardOptions(), dpop: { nonces } }), (req, res) => res.json(reply(req.auth!)))
  const base = await listen(createServer(app))
  const me = `${base}/api/me`
  const first = await fetch(me, { headers: { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', pkgToken) } })
  assert.equal(first.status, 401)
  assert.equal(first.headers.get('www-authenticate'), `Bearer, DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="${ALGS}"`)
  const nonce = first.headers.get('dpop-nonce')!
  assert.equal(nonce, nonces.current())
  assert.equal(((await first.json()) as { code: string }).code, 'ERR_DPOP_NONCE_REQUIRED')
  const second = await fetch(me, { headers: { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', pkgToken, nonce) } })
  assert.equal(second.status, 200)
  assert.equal(second.headers.get('dpop-nonce'), null)
  await second.arrayBuffer()
  // The nonce rotates: the previous one still passes, and the answer carries the next (RFC 9449 §8.2).
  clock += 60_000
  const rotated = await fetch(me, { headers: { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', pkgToken, nonce) } })
  assert.equal(rotated.status, 200)
  assert.equal(rotated.headers.get('dpop-nonce'), nonces.current())
  assert.notEqual(nonces.current(), nonce)
  await rotated.arrayBuffer()
  clock += 60_000 // two periods on: refused, with a fresh nonce
  const stale = await fetch(me, { headers: { authorization: `DPoP ${pkgToken}`, dpop: await pkgProof(me, 'GET', pkgToken, 'not-a-nonce-of-this-server') } })
  assert.equal(stale.status, 401)
  assert.ok(stale.headers.get('dpop-nonce'))
  await stale.arrayBuffer()
})

test('fetch handler with rotating nonces: the next nonce rides on the 200 response (RFC 9449 §8.2)', async () => {
  let clock = Date.now()
  const nonces = createDpopNonces({ rotateMs: 60_000, now: () => clock })
  const handler = withAccessToken((_request, auth) => Response.json(reply(auth)), { ...guardOptions(), dpop: { nonces } })
  const base = await listen(serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }) as Server)
  const me = `${base}/api/me`
  const nonce = nonces.current()
  clock += 60_000
  const res = await fetch(me, { headers: { authorization: `DPoP ${jwkitToken}`, dpop: await jwkitProof(me, 'GET', jwkitToken, nonce) } })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('dpop-nonce'), nonces.current())
  assert.equal(((await res.json()) as { jkt: string }).jkt, jwkitJkt)
})
