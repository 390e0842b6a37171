import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkFetchUrl, isLoopbackHost } from '../../src/jwks/url-policy.ts'
import { discoveryUrls } from '../../src/jwks/discovery.ts'

const refused = (fn: () => unknown) => assert.throws(fn, { code: 'ERR_JWKS_URL_NOT_ALLOWED' })

test('https is allowed to any host; the fragment is dropped', () => {
  assert.equal(checkFetchUrl('https://issuer.example/jwks#x', 'u').href, 'https://issuer.example/jwks')
  assert.equal(checkFetchUrl(new URL('https://issuer.example/a?b=c'), 'u').href, 'https://issuer.example/a?b=c')
})

test('plain http only for loopback (127.0.0.0/8, ::1, localhost) or with insecureAllowHttp', () => {
  for (const ok of ['http://127.0.0.1:8080/j', 'http://127.9.8.7/j', 'http://[::1]:3000/j', 'http://localhost/j', 'http://LOCALHOST:1/j', 'http://a.localhost/j', 'http://[::ffff:127.0.0.1]/j', 'http://127.1/j']) {
    assert.doesNotThrow(() => checkFetchUrl(ok, 'u'), ok)
  }
  for (const bad of ['http://issuer.example/j', 'http://10.0.0.1/j', 'http://128.0.0.1/j', 'http://[::2]/j', 'http://localhost.evil.example/j', 'http://127.0.0.1.nip.io/j']) {
    refused(() => checkFetchUrl(bad, 'u'))
  }
  assert.equal(checkFetchUrl('http://issuer.example/j', 'u', { insecureAllowHttp: true }).protocol, 'http:')
})

test('other schemes, user-info and non-URLs are refused', () => {
  for (const bad of ['file:///etc/passwd', 'ftp://h/j', 'data:application/json,{}', 'javascript:alert(1)', 'https://user:pw@h/j', 'https://user@h/j', '/relative/jwks', 'not a url']) {
    refused(() => checkFetchUrl(bad, 'u', { insecureAllowHttp: true }))
  }
})

test('isLoopbackHost', () => {
  assert.equal(isLoopbackHost('127.0.0.1'), true)
  assert.equal(isLoopbackHost('[::1]'), true)
  assert.equal(isLoopbackHost('localhost'), true)
  assert.equal(isLoopbackHost('example.com'), false)
  assert.equal(isLoopbackHost('0.0.0.0'), false)
})

test('OIDC Discovery §4 and RFC 8414 §3.1 metadata URLs', () => {
  const [a, b] = discoveryUrls('https://op.example')
  assert.equal(a.href, 'https://op.example/.well-known/openid-configuration')
  assert.equal(b.href, 'https://op.example/.well-known/oauth-authorization-server')
  const [c, d] = discoveryUrls('https://op.example/tenant/one/')
  assert.equal(c.href, 'https://op.example/tenant/one/.well-known/openid-configuration')
  // RFC 8414 §3.1: the well-known segment goes between host and path.
  assert.equal(d.href, 'https://op.example/.well-known/oauth-authorization-server/tenant/one')
  const [e, f] = discoveryUrls('https://op.example/')
  assert.equal(e.href, 'https://op.example/.well-known/openid-configuration')
  assert.equal(f.href, 'https://op.example/.well-known/oauth-authorization-server')
  // RFC 8414 §2: no query, no fragment; https (http only on loopback).
  refused(() => discoveryUrls('https://op.example/?tenant=1'))
  refused(() => discoveryUrls('https://op.example/#x'))
  refused(() => discoveryUrls('http://op.example'))
  assert.throws(() => discoveryUrls(42 as unknown as string), TypeError)
})
