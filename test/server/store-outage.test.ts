/**
 * Store outage under load: the server sits on a real PostgreSQL store reached through a loopback
 * TCP proxy the test controls. While the proxy is down the JWKS route keeps answering 200 with
 * the last-known set (no non-2xx under constant load), /readyz says degraded (503), the held
 * active key keeps signing, admin writes fail with ERR_STORE_UNAVAILABLE; when the proxy comes
 * back the server recovers without a restart (ready again, rotation works, the set changes).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Agent, request as httpRequest } from 'node:http'
import * as jose from 'jose'
import { dropSchema, POSTGRES_URL, schemaUrl, skipWithoutPostgres, uniqueSchema } from '../store/helpers/postgres.ts'
import { request } from './http-helpers.ts'
import { startRealServer } from './real-server.ts'
import { startTcpProxy } from './tcp-proxy.ts'

const skip = await skipWithoutPostgres()

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

test('PostgreSQL outage under load: JWKS never non-2xx, readyz degraded, signing goes on, recovery without restart', { skip }, async () => {
  const target = new URL(POSTGRES_URL)
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
  const schema = uniqueSchema('outage')
  const url = new URL(schemaUrl(schema))
  url.host = `127.0.0.1:${proxy.port}`
  const s = await startRealServer({}, {}, url.href)
  const statuses = new Map<number, number>()
  let running = true
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  const worker = async () => {
    while (running) {
      const status = await new Promise<number>((resolve) => {
        const req = httpRequest(s.base + '/.well-known/jwks.json', { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)) })
        req.on('error', () => resolve(-1))
        req.end()
      })
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
  }
  const load = Promise.all([worker(), worker(), worker(), worker()])
  try {
    const sign = (body: object) => request(s.base, '/admin/sign', { method: 'POST', headers: s.auth, body: JSON.stringify(body) })
    assert.equal((await request(s.base, '/readyz')).status, 200)
    const setBefore = (await request(s.base, '/.well-known/jwks.json')).text

    await proxy.down()
    await until('readyz degraded', async () => (await request(s.base, '/readyz')).status === 503)
    assert.equal((await request(s.base, '/readyz')).json().status, 'degraded')
    const served = await request(s.base, '/.well-known/jwks.json')
    assert.equal(served.status, 200)
    assert.equal(served.text, setBefore, 'the last-known set is served')
    const signed = await sign({ claims: { sub: 'during-outage' } })
    assert.equal(signed.status, 200, signed.text)
    const remote = jose.createLocalJWKSet(served.json())
    assert.equal((await jose.jwtVerify(signed.json().token, remote)).payload.sub, 'during-outage')
    const rotate = await request(s.base, '/admin/keys/rotate', { method: 'POST', headers: s.auth })
    assert.equal(rotate.status, 503)
    assert.equal(rotate.json().error.code, 'ERR_STORE_UNAVAILABLE')
    assert.match((await request(s.base, '/metrics')).text, /^jwkit_store_reachable 0$/m)
    await new Promise((r) => setTimeout(r, 300))

    await proxy.up()
    await until('readyz ready again', async () => (await request(s.base, '/readyz')).status === 200)
    const rotated = await request(s.base, '/admin/keys/rotate', { method: 'POST', headers: s.auth, body: '{"now":true}' })
    assert.equal(rotated.status, 200, rotated.text)
    assert.notEqual((await request(s.base, '/.well-known/jwks.json')).text, setBefore, 'the set changes again after recovery')
  } finally {
    running = false
    await load
    agent.destroy()
    await s.stop()
    await proxy.close()
    await dropSchema(schema)
  }
  const total = [...statuses.values()].reduce((a, b) => a + b, 0)
  assert.ok(total > 100, `load ran (${total} requests)`)
  assert.deepEqual([...statuses.keys()], [200], `JWKS statuses under outage: ${JSON.stringify([...statuses])}`)
})
