// Interop: a real OpenID Provider (oidc-provider 9) on loopback issues RFC 9068 JWT access tokens
// by the client-credentials grant; jwkit discovers it by issuer and verifies them, across a key
// rotation of the provider (new first key, old key kept), through the unknown-kid refetch.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateJwk } from '../../src/crypto/generate.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'

// oidc-provider ships no type declarations: the little used here, typed by hand.
type ProviderConstructor = new (issuer: string, config: Record<string, unknown>) => { callback(): (req: IncomingMessage, res: ServerResponse) => void }
const { default: Provider } = (await import('oidc-provider' as string)) as { default: ProviderConstructor }

const RESOURCE = 'https://api.example/'
const SECRET = 'client-secret-for-loopback-tests-only-0123456789'

// One loopback socket for the whole file; the provider behind it is swapped on rotation.
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end()
const paths: string[] = []
const server = createServer((req, res) => {
  paths.push(new URL(req.url ?? '/', 'http://x').pathname)
  handler(req, res)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
after(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
// http on loopback: oidc-provider accepts any web URI as issuer; jwkit allows http for 127.0.0.0/8.
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

function startProvider(keys: Jwk[]): void {
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [],
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys },
    cookies: { keys: ['loopback-test-cookie-signing-key'] },
    ttl: { ClientCredentials: 300 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        // RFC 9068: JWT access tokens for this resource server.
        getResourceServerInfo: () => ({ scope: 'api:read', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'ES256' } } }),
      },
    },
  })
  handler = provider.callback()
}

async function accessToken(): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`svc:${SECRET}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read', resource: RESOURCE }),
  })
  const body = (await res.json()) as { access_token?: string }
  assert.equal(res.status, 200)
  return body.access_token!
}

const count = (p: string) => paths.filter((x) => x === p).length

test('oidc-provider: discovery by issuer, RFC 9068 access tokens verify, rotation through unknown-kid refetch', async () => {
  const first = await generateJwk('ES256', { kid: 'op-key-1' })
  const second = await generateJwk('ES256', { kid: 'op-key-2' })
  startProvider([first])
  const jwks = createRemoteJwks({ issuer }, { cooldownMs: 30_000 })
  const options = { issuer, audience: RESOURCE, typ: 'at+jwt', algorithms: ['ES256'] }

  const before = await accessToken()
  const v1 = await verifyJwt(before, jwks, options)
  assert.equal(v1.protectedHeader.typ, 'at+jwt')
  assert.equal(v1.key.kid, 'op-key-1')
  assert.equal(v1.claims.client_id, 'svc')
  assert.equal(v1.claims.scope, 'api:read')
  assert.equal(count('/.well-known/openid-configuration'), 1)
  assert.equal(count('/jwks'), 1)
  // A typ other than at+jwt is refused for access tokens (RFC 9068 §4).
  await assert.rejects(verifyJwt(before, jwks, { ...options, typ: 'JWT' }), { code: 'ERR_JWT_CLAIM_INVALID' })

  // Rotation: the provider restarts with a new first key, keeping the old one published.
  startProvider([second, first])
  const after = await accessToken()
  const v2 = await verifyJwt(after, jwks, options)
  assert.equal(v2.key.kid, 'op-key-2')
  assert.equal(count('/jwks'), 2) // one unknown-kid refetch
  // Tokens from before the rotation still verify, from the cache.
  await verifyJwt(before, jwks, options)
  await verifyJwt(after, jwks, options)
  assert.equal(count('/jwks'), 2)
  assert.deepEqual(jwks.jwks()!.keys.map((k) => k.kid), ['op-key-2', 'op-key-1'])
  assert.equal(jwks.metadata()?.['issuer'], issuer)

  // A token signed by a key the provider never published: refused, and the cooldown holds.
  const rogue = await generateJwk('ES256', { kid: 'op-key-3' })
  const { signJwt } = await import('../../src/jwt/sign.ts')
  const forged = await signJwt({ ...v2.claims }, rogue, { typ: 'at+jwt', kid: 'op-key-3' })
  await assert.rejects(verifyJwt(forged, jwks, options), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  await assert.rejects(verifyJwt(forged, jwks, options), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.equal(count('/jwks'), 2) // within 30 s of the rotation refetch: no request
  assert.equal(count('/.well-known/openid-configuration'), 1)
})
