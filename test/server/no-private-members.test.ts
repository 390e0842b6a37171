/**
 * Property (fast-check): no response of any route — public, health, metrics, errors, and the
 * admin API with the right token — ever carries a private JWK member (RFC 7518 §6.2.2, §6.3.2,
 * §6.4.1; RFC 8037 §2; AKP `priv`), neither as a JSON member name nor as the value of any private
 * member of any stored key (unsealed here, from the real SQLite store, to know what to look for).
 * The only exception is the token that `/admin/sign` returns, which is public by nature (its
 * claims are the caller's); it is removed before the check.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { PRIVATE_MEMBERS } from '../../src/server/jwks-response.ts'
import { request, type Answer } from './http-helpers.ts'
import { startRealServer, type RealServer } from './real-server.ts'

let s: RealServer
before(async () => { s = await startRealServer({ algorithms: ['ES256', 'EdDSA'] }) })
after(async () => { await s?.stop() })

/** Private member values of every key seen (revoked keys are shredded, so their values are remembered from before). */
const known = new Map<string, string[]>()
function secrets(): string[] {
  for (const r of s.manager.keys()) {
    if (known.has(r.kid) || r.sealed.length === 0) continue
    const jwk = s.store.sealer!.unseal(r.kid, r.sealed) as unknown as Record<string, unknown>
    known.set(r.kid, [...PRIVATE_MEMBERS].filter((name) => typeof jwk[name] === 'string').map((name) => jwk[name] as string))
  }
  return [...known.values()].flat()
}

function privateMemberNames(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => privateMemberNames(v, `${path}/${i}`))
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([k, v]) => [...(PRIVATE_MEMBERS.has(k) ? [`${path}/${k}`] : []), ...privateMemberNames(v, `${path}/${k}`)])
}

function check(answer: Answer, path: string): void {
  let text = answer.text
  if (String(answer.headers['content-type']).includes('json') && text.length > 0) {
    const body = answer.json()
    if (path === '/admin/sign' && answer.status === 200) {
      assert.equal(typeof body.token, 'string')
      delete body.token
    }
    assert.deepEqual(privateMemberNames(body), [], `${path}: ${answer.status}`)
    text = JSON.stringify(body)
  }
  for (const secret of secrets()) assert.ok(!text.includes(secret), `${path} leaked a private member value`)
  for (const value of Object.values(answer.headers)) for (const secret of secrets()) assert.ok(!String(value).includes(secret))
}

test('property: no route ever answers with a private member', async () => {
  // the checks themselves can fail: they see a nested member, and they know the stored secrets
  assert.deepEqual(privateMemberNames({ a: [{ d: 1, x: { priv: 2 } }] }), ['/a/0/d', '/a/0/x/priv'])
  assert.ok(secrets().length >= 4)
  const kids = () => s.manager.keys().map((k) => k.kid)
  const pathArb = fc.oneof(
    fc.constantFrom('/.well-known/jwks.json', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server',
      '/healthz', '/readyz', '/metrics', '/admin/keys', '/admin/keys/rotate', '/admin/sign', '/admin', '/', '/favicon.ico'),
    fc.tuple(fc.nat(20), fc.constantFrom('retire', 'revoke')).map(([i, action]) => {
      const list = kids()
      return `/admin/keys/${encodeURIComponent(list[i % list.length]!)}/${action}`
    }),
    fc.string({ maxLength: 24 }).map((t) => '/' + encodeURIComponent(t)),
  )
  const bodyArb = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({
      claims: fc.dictionary(fc.constantFrom('sub', 'd', 'k', 'p', 'priv', 'scope', 'x'), fc.string({ maxLength: 12 }), { maxKeys: 4 }),
      alg: fc.constantFrom('ES256', 'EdDSA', 'HS256'),
    }, { requiredKeys: ['claims'] }).map((v) => JSON.stringify(v)),
    fc.constant('{"alg":"EdDSA"}'),
    fc.constant('{"claims":{"sub":"s"},"alg":"EdDSA"}'),
  )
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'), pathArb),
        // the routes as they are meant to be called, so the admin answers themselves are checked
        fc.constantFrom<[string, string]>(['GET', '/admin/keys'], ['POST', '/admin/sign'], ['POST', '/admin/keys/rotate'],
          ['GET', '/.well-known/jwks.json'], ['GET', '/metrics']),
      ),
      fc.constantFrom<'none' | 'wrong' | 'right'>('none', 'wrong', 'right', 'right'),
      bodyArb,
      fc.option(fc.constantFrom('application/jwk-set+json', 'application/json', '*/*', 'text/html'), { nil: undefined }),
      async ([method, path], auth, body, accept) => {
        const headers: Record<string, string> = {}
        if (auth !== 'none') headers.authorization = auth === 'right' ? s.auth.authorization! : 'Bearer not-the-token-0123456789'
        if (accept) headers.accept = accept
        if (body !== undefined && method !== 'GET' && method !== 'HEAD') headers['content-type'] = 'application/json'
        const answer = await request(s.base, path, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body })
        assert.ok(answer.status < 500, `${method} ${path}: ${answer.status} ${answer.text}`)
        check(answer, path)
      },
    ),
    { numRuns: 300 },
  )
  // the property exercised the admin API with the token, including signing
  assert.ok(s.metrics.requests('/admin/keys', 200) > 0)
  assert.ok(s.metrics.requests('/admin/sign', 200) > 0)
})
