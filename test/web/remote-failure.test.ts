/**
 * "Fetch and verify" failures said plainly, in Node against a loopback node:http server: a fetch
 * that behaves as a browser's (a cross-origin answer without Access-Control-Allow-Origin is a bare
 * TypeError; `no-cors` gets an opaque answer) tells a CORS refusal from a network error (a closed
 * port), both distinct from an HTTP status, a body that is no JWK Set, a timeout and a URL the
 * policy refuses; a signature failure is left as it is.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import * as jose from 'jose'
import { JwkitError } from '../../src/errors.ts'
import { diagnosingFetch, explainRemoteFailure, type FetchFn } from '../../src/web/logic/remote-failure.ts'
import { verifyWithRemote } from '../../src/web/logic/verify.ts'
import { close, listen } from '../server/http-helpers.ts'

const PAGE = 'http://127.0.0.1:1' // the page's origin: another port, so another origin
let server: Server
let base: string
let closedPort: string
let jwt: string
let jwks: string

before(async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true })
  jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] })
  jwt = await new jose.SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuedAt().setExpirationTime('5m').sign(privateKey)
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname
    const cors = path.startsWith('/cors/') ? { 'access-control-allow-origin': '*' } : {}
    const name = path.replace(/^\/cors/, '')
    if (name === '/jwks.json') res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(jwks)
    else if (name === '/junk') res.writeHead(200, { 'content-type': 'text/html', ...cors }).end('<html>not a set</html>')
    else if (name === '/.well-known/openid-configuration') res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify({ issuer: base + path.slice(0, path.indexOf('/.well-known')), jwks_uri: `${base}/cors/jwks.json` }))
    else res.writeHead(404, cors).end()
  })
  base = await listen(server)
  const spare = createServer()
  closedPort = await listen(spare)
  await close(spare) // nothing listens there now: connection refused
})
after(async () => { if (server) await close(server) })

/** Node's fetch as a browser page at PAGE sees it: CORS enforced for cors mode; no-cors is opaque. */
function browserFetch(calls: Array<{ url: string; mode: string | undefined; credentials: string | undefined }>): FetchFn {
  return async (url, init) => {
    calls.push({ url, mode: init.mode, credentials: init.credentials })
    const response = await fetch(url, { ...init, mode: undefined } as RequestInit)
    if (init.mode === 'no-cors') return new Response(null, { status: 200 }) // opaque: nothing readable
    const allowed = response.headers.get('access-control-allow-origin')
    if (new URL(url).origin !== PAGE && allowed !== '*' && allowed !== PAGE) {
      await response.body?.cancel()
      throw new TypeError('Failed to fetch')
    }
    return response
  }
}

test('a cross-origin answer without CORS headers: "the browser refused the response", after one no-cors probe', async () => {
  const calls: Array<{ url: string; mode: string | undefined; credentials: string | undefined }> = []
  const o = await verifyWithRemote(jwt, { url: `${base}/jwks.json` }, true, Date.now(), browserFetch(calls), PAGE)
  assert.equal(o.ok, false)
  assert.equal(o.reason, 'cors')
  assert.equal(o.code, 'ERR_JWKS_FETCH_FAILED')
  assert.match(o.message, new RegExp(`^The browser refused the response: ${base.replace(/[.]/g, '\\.')} does not allow cross-origin requests \\(CORS\\)\\.`))
  assert.match(o.message, /Access-Control-Allow-Origin/)
  assert.deepEqual(calls.map((c) => [c.mode, c.credentials]), [[undefined, 'omit'], ['no-cors', 'omit']], 'the request, then one no-cors probe, both without credentials')
  // the same set with Access-Control-Allow-Origin: * verifies, in one request
  calls.length = 0
  const ok = await verifyWithRemote(jwt, { url: `${base}/cors/jwks.json` }, true, Date.now(), browserFetch(calls), PAGE)
  assert.equal(ok.ok, true, ok.message)
  assert.equal(calls.length, 1)
})

test('through an issuer: the metadata URL that refused is named', async () => {
  const o = await verifyWithRemote(jwt, { issuer: base }, true, Date.now(), browserFetch([]), PAGE)
  assert.equal(o.reason, 'cors')
  assert.match(o.message, new RegExp(`It answered ${base.replace(/[.]/g, '\\.')}/\\.well-known/openid-configuration,`))
  const ok = await verifyWithRemote(jwt, { issuer: `${base}/cors` }, true, Date.now(), browserFetch([]), PAGE)
  assert.equal(ok.ok, true, ok.message)
})

test('a closed port is a network error, not CORS; the same origin is never probed', async () => {
  const calls: Array<{ url: string; mode: string | undefined; credentials: string | undefined }> = []
  const o = await verifyWithRemote(jwt, { url: `${closedPort}/jwks.json` }, true, Date.now(), browserFetch(calls), PAGE)
  assert.equal(o.reason, 'network')
  assert.match(o.message, /^Network error: the request to http:\/\/127\.0\.0\.1:\d+\/jwks\.json did not complete/)
  assert.doesNotMatch(o.message, /CORS/)
  assert.equal(calls.length, 2, 'probed: the probe failed too')
  calls.length = 0
  const same = await verifyWithRemote(jwt, { url: `${closedPort}/jwks.json` }, true, Date.now(), browserFetch(calls), closedPort)
  assert.equal(same.reason, 'network')
  assert.equal(calls.length, 1, 'no probe for the page\'s own origin')
})

