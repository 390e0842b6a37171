/**
 * The page routes as core routes (no socket): documents and hashed assets from memory, strong
 * ETags and 304s (RFC 9110 §13.1.2), the CSP and referrer policy, 405 with Allow, the "not built"
 * answer; and through a listening createJwksServer: the hook, HEAD, metrics labels, page: false.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPageRoutes, contentSecurityPolicy, isPagePath } from '../../src/server/page-routes.ts'
import { IMMUTABLE, pageAssetsFrom, REVALIDATE, strongEtag } from '../../src/server/page-assets.ts'
import type { CoreRequest } from '../../src/server/core.ts'
import { createJwksServer } from '../../src/server/create-jwks-server.ts'
import { createServerMetrics } from '../../src/server/metrics.ts'
import { createFakeManager } from './fake-manager.ts'
import { close, listen, request } from './http-helpers.ts'

const assets = pageAssetsFrom({
  'index.html': '<!doctype html><title>wb</title>',
  'dashboard.html': '<!doctype html><title>db</title>',
  'assets/workbench-ABC.js': 'console.log(1)',
  'assets/style-DEF.css': 'body{}',
  'assets/notes.exe': 'MZ',
})
const req = (path: string, method = 'GET', headers: Record<string, string> = {}): CoreRequest => ({ method, path, header: (n) => headers[n], body: async () => new Uint8Array() })
const route = createPageRoutes(assets)

test('documents: the workbench at / and the dashboard at /dashboard, with CSP, no referrer, no framing, revalidated', () => {
  const wb = route(req('/'))!
  assert.equal(wb.status, 200)
  assert.equal(new TextDecoder().decode(wb.body), '<!doctype html><title>wb</title>')
  assert.equal(wb.headers['Content-Type'], 'text/html; charset=utf-8')
  assert.equal(wb.headers['Cache-Control'], REVALIDATE)
  assert.equal(wb.headers['Referrer-Policy'], 'no-referrer')
  assert.equal(wb.headers['X-Frame-Options'], 'DENY')
  const csp = wb.headers['Content-Security-Policy']!
  assert.match(csp, /^default-src 'self'; script-src 'self'; style-src 'self';/)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|(^| )\*( |;|$)/, 'no inline script, no wildcard origin')
  assert.match(csp, /frame-ancestors 'none'/)
  const db = route(req('/dashboard'))!
  assert.equal(new TextDecoder().decode(db.body), '<!doctype html><title>db</title>')
  assert.match(db.headers['Content-Security-Policy']!, /connect-src 'self';/, 'the dashboard talks to its own origin only')
  assert.equal(db.label, '/dashboard')
  assert.equal(route(req('/index.html'))!.label, '/')
})

test('hashed assets: a year and immutable, a strong ETag of the bytes; If-None-Match gives 304 without a body', () => {
  const js = route(req('/assets/workbench-ABC.js'))!
  assert.equal(js.status, 200)
  assert.equal(js.headers['Cache-Control'], IMMUTABLE)
  assert.equal(js.headers['Content-Type'], 'text/javascript; charset=utf-8')
  assert.equal(js.headers.ETag, strongEtag(new TextEncoder().encode('console.log(1)')))
  assert.match(js.headers.ETag!, /^"[A-Za-z0-9_-]{32}"$/)
  assert.equal(js.headers['Content-Security-Policy'], undefined)
  const again = route(req('/assets/workbench-ABC.js', 'GET', { 'if-none-match': `W/"x", ${js.headers.ETag}` }))!
  assert.equal(again.status, 304)
  assert.equal(again.body, undefined)
  assert.equal(again.headers.ETag, js.headers.ETag)
  assert.equal(route(req('/assets/workbench-ABC.js', 'GET', { 'if-none-match': '"other"' }))!.status, 200)
  assert.equal(route(req('/assets/style-DEF.css'))!.headers['Content-Type'], 'text/css; charset=utf-8')
})

test('unknown assets and media types are 404; other methods 405 with Allow; other paths are not the page routes\'', () => {
  assert.equal(route(req('/assets/nothing.js'))!.status, 404)
  assert.equal(route(req('/assets/notes.exe'))!.status, 404, 'only known media types are served')
  assert.equal(route(req('/assets/../index.html'))!.status, 404)
  const post = route(req('/', 'POST'))!
  assert.equal(post.status, 405)
  assert.equal(post.headers.Allow, 'GET, HEAD')
  assert.equal(route(req('/.well-known/jwks.json')), undefined)
  assert.equal(route(req('/admin/keys')), undefined)
  assert.equal(route(req('/dashboard/')), undefined)
  assert.ok(isPagePath('/') && isPagePath('/assets/x') && !isPagePath('/healthz'))
})

test('without a built page the documents answer 404 saying how to build it', () => {
  const none = createPageRoutes(undefined)(req('/'))!
  assert.equal(none.status, 404)
  assert.match(new TextDecoder().decode(none.body), /npm run build:web/)
})

test('contentSecurityPolicy names its connect-src', () => {
  assert.match(contentSecurityPolicy("'self'"), /connect-src 'self';/)
})

test('createJwksServer serves the page routes through the node:http adapter (GET, HEAD, 304, metrics), and none with page: false', async () => {
  const metrics = createServerMetrics()
  const server = createJwksServer(createFakeManager(), { page: assets, metrics })
  const base = await listen(server)
  try {
    const get = await request(base, '/dashboard')
    assert.equal(get.status, 200)
    assert.equal(get.text, '<!doctype html><title>db</title>')
    assert.equal(get.headers['content-length'], String(get.body.byteLength))
    assert.equal(get.headers['referrer-policy'], 'no-referrer')
    const head = await request(base, '/dashboard', { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.body.byteLength, 0)
    assert.equal(head.headers['content-length'], get.headers['content-length'])
    const cached = await request(base, '/dashboard', { headers: { 'if-none-match': String(get.headers.etag) } })
    assert.equal(cached.status, 304)
    assert.equal(cached.body.byteLength, 0)
    assert.equal(metrics.requests('/dashboard', 200), 2)
    assert.equal(metrics.requests('/dashboard', 304), 1)
    // the other routes are untouched
    assert.equal((await request(base, '/.well-known/jwks.json')).status, 200)
    assert.equal((await request(base, '/healthz')).status, 200)
  } finally {
    await close(server)
  }
  const bare = createJwksServer(createFakeManager(), { page: false })
  const bareBase = await listen(bare)
  try {
    assert.equal((await request(bareBase, '/')).status, 404)
    assert.equal((await request(bareBase, '/dashboard')).headers['content-type'], 'application/json')
  } finally {
    await close(bare)
  }
})
