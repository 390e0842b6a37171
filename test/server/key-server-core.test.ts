/**
 * Every route of the key server through the request → response core, called directly — no port,
 * no socket: the JWK Set (ETag, 304, HEAD, negotiation, precomputed wire fields), discovery,
 * health, readiness, metrics, the admin API's refusals and actions (bodies through the request's
 * body reader), 404 and 405 with Allow, failures, aborted requests.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { ConnectionGone, type CoreAnswer, type CoreRequest, type CoreResponse } from '../../src/server/core.ts'
import { JwkitError } from '../../src/errors.ts'
import { createKeyServerCore } from '../../src/server/key-server-core.ts'
import { createLogger } from '../../src/server/logger.ts'
import { createServerMetrics } from '../../src/server/metrics.ts'
import { pageAssetsFrom } from '../../src/server/page-assets.ts'
import { createFakeManager } from './fake-manager.ts'

const TOKEN = 'test-admin-token-0123456789abcdef'
const JWKS = '/.well-known/jwks.json'
const AUTH = { authorization: `Bearer ${TOKEN}` }

/** A request as a plain object; `body` is the request body, or an error its reader rejects with. */
function req(method: string, path: string, headers: Record<string, string> = {}, body: string | Error = ''): CoreRequest {
  return {
    method, path,
    header: (name) => headers[name],
    body: async (max) => {
      if (body instanceof Error) throw body
      const bytes = new TextEncoder().encode(body)
      if (bytes.byteLength > max) throw new JwkitError('ERR_HTTP_BODY_TOO_LARGE', `request body is over ${max} bytes`)
      return bytes
    },
  }
}

const text = (r: CoreResponse) => new TextDecoder().decode(r.body)
const json = (r: CoreResponse) => JSON.parse(text(r))
async function answer(a: CoreAnswer): Promise<CoreResponse> {
  return a
}
/** An answer that must be immediate (no body to read): the hot route's. */
function immediate(a: CoreAnswer): CoreResponse {
  assert.ok(!(a instanceof Promise))
  return a
}

function setup(options: Parameters<typeof createKeyServerCore>[1] = {}) {
  const manager = createFakeManager()
  const metrics = createServerMetrics()
  const lines: Array<{ level: string; msg: string }> = []
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) })
  const core = createKeyServerCore(manager, { issuer: 'https://issuer.example', adminToken: TOKEN, jitter: () => 0, page: false, metrics, logger, ...options })
  return { manager, metrics, core, lines }
}

test('core: GET jwks.json answers the public set at once (not a promise), with a strong ETag and precomputed wire fields', () => {
  const { core, manager, metrics } = setup()
  const r = immediate(core.handle(req('GET', JWKS)))
  assert.equal(r.status, 200)
  assert.deepEqual(json(r), manager.publicJwks())
  assert.equal(r.headers.ETag, `"${createHash('sha256').update(r.body!).digest('base64url')}"`)
  assert.equal(r.headers['Content-Type'], 'application/json')
  assert.equal(r.headers['Content-Length'], String(r.body!.byteLength))
  assert.equal(r.headers['Cache-Control'], 'public, max-age=3600')
  assert.equal(r.headers.Vary, 'Accept')
  // the flat list the adapter writes holds exactly the fields of the object
  assert.deepEqual(Object.fromEntries(Array.from({ length: r.wire!.length / 2 }, (_, i) => [r.wire![2 * i], r.wire![2 * i + 1]])), r.headers)
  assert.equal(r.label, JWKS)
  assert.equal(metrics.requests(JWKS, 200), 1)
  assert.equal(immediate(core.handle(req('GET', JWKS, { accept: 'application/jwk-set+json' }))).headers['Content-Type'], 'application/jwk-set+json')
  core.close()
})

test('core: jwks.json HEAD has the GET fields and no body; If-None-Match gives 304 with ETag, Cache-Control and Vary', async () => {
  const { core } = setup()
  const get = await answer(core.handle(req('GET', JWKS)))
  const head = await answer(core.handle(req('HEAD', JWKS)))
  assert.equal(head.status, 200)
  assert.equal(head.body, undefined)
  assert.deepEqual(head.headers, get.headers)
  for (const inm of [get.headers.ETag!, `W/${get.headers.ETag}`, `"x", ${get.headers.ETag}`, '*']) {
    const r = await answer(core.handle(req('GET', JWKS, { 'if-none-match': inm })))
    assert.equal(r.status, 304, inm)
    assert.equal(r.body, undefined)
    assert.equal(r.headers.ETag, get.headers.ETag)
    assert.equal(r.headers['Cache-Control'], get.headers['Cache-Control'])
    assert.equal(r.headers.Vary, 'Accept')
    assert.equal(r.headers['Content-Length'], undefined)
  }
  assert.equal((await answer(core.handle(req('GET', JWKS, { 'if-none-match': '"stale"' })))).status, 200)
  core.close()
})

