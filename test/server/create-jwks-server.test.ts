import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import type { Server } from 'node:http'
import { createJwksServer } from '../../src/server/create-jwks-server.ts'
import { createFakeManager, type FakeManager } from './fake-manager.ts'
import { close, listen, request } from './http-helpers.ts'

const TOKEN = 'test-admin-token-0123456789abcdef'
const JWKS = '/.well-known/jwks.json'
let manager: FakeManager
let server: Server
let base: string
let plainServer: Server
let plainBase: string

before(async () => {
  manager = createFakeManager()
  server = createJwksServer(manager, { issuer: 'https://issuer.example', adminToken: TOKEN, jitter: () => 0, maxBodyBytes: 1024, requestTimeoutMs: 400 })
  base = await listen(server)
  plainServer = createJwksServer(manager)
  plainBase = await listen(plainServer)
})
after(async () => {
  await close(server)
  await close(plainServer)
})

test('RFC 7517 §5: GET jwks.json answers the public set with a strong ETag over the bytes', async () => {
  const r = await request(base, JWKS)
  assert.equal(r.status, 200)
  assert.deepEqual(r.json(), manager.publicJwks())
  assert.equal(r.headers.etag, `"${createHash('sha256').update(r.body).digest('base64url')}"`)
  assert.equal(r.headers['content-type'], 'application/json')
  assert.equal(r.headers.vary, 'Accept')
  assert.equal(r.headers['access-control-allow-origin'], '*')
  assert.equal(r.headers['x-content-type-options'], 'nosniff')
  // max-age: min(jwksMaxAge 3600 s, prepublish/2 = 1 day) = 3600 with jitter 0
  assert.equal(r.headers['cache-control'], 'public, max-age=3600')
})

test('max-age never above half the pre-publication window, jittered down by at most 20 %', async () => {
  const m = createFakeManager({ prepublish: 600_000, jwksMaxAge: 3_600_000 })
  let i = 0
  const values = [0, 0.5, 0.999999]
  const s = createJwksServer(m, { jitter: () => values[i++ % 3]! })
  const b = await listen(s)
  try {
    const ages = []
    for (let n = 0; n < 3; n++) ages.push(Number(/max-age=(\d+)/.exec(String((await request(b, JWKS)).headers['cache-control']))![1]))
    assert.deepEqual(ages, [300, 270, 244]) // 16 precomputed steps: 0, 8/16, 15/16 of the 20 % spread
    for (const a of ages) assert.ok(a <= 300 && a > 240)
  } finally {
    await close(s)
  }
})

test('RFC 7517 §8.5.1: application/jwk-set+json when Accept asks for it', async () => {
  assert.equal((await request(base, JWKS, { headers: { accept: 'application/jwk-set+json' } })).headers['content-type'], 'application/jwk-set+json')
  assert.equal((await request(base, JWKS, { headers: { accept: 'application/json, application/jwk-set+json;q=0.5' } })).headers['content-type'], 'application/json')
  assert.equal((await request(base, JWKS, { headers: { accept: 'application/jwk-set+json;q=0' } })).headers['content-type'], 'application/json')
  assert.equal((await request(base, JWKS, { headers: { accept: 'text/html' } })).headers['content-type'], 'application/json')
})

test('HEAD carries the GET headers and no body', async () => {
  const g = await request(base, JWKS)
  const h = await request(base, JWKS, { method: 'HEAD' })
  assert.equal(h.status, 200)
  assert.equal(h.body.byteLength, 0)
  assert.equal(h.headers['content-length'], String(g.body.byteLength))
  assert.equal(h.headers.etag, g.headers.etag)
})

test('RFC 9110 §13.1.2: If-None-Match (weak comparison, lists, *) gives 304; a stale tag gives 200', async () => {
  const etag = (await request(base, JWKS)).headers.etag!
  for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
    const r = await request(base, JWKS, { headers: { 'if-none-match': inm } })
    assert.equal(r.status, 304, inm)
    assert.equal(r.body.byteLength, 0)
    assert.equal(r.headers.etag, etag)
    assert.match(String(r.headers['cache-control']), /^public, max-age=\d+$/)
  }
  assert.equal((await request(base, JWKS, { headers: { 'if-none-match': '"nope"' } })).status, 200)
})

