/**
 * CORS (Fetch standard) through the core, no socket: the JWK Set and the discovery documents are
 * readable from any origin without credentials (ETag exposed), their preflight is answered 204
 * for GET and HEAD, no answer varies by Origin; the admin API, health, metrics and the page carry
 * no Access-Control-* field, and a cross-origin preflight to the admin API is refused.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { CoreAnswer, CoreRequest, CoreResponse } from '../../src/server/core.ts'
import { createKeyServerCore } from '../../src/server/key-server-core.ts'
import { pageAssetsFrom } from '../../src/server/page-assets.ts'
import { createFakeManager } from './fake-manager.ts'

const TOKEN = 'test-admin-token-0123456789abcdef'
const ORIGIN = 'https://workbench.example'
const PUBLIC = ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']

function req(method: string, path: string, headers: Record<string, string> = {}): CoreRequest {
  return { method, path, header: (name) => headers[name], body: async () => new Uint8Array() }
}
const answer = async (a: CoreAnswer): Promise<CoreResponse> => a
const corsFields = (r: CoreResponse) => Object.keys(r.headers).filter((name) => /^access-control-/i.test(name))
const preflight = (method = 'GET', headers = 'if-none-match') => ({ origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers })

function setup(issuer = 'https://issuer.example') {
  const page = pageAssetsFrom({ 'index.html': '<!doctype html>', 'dashboard.html': '<!doctype html>' })
  return createKeyServerCore(createFakeManager(), { ...(issuer ? { issuer } : {}), adminToken: TOKEN, jitter: () => 0, page })
}

test('CORS: the JWK Set and discovery answers (200, 304, HEAD) allow any origin, no credentials, expose ETag', async () => {
  const core = setup()
  for (const path of PUBLIC) {
    const get = await answer(core.handle(req('GET', path, { origin: ORIGIN })))
    assert.equal(get.status, 200, path)
    assert.equal(get.headers['Access-Control-Allow-Origin'], '*', path)
    assert.equal(get.headers['Access-Control-Allow-Credentials'], undefined)
    const head = await answer(core.handle(req('HEAD', path, { origin: ORIGIN })))
    assert.equal(head.headers['Access-Control-Allow-Origin'], '*', path)
  }
  const jwks = await answer(core.handle(req('GET', PUBLIC[0]!)))
  assert.equal(jwks.headers['Access-Control-Expose-Headers'], 'ETag') // Cache-Control is safelisted already
  const notModified = await answer(core.handle(req('GET', PUBLIC[0]!, { origin: ORIGIN, 'if-none-match': jwks.headers.ETag! })))
  assert.equal(notModified.status, 304)
  assert.equal(notModified.headers['Access-Control-Allow-Origin'], '*')
  assert.equal(notModified.headers['Access-Control-Expose-Headers'], 'ETag')
  core.close()
})

test('CORS: no answer varies by Origin (the same fields with, without or with another Origin; no Vary: Origin)', async () => {
  const core = setup()
  for (const path of PUBLIC) {
    for (const method of ['GET', 'OPTIONS']) {
      const extra = method === 'OPTIONS' ? preflight() : {}
      const plain = await answer(core.handle(req(method, path, method === 'OPTIONS' ? { 'access-control-request-method': 'GET' } : {})))
      const a = await answer(core.handle(req(method, path, { ...extra, origin: ORIGIN })))
      const b = await answer(core.handle(req(method, path, { ...extra, origin: 'http://localhost:5173' })))
      assert.deepEqual(a.headers, plain.headers, `${method} ${path}`)
      assert.deepEqual(b.headers, plain.headers, `${method} ${path}`)
      assert.doesNotMatch(String(a.headers.Vary ?? ''), /origin/i)
    }
  }
  core.close()
})

test('CORS preflight on the public routes: 204, GET and HEAD, the revalidation fields, a max-age, no body', async () => {
  const core = setup()
  for (const path of PUBLIC) {
    const r = await answer(core.handle(req('OPTIONS', path, preflight())))
    assert.equal(r.status, 204, path)
    assert.equal(r.body, undefined)
    assert.equal(r.headers['Access-Control-Allow-Origin'], '*')
    assert.equal(r.headers['Access-Control-Allow-Methods'], 'GET, HEAD')
    assert.match(r.headers['Access-Control-Allow-Headers']!, /(^|, )If-None-Match(,|$)/)
    assert.match(r.headers['Access-Control-Allow-Headers']!, /(^|, )Accept(,|$)/)
    assert.doesNotMatch(r.headers['Access-Control-Allow-Headers']!, /authorization/i)
    assert.ok(Number(r.headers['Access-Control-Max-Age']) > 0)
    assert.equal(r.headers['Access-Control-Allow-Credentials'], undefined)
    assert.equal(r.headers.Allow, 'GET, HEAD, OPTIONS')
  }
  // refusals of those routes stay readable cross-origin: a page sees 405 or 404, not a network error
  const post = await answer(core.handle(req('POST', PUBLIC[0]!, { origin: ORIGIN })))
  assert.deepEqual([post.status, post.headers['Access-Control-Allow-Origin']], [405, '*'])
  const early = setup('') // no issuer yet
  const unknown = await answer(early.handle(req('GET', PUBLIC[1]!, { origin: ORIGIN })))
  assert.deepEqual([unknown.status, unknown.headers['Access-Control-Allow-Origin']], [404, '*'])
  core.close()
  early.close()
})

test('CORS never on the admin API: a cross-origin preflight is refused without any Access-Control-* field, with or without the API', async () => {
  const core = setup()
  const off = createKeyServerCore(createFakeManager(), { issuer: 'https://issuer.example', page: false })
  for (const c of [core, off]) {
    for (const [method, path] of [['POST', '/admin/keys/rotate'], ['GET', '/admin/keys'], ['POST', '/admin/sign'], ['POST', '/admin/keys/x/retire'], ['GET', '/admin']]) {
      const r = await answer(c.handle(req('OPTIONS', path!, preflight(method, 'authorization, content-type'))))
      assert.ok(r.status >= 400, `${method} ${path}: ${r.status}`)
      assert.deepEqual(corsFields(r), [], `${method} ${path}`)
    }
  }
  // an OPTIONS carrying the token (no browser sends one in a preflight) is a 405, still without CORS
  const withToken = await answer(core.handle(req('OPTIONS', '/admin/keys', { ...preflight(), authorization: `Bearer ${TOKEN}` })))
  assert.equal(withToken.status, 405)
  assert.deepEqual(corsFields(withToken), [])
  // and a cross-origin GET with the token is answered, but not readable by the other origin
  const read = await answer(core.handle(req('GET', '/admin/keys', { origin: ORIGIN, authorization: `Bearer ${TOKEN}` })))
  assert.equal(read.status, 200)
  assert.deepEqual(corsFields(read), [])
  core.close()
  off.close()
})

test('CORS never on health, readiness, metrics, the page or unknown paths; their OPTIONS is 405 or 404', async () => {
  const core = setup()
  for (const path of ['/healthz', '/readyz', '/metrics', '/', '/dashboard', '/nope']) {
    const get = await answer(core.handle(req('GET', path, { origin: ORIGIN })))
    assert.deepEqual(corsFields(get), [], path)
    const options = await answer(core.handle(req('OPTIONS', path, preflight())))
    assert.ok(options.status === 405 || options.status === 404, `${path}: ${options.status}`)
    assert.deepEqual(corsFields(options), [], path)
  }
  core.close()
})