test('core: discovery documents, before and after the issuer is known', async () => {
  const { core } = setup()
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const r = await answer(core.handle(req('GET', path)))
    assert.equal(r.status, 200)
    assert.deepEqual(json(r), { issuer: 'https://issuer.example', jwks_uri: 'https://issuer.example/.well-known/jwks.json', id_token_signing_alg_values_supported: ['ES256'] })
    assert.equal(r.headers['Content-Type'], 'application/json')
    assert.equal(r.headers['Cache-Control'], 'public, max-age=3600')
  }
  const later = setup({ issuer: undefined })
  const before = await answer(later.core.handle(req('GET', '/.well-known/openid-configuration')))
  assert.equal(before.status, 404)
  assert.equal(json(before).error.code, 'ERR_HTTP_NOT_FOUND')
  later.core.defaultIssuer('http://localhost:1234')
  later.core.defaultIssuer('http://localhost:9999') // the first one stays
  assert.equal(json(await answer(later.core.handle(req('GET', '/.well-known/openid-configuration')))).issuer, 'http://localhost:1234')
  core.close()
  later.core.close()
})

test('core: healthz, readyz (degraded, stopping), metrics counting every answer by template', async () => {
  let accepting = true
  const { core, manager } = setup({ accepting: () => accepting })
  assert.deepEqual(json(await answer(core.handle(req('GET', '/healthz')))), { status: 'ok' })
  assert.equal((await answer(core.handle(req('GET', '/readyz')))).status, 200)
  manager.setReachable(false)
  const degraded = await answer(core.handle(req('GET', '/readyz')))
  assert.deepEqual([degraded.status, json(degraded)], [503, { status: 'degraded', store: 'unreachable' }])
  manager.setReachable(true)
  accepting = false
  assert.deepEqual(json(await answer(core.handle(req('GET', '/readyz')))), { status: 'stopping' })
  await answer(core.handle(req('GET', '/nope')))
  const m = await answer(core.handle(req('GET', '/metrics')))
  assert.equal(m.status, 200)
  assert.match(m.headers['Content-Type']!, /^text\/plain; version=0\.0\.4/)
  assert.equal(m.headers['Cache-Control'], 'no-store')
  assert.match(text(m), /^jwkit_http_requests_total\{route="\/readyz",status="503"\} 2$/m)
  assert.match(text(m), /^jwkit_http_requests_total\{route="\/healthz",status="200"\} 1$/m)
  assert.match(text(m), /^jwkit_http_requests_total\{route="unmatched",status="404"\} 1$/m)
  core.close()
})

test('core: unknown paths 404, wrong methods 405 with Allow, HEAD of an error without a body', async () => {
  const { core } = setup()
  for (const path of ['/nope', JWKS + '/', '/__proto__', '/constructor']) {
    const r = await answer(core.handle(req('GET', path)))
    assert.equal(r.status, 404, path)
    assert.equal(json(r).error.code, 'ERR_HTTP_NOT_FOUND')
    assert.equal(r.label, 'unmatched')
  }
  const post = await answer(core.handle(req('POST', JWKS, {}, '{}')))
  assert.deepEqual([post.status, post.headers.Allow, json(post).error.code], [405, 'GET, HEAD, OPTIONS', 'ERR_HTTP_METHOD_NOT_ALLOWED'])
  assert.equal(post.label, JWKS)
  const del = await answer(core.handle(req('DELETE', '/healthz')))
  assert.deepEqual([del.status, del.headers.Allow], [405, 'GET, HEAD'])
  const head = await answer(core.handle(req('HEAD', '/nope')))
  assert.equal(head.status, 404)
  assert.equal(head.body, undefined)
  assert.ok(Number(head.headers['Content-Length']) > 0)
  core.close()
})

test('core: the admin API refuses without, or with a wrong, token (401 + challenge) before resolving; absent without a token (404)', async () => {
  const { core, manager } = setup()
  const kid = manager.keys()[0]!.kid
  const routes: Array<[string, string]> = [
    ['GET', '/admin/keys'], ['POST', '/admin/keys/rotate'], ['POST', `/admin/keys/${kid}/retire`],
    ['POST', `/admin/keys/${kid}/revoke`], ['POST', '/admin/sign'], ['GET', '/admin/nothing'], ['DELETE', '/admin/keys'], ['OPTIONS', '/admin/keys'],
  ]
  for (const [method, path] of routes) {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const r = await answer(core.handle(req(method, path, authorization ? { authorization } : {}, '{"claims":{}}')))
      assert.equal(r.status, 401, `${method} ${path} ${authorization}`)
      assert.equal(json(r).error.code, 'ERR_HTTP_UNAUTHORIZED')
      assert.equal(r.headers['WWW-Authenticate'], authorization ? 'Bearer realm="jwkit-admin", error="invalid_token"' : 'Bearer realm="jwkit-admin"')
      assert.equal(r.headers['Cache-Control'], 'no-store')
      assert.ok(!text(r).includes(kid))
    }
  }
  assert.equal((await answer(core.handle(req('GET', '/admin/nothing')))).label, '/admin/*')
  assert.deepEqual(manager.calls.filter((c) => c !== 'keys'), [])
  const off = setup({ adminToken: undefined })
  for (const [method, path] of routes) {
    const r = await answer(off.core.handle(req(method, path, AUTH)))
    assert.deepEqual([r.status, json(r).error.code], [404, 'ERR_HTTP_NOT_FOUND'], `${method} ${path}`)
  }
  core.close()
  off.core.close()
})