test('a change of the set (onChange) changes bytes and ETag without a request reaching the store', async () => {
  const before = await request(base, JWKS)
  const callsBefore = manager.calls.length
  await manager.rotate()
  const afterRotate = await request(base, JWKS, { headers: { 'if-none-match': before.headers.etag! } })
  assert.equal(afterRotate.status, 200)
  assert.notEqual(afterRotate.headers.etag, before.headers.etag)
  assert.deepEqual(afterRotate.json(), manager.publicJwks())
  assert.deepEqual(manager.calls.slice(callsBefore), ['rotate'])
})

test('CORS preflight: OPTIONS on public routes', async () => {
  const r = await request(base, JWKS, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } })
  assert.equal(r.status, 204)
  assert.equal(r.headers['access-control-allow-origin'], '*')
  assert.match(String(r.headers['access-control-allow-methods']), /GET/)
})

test('discovery documents: issuer, jwks_uri, signing algorithms, and nothing untrue', async () => {
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const r = await request(base, path)
    assert.equal(r.status, 200)
    assert.deepEqual(r.json(), {
      issuer: 'https://issuer.example',
      jwks_uri: 'https://issuer.example/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['ES256'],
    })
    assert.equal(r.headers['access-control-allow-origin'], '*')
  }
})

test('issuer defaults to http://localhost:<bound port>', async () => {
  const port = new URL(plainBase).port
  const r = await request(plainBase, '/.well-known/openid-configuration')
  assert.equal(r.json().issuer, `http://localhost:${port}`)
})

