/**
 * A real cross-origin check in headless Chromium (Debian's `chromium`, playwright-core): a page
 * on one origin (127.0.0.1:A) fetches the key server on another (127.0.0.1:B). The JWK Set and
 * the discovery document are readable, ETag included, also with an If-None-Match that forces a
 * preflight; the admin API (even with the token: its preflight is refused) and /healthz are not.
 * Skipped without chromium, except under CI=true, where a missing browser is a failure.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { createJwksServer } from '../../src/server/create-jwks-server.ts'
import { createFakeManager } from './fake-manager.ts'
import { close, listen } from './http-helpers.ts'

const CHROMIUM = process.env.JWKIT_CHROMIUM ?? '/usr/bin/chromium'
const TOKEN = 'test-admin-token-0123456789abcdef'
let skip: string | undefined
if (!existsSync(CHROMIUM)) {
  skip = `${CHROMIUM} not found (Debian: apt-get install -y chromium)`
  if (process.env.CI) throw new Error(`CI: ${skip}`)
}

test('a page on another origin reads the JWK Set and discovery, never the admin API or /healthz', { skip, timeout: 45_000 }, async () => {
  const { chromium } = await import('playwright-core')
  const keyServer = createJwksServer(createFakeManager(), { adminToken: TOKEN, page: false })
  const api = await listen(keyServer)
  const origin = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>other origin</title>')
  })
  const pageBase = await listen(origin)
  assert.notEqual(new URL(api).origin, new URL(pageBase).origin)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    await page.goto(pageBase)
    // A string, not a function: tsx would name the function's inner arrows with a helper the page lacks.
    type Seen = Record<'jwks' | 'revalidated' | 'discovery' | 'admin' | 'health', { status?: number; etag?: string; body?: string; error?: string }>
    const seen = await page.evaluate(`(async () => {
      const api = ${JSON.stringify(api)}
      const attempt = async (path, init) => {
        try {
          const r = await fetch(api + path, { cache: 'no-store', ...init })
          return { status: r.status, etag: r.headers.get('etag'), body: await r.text() }
        } catch (error) {
          return { error: String(error) }
        }
      }
      const jwks = await attempt('/.well-known/jwks.json')
      return {
        jwks,
        revalidated: await attempt('/.well-known/jwks.json', { headers: { 'If-None-Match': jwks.etag } }),
        discovery: await attempt('/.well-known/openid-configuration'),
        admin: await attempt('/admin/keys', { headers: { Authorization: 'Bearer ${TOKEN}' } }),
        health: await attempt('/healthz'),
      }
    })()`) as Seen
    assert.equal(seen.jwks.status, 200, JSON.stringify(seen.jwks))
    assert.match(String(seen.jwks.etag), /^"[A-Za-z0-9_-]{43}"$/, 'ETag is exposed')
    assert.ok(JSON.parse(seen.jwks.body!).keys.length >= 1)
    assert.equal(seen.revalidated.status, 304, JSON.stringify(seen.revalidated))
    assert.equal(JSON.parse(seen.discovery.body!).jwks_uri, `${api.replace('127.0.0.1', 'localhost')}/.well-known/jwks.json`)
    assert.match(String(seen.admin.error), /TypeError/, JSON.stringify(seen.admin))
    assert.match(String(seen.health.error), /TypeError/, JSON.stringify(seen.health))
  } finally {
    await browser.close()
    await close(keyServer)
    await close(origin)
  }
})
