/**
 * Aborted and 408-cut admin requests are not server failures: they are counted apart
 * (jwkit_http_requests_aborted_total), never as 500, and logged at debug, not error.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { test } from 'node:test'
import { createJwksServer } from '../../src/server/create-jwks-server.ts'
import { createLogger } from '../../src/server/logger.ts'
import { createServerMetrics } from '../../src/server/metrics.ts'
import { createFakeManager } from './fake-manager.ts'
import { close, listen, request } from './http-helpers.ts'

const TOKEN = 'test-admin-token-0123456789abcdef'

/** Sends the head and part of a body, then either closes the socket or waits for the server to cut it. */
function partialPost(base: string, closeAfterMs: number | undefined): Promise<string> {
  const { port } = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /admin/sign HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"claims":`)
      if (closeAfterMs !== undefined) setTimeout(() => socket.destroy(), closeAfterMs)
    })
    let data = ''
    socket.on('data', (d) => { data += d.toString() })
    socket.on('close', () => resolve(data))
    socket.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(data) : reject(e)))
  })
}

test('a client abort and a 408 cut mid-body are counted as aborted, not 500, and logged at debug', async () => {
  const lines: Array<{ level: string; msg: string }> = []
  const metrics = createServerMetrics()
  const manager = createFakeManager()
  const server = createJwksServer(manager, {
    adminToken: TOKEN, metrics, requestTimeoutMs: 400,
    logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) }),
  })
  const base = await listen(server)
  try {
    await partialPost(base, 50)
    const cut = await partialPost(base, undefined)
    assert.match(cut, /^HTTP\/1\.1 408/)
    const end = Date.now() + 3000
    while (metrics.aborted('/admin/sign') < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    assert.equal(metrics.aborted('/admin/sign'), 2)
    assert.equal(metrics.requests('/admin/sign', 500), 0)
    assert.ok(!lines.some((l) => l.level === 'error'), JSON.stringify(lines))
    assert.equal(lines.filter((l) => l.level === 'debug' && l.msg === 'request aborted before an answer').length, 2)
    assert.match(metrics.render(manager), /^jwkit_http_requests_aborted_total\{route="\/admin\/sign"\} 2$/m)
    // A whole request still works.
    const ok = await request(base, '/admin/sign', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"claims":{}}' })
    assert.equal(ok.status, 200)
  } finally {
    await close(server)
  }
})
