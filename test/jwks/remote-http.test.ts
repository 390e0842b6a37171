// The bounded HTTP GET under the remote JWK Set source: deadline, redirects, size cap, validators.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkRequestHeaders, fetchBounded, type BoundedFetchOptions } from '../../src/jwks/http-fetch.ts'
import { startServer } from './http-server.ts'

const server = await startServer()
after(() => server.close())

const base: BoundedFetchOptions = { timeoutMs: 2_000, maxResponseBytes: 1024, accept: 'application/json', what: 'JWK Set' }
const get = (path: string, extra: Partial<BoundedFetchOptions> = {}) => fetchBounded(new URL(server.url(path)), { ...base, ...extra })

test('200: body read, request carries accept and no cookie; redirect mode is manual', async () => {
  server.handle(() => ({ body: { keys: [] }, headers: { 'set-cookie': 'a=b' } }))
  const before = server.count()
  const r = await get('/ok', { headers: { authorization: 'Bearer x' } })
  assert.equal(r.status, 200)
  assert.deepEqual(JSON.parse(new TextDecoder().decode(r.body)), { keys: [] })
  assert.equal(server.count() - before, 1)
  const seen = server.requests.at(-1)!
  assert.equal(seen.headers.accept, 'application/json')
  assert.equal(seen.headers.authorization, 'Bearer x')
  assert.equal(seen.headers.cookie, undefined)
  // Second request: the set-cookie of the first is not replayed.
  await get('/ok')
  assert.equal(server.requests.at(-1)!.headers.cookie, undefined)
})

test('caller headers: cookie refused (TypeError), names lowercased', () => {
  assert.throws(() => checkRequestHeaders({ Cookie: 'a=b' }), TypeError)
  assert.throws(() => checkRequestHeaders({ x: 1 }), TypeError)
  assert.deepEqual(checkRequestHeaders({ 'X-Api-Key': 'k' }), { 'x-api-key': 'k' })
})

test('conditional request: If-None-Match (preferred) or If-Modified-Since; 304 has no body', async () => {
  server.handle((req) => (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] ? { status: 304 } : { body: { keys: [] } }))
  const a = await get('/c', { etag: '"v1"', lastModified: 'Sun, 06 Nov 1994 08:49:37 GMT' })
  assert.equal(a.status, 304)
  assert.equal(a.body, undefined)
  assert.equal(server.requests.at(-1)!.headers['if-modified-since'], undefined) // RFC 9110 §13.1.3
  const b = await get('/c', { lastModified: 'Sun, 06 Nov 1994 08:49:37 GMT' })
  assert.equal(b.status, 304)
  // A 304 without a conditional request is not a success.
  server.handle(() => ({ status: 304 }))
  await assert.rejects(get('/c'), { code: 'ERR_JWKS_FETCH_FAILED' })
})

test('HTTP statuses other than 200 are ERR_JWKS_FETCH_FAILED with detail.status', async () => {
  for (const status of [404, 500, 503, 204, 201]) {
    server.handle(() => ({ status, body: 'x' }))
    await assert.rejects(get('/s'), (e: { code: string; detail: { status: number } }) => e.code === 'ERR_JWKS_FETCH_FAILED' && e.detail.status === status)
  }
})

test('timeout: a slow header or a slow body is ERR_JWKS_TIMEOUT within timeoutMs', async () => {
  server.handle(() => ({ delayMs: 2_000, body: '{}' }))
  let t = Date.now()
  await assert.rejects(get('/slow', { timeoutMs: 100 }), { code: 'ERR_JWKS_TIMEOUT' })
  assert.ok(Date.now() - t < 1_500)
  server.handle(() => ({ bodyDelayMs: 2_000, body: '{}' }))
  t = Date.now()
  await assert.rejects(get('/slow-body', { timeoutMs: 100 }), { code: 'ERR_JWKS_TIMEOUT' })
  assert.ok(Date.now() - t < 1_500)
})

test('a custom fetch that ignores the signal still times out', async () => {
  const never = () => new Promise<Response>(() => undefined)
  await assert.rejects(fetchBounded(new URL('https://op.example/jwks'), { ...base, timeoutMs: 50, fetch: never }), { code: 'ERR_JWKS_TIMEOUT' })
})