test('healthz, readyz (503 degraded while the store is unreachable, JWKS still served), metrics', async () => {
  assert.deepEqual((await request(base, '/healthz')).json(), { status: 'ok' })
  assert.equal((await request(base, '/readyz')).status, 200)
  manager.setReachable(false)
  try {
    const r = await request(base, '/readyz')
    assert.equal(r.status, 503)
    assert.equal(r.json().status, 'degraded')
    assert.equal((await request(base, JWKS)).status, 200)
    assert.match((await request(base, '/metrics')).text, /^jwkit_store_reachable 0$/m)
  } finally {
    manager.setReachable(true)
  }
  const m = await request(base, '/metrics')
  assert.equal(m.status, 200)
  assert.match(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/)
  assert.match(m.text, /^jwkit_http_requests_total\{route="\/\.well-known\/jwks\.json",status="200"\} [1-9]\d*$/m)
  assert.match(m.text, /^jwkit_http_requests_total\{route="\/readyz",status="503"\} 1$/m)
  assert.match(m.text, /^jwkit_key_rotations_total \d+$/m)
  assert.match(m.text, /^jwkit_key_age_seconds\{kid="[^"]+",alg="ES256",state="active"\} [\d.]+$/m)
})

test('unknown paths 404, wrong methods 405 with Allow, JSON error bodies with the code', async () => {
  const nf = await request(base, '/nope')
  assert.equal(nf.status, 404)
  assert.equal(nf.json().error.code, 'ERR_HTTP_NOT_FOUND')
  assert.equal((await request(base, JWKS + '/')).status, 404)
  assert.equal((await request(base, '/__proto__')).status, 404)
  const na = await request(base, JWKS, { method: 'POST', body: '{}' })
  assert.equal(na.status, 405)
  assert.equal(na.json().error.code, 'ERR_HTTP_METHOD_NOT_ALLOWED')
  assert.equal(na.headers.allow, 'GET, HEAD, OPTIONS')
  const nd = await request(base, '/healthz', { method: 'DELETE' })
  assert.equal(nd.status, 405)
  assert.equal(nd.headers.allow, 'GET, HEAD')
})

test('admin API without a configured token does not exist (404)', async () => {
  for (const [method, path] of [['GET', '/admin/keys'], ['POST', '/admin/keys/rotate'], ['POST', '/admin/sign']] as const) {
    const r = await request(plainBase, path, { method, headers: { authorization: `Bearer ${TOKEN}` } })
    assert.equal(r.status, 404)
    assert.equal(r.json().error.code, 'ERR_HTTP_NOT_FOUND')
  }
})

const adminRoutes = (kid: string): Array<[string, string]> => [
  ['GET', '/admin/keys'], ['POST', '/admin/keys/rotate'], ['POST', `/admin/keys/${kid}/retire`],
  ['POST', `/admin/keys/${kid}/revoke`], ['POST', '/admin/sign'], ['GET', '/admin/nothing'], ['DELETE', '/admin/keys'],
]

test('RFC 6750 §3: every admin route answers 401 without, or with a wrong, bearer token; nothing about keys leaks', async () => {
  const kid = manager.keys()[0]!.kid
  const rotations = manager.status().rotations
  const wrong = [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer', `Bearer  ${TOKEN} extra`]
  for (const [method, path] of adminRoutes(kid)) {
    for (const authorization of wrong) {
      const r = await request(base, path, { method, headers: authorization ? { authorization } : {}, body: method === 'POST' ? '{"claims":{}}' : undefined })
      assert.equal(r.status, 401, `${method} ${path} ${authorization}`)
      assert.equal(r.json().error.code, 'ERR_HTTP_UNAUTHORIZED')
      assert.match(String(r.headers['www-authenticate']), /^Bearer realm=/)
      assert.equal(r.headers['cache-control'], 'no-store')
      assert.ok(!r.text.includes(kid))
    }
  }
  assert.equal(manager.status().rotations, rotations)
})

test('admin API with the token: list, rotate, retire, revoke, sign', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` }
  const list = await request(base, '/admin/keys', { headers: auth })
  assert.equal(list.status, 200)
  assert.equal(list.headers['cache-control'], 'no-store')
  const keys = list.json().keys as Array<Record<string, unknown>>
  assert.ok(keys.length >= 2)
  for (const k of keys) assert.deepEqual(Object.keys(k).sort(), ['activateAt', 'activatedAt', 'alg', 'createdAt', 'kid', 'publicJwk', 'publishedAt', 'removedAt', 'retiredAt', 'state'])

  const rotated = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth })
  assert.equal(rotated.status, 200)
  const active = rotated.json().active[0].kid as string
  assert.equal(manager.keys().find((k) => k.state === 'active')!.kid, active)

  const signed = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: JSON.stringify({ claims: { sub: 'alice' }, expiresIn: '5m' }) })
  assert.equal(signed.status, 200)
  assert.equal(signed.json().kid, active)
  assert.equal(JSON.parse(Buffer.from(signed.json().token.split('.')[1], 'base64url').toString()).iss, 'https://issuer.example')

  const retired = await request(base, `/admin/keys/${encodeURIComponent(active)}/retire`, { method: 'POST', headers: auth })
  assert.equal(retired.status, 200)
  assert.equal(retired.json().key.state, 'retired')
  const revoked = await request(base, `/admin/keys/${active}/revoke`, { method: 'POST', headers: auth })
  assert.equal(revoked.json().key.state, 'revoked')
  assert.ok(!(await request(base, JWKS)).text.includes(active))

  const missing = await request(base, '/admin/keys/unknown-kid/retire', { method: 'POST', headers: auth })
  assert.equal(missing.status, 404)
  assert.equal(missing.json().error.code, 'ERR_STORE_NOT_FOUND')
  const badPct = await request(base, '/admin/keys/%E0%A4%A/retire', { method: 'POST', headers: auth })
  assert.equal(badPct.json().error.code, 'ERR_HTTP_BAD_REQUEST')
  const wrongMethod = await request(base, '/admin/keys', { method: 'POST', headers: auth })
  assert.equal(wrongMethod.status, 405)
  assert.equal(wrongMethod.headers.allow, 'GET, HEAD')
  // RFC 9110 §9.3.2: HEAD answers as GET would, without the body.
  const head = await request(base, '/admin/keys', { method: 'HEAD', headers: auth })
  assert.equal(head.status, 200)
  assert.equal(head.body.byteLength, 0)
  const again = await request(base, '/admin/keys', { headers: auth })
  assert.equal(head.headers['content-length'], String(again.body.byteLength))
})

test('admin rotate body: now and add are booleans passed on; unknown members are refused', async () => {
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
  const before = manager.rotateOptions.length
  for (const body of ['{"force":true}', '{"now":"yes"}', '{"add":true}', '{"alg":"ES256","now":1}']) {
    const r = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth, body })
    assert.equal(r.status, 400, body)
    assert.equal(r.json().error.code, 'ERR_HTTP_BAD_REQUEST')
  }
  assert.equal(manager.rotateOptions.length, before) // nothing reached the manager
  const r = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth, body: '{"now":true}' })
  assert.equal(r.status, 200)
  assert.deepEqual(manager.rotateOptions.at(-1), { now: true, add: false })
  assert.equal(r.json().rotations[0].outcome, 'activated')
})

test('admin request bodies: bounded (413), strict JSON (400), checked members', async () => {
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
  const big = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: JSON.stringify({ claims: { x: 'a'.repeat(2000) } }) })
  assert.equal(big.status, 413)
  assert.equal(big.json().error.code, 'ERR_HTTP_BODY_TOO_LARGE')
  const cases: Array<[string, string]> = [
    ['{"claims":{}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"claims":{}}', 'ERR_HTTP_BAD_REQUEST'],
    ['[]', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":[]}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"expiresIn":-1}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"audience":[1]}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"surprise":1}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{"iss":"https://other.example"}}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"expiresIn":0}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"expiresIn":"0"}', 'ERR_HTTP_BAD_REQUEST'], // as 0 is
    ['{"claims":{},"expiresIn":"0m"}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{"n":1e400}}', 'ERR_HTTP_BAD_REQUEST'], // would become null in the token
    ['{"claims":{"a":{"b":[-1e999]}}}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"typ":"not a media type"}', 'ERR_HTTP_BAD_REQUEST'],
    ['{"claims":{},"typ":"JWT\\u0000"}', 'ERR_HTTP_BAD_REQUEST'],
  ]
  for (const [body, code] of cases) {
    const r = await request(base, '/admin/sign', { method: 'POST', headers: auth, body })
    assert.equal(r.status, 400, body)
    assert.equal(r.json().error.code, code, body)
  }
})

test('a declared Content-Length over the bound is refused at once (413, connection closed)', async () => {
  const { port } = new URL(base)
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(
      `POST /admin/sign HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    ))
    let data = ''
    socket.on('data', (d) => { data += d.toString() })
    socket.on('close', () => resolve(data))
    socket.on('error', reject)
  })
  assert.match(answer, /^HTTP\/1\.1 413 /)
  assert.match(answer, /ERR_HTTP_BODY_TOO_LARGE/)
  assert.match(answer, /\r\nConnection: close\r\n/i)
})