test('an HTTP status, a body that is no JWK Set, a refused URL: each said as such', async () => {
  const missing = await verifyWithRemote(jwt, { url: `${base}/cors/nothing` }, true, Date.now(), browserFetch([]), PAGE)
  assert.equal(missing.reason, 'http-status')
  assert.match(missing.message, /^The server answered HTTP 404 /)
  const junk = await verifyWithRemote(jwt, { url: `${base}/cors/junk` }, true, Date.now(), browserFetch([]), PAGE)
  assert.equal(junk.reason, 'invalid')
  assert.match(junk.message, /^The server answered, but not with a usable JWK Set: /)
  const calls: Array<{ url: string; mode: string | undefined; credentials: string | undefined }> = []
  const plain = await verifyWithRemote(jwt, { url: 'http://example.com/jwks.json' }, true, Date.now(), browserFetch(calls), PAGE)
  assert.equal(plain.reason, 'not-allowed')
  assert.match(plain.message, /^Not fetched: .*plain http/)
  assert.equal(calls.length, 0)
})

test('explainRemoteFailure: timeouts, redirects (status 0), wrapped refetch failures; signature failures left alone', () => {
  const fetchFailed = new JwkitError('ERR_JWKS_FETCH_FAILED', 'fetching the JWK Set failed: the request did not complete', { cause: new TypeError('Failed to fetch') })
  assert.equal(explainRemoteFailure(fetchFailed, { url: 'https://a.example/jwks', kind: 'cors' }, 'https://page.example')!.reason, 'cors')
  assert.match(explainRemoteFailure(fetchFailed, { url: 'https://a.example/jwks', kind: 'cors' }, 'https://page.example')!.message, /admitting this page \(https:\/\/page\.example\)/)
  assert.equal(explainRemoteFailure(fetchFailed, { url: 'https://a.example/jwks', kind: 'network' }, undefined)!.reason, 'network')
  assert.equal(explainRemoteFailure(fetchFailed, undefined, undefined)!.reason, 'network', 'no diagnosis: still a failed request')
  const wrapped = new JwkitError('ERR_JWKS_NO_MATCHING_KEY', 'no key of the JWK Set has the token\'s kid, and refetching the set for it failed', { cause: fetchFailed })
  assert.equal(explainRemoteFailure(wrapped, { url: 'https://a.example/jwks', kind: 'cors' }, undefined)!.reason, 'cors')
  assert.equal(explainRemoteFailure(new JwkitError('ERR_JWKS_TIMEOUT', 'fetching the JWK Set took longer than 10000 ms'), undefined, undefined)!.reason, 'timeout')
  const redirect = explainRemoteFailure(new JwkitError('ERR_JWKS_FETCH_FAILED', 'fetching the JWK Set failed: HTTP status 0', { detail: { status: 0 } }), undefined, undefined)!
  assert.deepEqual([redirect.reason, /redirect/.test(redirect.message)], ['http-status', true])
  // an HTTP status wins over a stale diagnosis
  assert.equal(explainRemoteFailure(new JwkitError('ERR_JWKS_FETCH_FAILED', 'HTTP status 500', { detail: { status: 500 } }), { url: 'https://a.example', kind: 'cors' }, undefined)!.reason, 'http-status')
  assert.equal(explainRemoteFailure(new JwkitError('ERR_DISCOVERY_ISSUER_MISMATCH', 'discovery document: member issuer differs'), undefined, undefined)!.reason, 'discovery')
  assert.equal(explainRemoteFailure(new JwkitError('ERR_JWS_SIGNATURE_INVALID', 'bad'), undefined, undefined), undefined)
  assert.equal(explainRemoteFailure(new Error('x'), undefined, undefined), undefined)
})

test('diagnosingFetch probes only after a TypeError, and rethrows the error unchanged', async () => {
  let probes = 0
  const boom = new RangeError('not a transport failure')
  const d = diagnosingFetch(async (_url, init) => { if (init.mode === 'no-cors') probes++; throw boom }, PAGE)
  await assert.rejects(d.fetch('https://a.example/jwks', {}), (e) => e === boom)
  assert.equal(probes, 0)
  assert.equal(d.failure(), undefined)
  const t = new TypeError('Failed to fetch')
  const d2 = diagnosingFetch(async (_url, init) => { if (init.mode === 'no-cors') return new Response(null); throw t }, PAGE)
  await assert.rejects(d2.fetch('https://a.example/jwks', {}), (e) => e === t)
  assert.deepEqual(d2.failure(), { url: 'https://a.example/jwks', kind: 'cors' })
})