test('body size: Content-Length over the cap, and a streamed body over the cap, are ERR_JWKS_RESPONSE_TOO_LARGE', async () => {
  server.handle(() => ({ body: 'x'.repeat(2_000) }))
  await assert.rejects(get('/big'), { code: 'ERR_JWKS_RESPONSE_TOO_LARGE' })
  // Chunked, no Content-Length: the reader stops as soon as the cap is passed.
  const raw = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    let sent = 0
    const pump = () => {
      while (sent < 64 * 1024) {
        sent += 512
        if (!res.write('x'.repeat(512))) return res.once('drain', pump)
      }
      res.end()
    }
    pump()
  })
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r))
  try {
    const url = new URL(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/stream`)
    await assert.rejects(fetchBounded(url, base), { code: 'ERR_JWKS_RESPONSE_TOO_LARGE' })
    // At exactly the cap it is accepted.
    server.handle(() => ({ body: 'y'.repeat(1024) }))
    assert.equal((await get('/exact')).body!.byteLength, 1024)
  } finally {
    raw.closeAllConnections()
    await new Promise<void>((r) => raw.close(() => r()))
  }
})

test('redirects: refused unless allowed; each hop under the URL policy; bounded count', async () => {
  server.handle((req) => (req.path === '/from' ? { status: 302, headers: { location: '/to' } } : req.path === '/to' ? { body: { keys: [] } } : { status: 404 }))
  await assert.rejects(get('/from'), (e: { code: string; detail: { status: number } }) => e.code === 'ERR_JWKS_URL_NOT_ALLOWED' && e.detail.status === 302)
  const before = server.count('/to')
  const r = await get('/from', { allowRedirects: true })
  assert.equal(r.status, 200)
  assert.equal(r.url.pathname, '/to')
  assert.equal(server.count('/to') - before, 1)
  // A redirect to plain http on a non-loopback host is refused before any request is made.
  let calls = 0
  const fake = async (url: string) => {
    calls++
    return url.endsWith('/a') ? new Response(null, { status: 301, headers: { location: 'http://evil.example/jwks' } }) : new Response('{}')
  }
  await assert.rejects(
    fetchBounded(new URL('https://op.example/a'), { ...base, allowRedirects: 3, fetch: fake }),
    { code: 'ERR_JWKS_URL_NOT_ALLOWED' },
  )
  assert.equal(calls, 1)
  // A loop stops at the limit.
  server.handle(() => ({ status: 307, headers: { location: '/loop' } }))
  const loopBefore = server.count('/loop')
  await assert.rejects(get('/loop', { allowRedirects: 2 }), { code: 'ERR_JWKS_URL_NOT_ALLOWED' })
  assert.equal(server.count('/loop') - loopBefore, 3)
})

test('redirects: caller headers go to the configured origin only; another origin never sees them, nor a hop back', async () => {
  const other = await startServer((req) =>
    req.path === '/back' ? { status: 302, headers: { location: server.url('/home') } } : { body: { keys: [] } })
  try {
    server.handle((req) =>
      req.path === '/same' ? { status: 302, headers: { location: '/home' } }
        : req.path === '/away' ? { status: 307, headers: { location: other.url('/jwks') } }
          : req.path === '/bounce' ? { status: 302, headers: { location: other.url('/back') } }
            : { body: { keys: [] } })
    const secrets = { headers: { authorization: 'Bearer s3cret', 'x-api-key': 'k3y' }, allowRedirects: 3, etag: '"v1"' }
    // Same origin, another path: the headers follow.
    await get('/same', secrets)
    assert.equal(server.requests.at(-1)!.path, '/home')
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer s3cret')
    assert.equal(server.requests.at(-1)!.headers['x-api-key'], 'k3y')
    // Another origin (same host, another port): none of the caller's headers, accept and validators still sent.
    await get('/away', secrets)
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer s3cret')
    const seen = other.requests.at(-1)!
    assert.equal(seen.path, '/jwks')
    assert.equal(seen.headers.authorization, undefined)
    assert.equal(seen.headers['x-api-key'], undefined)
    assert.equal(seen.headers.cookie, undefined)
    assert.equal(seen.headers.accept, 'application/json')
    assert.equal(seen.headers['if-none-match'], '"v1"')
    // Away and back: the hop back to the configured origin is steered by the other one, so it goes bare too.
    await get('/bounce', secrets)
    assert.equal(other.requests.at(-1)!.headers.authorization, undefined)
    const back = server.requests.at(-1)!
    assert.equal(back.path, '/home')
    assert.equal(back.headers.authorization, undefined)
    assert.equal(back.headers['x-api-key'], undefined)
  } finally {
    await other.close()
  }
})

test('connection refused is ERR_JWKS_FETCH_FAILED', async () => {
  const s = await startServer()
  const url = new URL(s.url('/gone'))
  await s.close()
  await assert.rejects(fetchBounded(url, base), { code: 'ERR_JWKS_FETCH_FAILED' })
})