test('failures: a JwkitError maps to its HTTP status; anything else is a 500 without details', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` }
  manager.failNext('signJwt', new Error('secret detail /home/x'))
  const r = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: '{"claims":{}}' })
  assert.equal(r.status, 500)
  assert.deepEqual(r.json(), { error: { code: 'ERR_HTTP_INTERNAL', message: 'internal error' } })
  assert.ok(!r.text.includes('secret detail') && !r.text.includes(' at '))
  const { JwkitError } = await import('../../src/errors.ts')
  manager.failNext('rotate', new JwkitError('ERR_STORE_UNAVAILABLE', 'the store cannot be reached'))
  const u = await request(base, '/admin/keys/rotate', { method: 'POST', headers: auth })
  assert.equal(u.status, 503)
  assert.equal(u.json().error.code, 'ERR_STORE_UNAVAILABLE')
})

test('slow clients are cut off (requestTimeout)', async () => {
  const { port } = new URL(base)
  const started = Date.now()
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'))
    let data = ''
    socket.on('data', (d) => { data += d.toString() })
    socket.on('close', () => resolve(data))
    socket.on('error', reject)
  })
  assert.match(answer, /^HTTP\/1\.1 408/)
  assert.ok(Date.now() - started < 3000)
})

test('createJwksServer refuses a short admin token and a bad issuer with ERR_CONFIG_INVALID', () => {
  assert.throws(() => createJwksServer(manager, { adminToken: 'short' }), { code: 'ERR_CONFIG_INVALID' })
  assert.throws(() => createJwksServer(manager, { issuer: 'https://x.example/?q=1' }), { code: 'ERR_CONFIG_INVALID' })
  assert.throws(() => createJwksServer(manager, { issuer: 'not a url' }), { code: 'ERR_CONFIG_INVALID' })
})

test('admin input: a 15,000-character kid is refused without being echoed; a long unknown kid is cut in the message', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` }
  const kid = 'k'.repeat(15_000)
  const r = await request(base, `/admin/keys/${kid}/retire`, { method: 'POST', headers: auth })
  assert.equal(r.status, 400)
  assert.ok(r.text.length < 300 && !r.text.includes('k'.repeat(100)), r.text.slice(0, 200))
  const typ = await request(base, '/admin/sign', { method: 'POST', headers: auth, body: '{"claims":{},"typ":"at+jwt"}' })
  assert.equal(typ.status, 200)
})