test('core: the admin API with the token: list, HEAD, 405, rotate and sign reading their bodies, 400 and 413 refusals', async () => {
  const { core, manager } = setup({ maxBodyBytes: 256 })
  const list = await answer(core.handle(req('GET', '/admin/keys', AUTH)))
  assert.equal(list.status, 200)
  assert.equal(list.headers['Cache-Control'], 'no-store')
  assert.ok(json(list).keys.length >= 2)
  const head = await answer(core.handle(req('HEAD', '/admin/keys', AUTH)))
  assert.deepEqual([head.status, head.body, head.headers['Content-Length']], [200, undefined, list.headers['Content-Length']])
  const wrong = await answer(core.handle(req('POST', '/admin/keys', AUTH)))
  assert.deepEqual([wrong.status, wrong.headers.Allow], [405, 'GET, HEAD'])

  const rotated = core.handle(req('POST', '/admin/keys/rotate', AUTH, '{"now":true}'))
  assert.ok(rotated instanceof Promise, 'a route that reads a body answers later')
  assert.equal((await rotated).status, 200)
  assert.deepEqual(manager.rotateOptions.at(-1), { now: true, add: false })
  const signed = await answer(core.handle(req('POST', '/admin/sign', AUTH, '{"claims":{"sub":"a"}}')))
  assert.equal(signed.status, 200)
  assert.equal(JSON.parse(Buffer.from(json(signed).token.split('.')[1], 'base64url').toString()).iss, 'https://issuer.example')

  const bad = await answer(core.handle(req('POST', '/admin/sign', AUTH, '{"claims":[]}')))
  assert.deepEqual([bad.status, json(bad).error.code], [400, 'ERR_HTTP_BAD_REQUEST'])
  const big = await answer(core.handle(req('POST', '/admin/sign', AUTH, JSON.stringify({ claims: { x: 'a'.repeat(300) } }))))
  assert.deepEqual([big.status, json(big).error.code, big.headers.Connection], [413, 'ERR_HTTP_BODY_TOO_LARGE', 'close'])
  const pct = await answer(core.handle(req('POST', '/admin/keys/%E0%A4%A/retire', AUTH)))
  assert.deepEqual([pct.status, json(pct).error.code], [400, 'ERR_HTTP_BAD_REQUEST'])
  const missing = await answer(core.handle(req('POST', '/admin/keys/unknown-kid/retire', AUTH)))
  assert.deepEqual([missing.status, json(missing).error.code, missing.label], [404, 'ERR_STORE_NOT_FOUND', '/admin/keys/{kid}/retire'])
  core.close()
})

test('core: failures map to their status (500 without details, logged); a vanished client is counted as aborted and rejected', async () => {
  const { core, manager, metrics, lines } = setup()
  manager.failNext('signJwt', new Error('secret detail /home/x'))
  const r = await answer(core.handle(req('POST', '/admin/sign', AUTH, '{"claims":{}}')))
  assert.equal(r.status, 500)
  assert.deepEqual(json(r), { error: { code: 'ERR_HTTP_INTERNAL', message: 'internal error' } })
  assert.ok(lines.some((l) => l.level === 'error' && l.msg === 'request failed'))
  manager.failNext('keys', new JwkitError('ERR_STORE_UNAVAILABLE', 'the store cannot be reached'))
  const u = await answer(core.handle(req('GET', '/admin/keys', AUTH)))
  assert.deepEqual([u.status, json(u).error.code], [503, 'ERR_STORE_UNAVAILABLE'])

  const before = lines.filter((l) => l.level === 'error').length
  await assert.rejects(answer(core.handle(req('POST', '/admin/sign', AUTH, new ConnectionGone('ECONNRESET')))), ConnectionGone)
  assert.equal(metrics.aborted('/admin/sign'), 1)
  assert.equal(metrics.requests('/admin/sign', 500), 1) // the earlier failure only
  assert.equal(lines.filter((l) => l.level === 'error').length, before)
  assert.ok(lines.some((l) => l.level === 'debug' && l.msg === 'request aborted before an answer'))
  core.close()
})

test('core: the page routes answer first (HEAD without a body), and none with page: false', async () => {
  const page = pageAssetsFrom({ 'index.html': '<!doctype html><title>wb</title>', 'dashboard.html': '<!doctype html>' })
  const { core, metrics } = setup({ page })
  const get = await answer(core.handle(req('GET', '/')))
  assert.deepEqual([get.status, text(get), get.headers['Content-Length']], [200, '<!doctype html><title>wb</title>', '32'])
  const head = await answer(core.handle(req('HEAD', '/')))
  assert.deepEqual([head.status, head.body, head.headers['Content-Length']], [200, undefined, '32'])
  assert.equal(metrics.requests('/', 200), 2)
  const none = setup({ page: false })
  assert.equal((await answer(none.core.handle(req('GET', '/')))).status, 404)
  assert.equal((await answer(none.core.handle(req('GET', JWKS)))).status, 200)
  core.close()
  none.core.close()
})
