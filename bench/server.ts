/**
 * Key server bench: autocannon against GET /.well-known/jwks.json on createJwksServer (real key
 * manager, real SQLite store) vs a bare node:http server answering the same bytes, in one run
 * (target ≥ 0.9×), with p99 latency and the non-2xx count while a rotation happens in the middle
 * of every jwkit segment. Segments alternate bare / jwkit / jwkit / bare so that drift in the
 * shared machine's load hits both alike.
 * Run: node --import tsx bench/server.ts   (JWKIT_BENCH_SECONDS=10 by default: total per server)
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createKeyManager } from '../src/store/key-manager.ts'
import { openKeyStore } from '../src/store/open-key-store.ts'
import { createJwksServer } from '../src/server/create-jwks-server.ts'
import { invokedDirectly } from './lib.ts'

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  timeouts: number
}
type Autocannon = (options: { url: string; connections: number; duration: number; pipelining?: number; workers?: number }) => Promise<AutocannonResult>

const require = createRequire(import.meta.url)
const autocannon = require('autocannon') as Autocannon

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
}

export async function run(): Promise<void> {
  const total = Number(process.env.JWKIT_BENCH_SECONDS ?? 10)
  const segment = Math.max(1, Math.round(total / 2))
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-bench-'))
  const store = await openKeyStore(`sqlite:${join(dir, 'keys.db')}`, { keks: [randomBytes(32)], env: {}, logger: { warn() {} } })
  const manager = createKeyManager(store, {}, { autoTick: false, logger: { warn() {} } })
  await manager.init()
  const jwkit = createJwksServer(manager)
  const jwkitUrl = await listen(jwkit)
  const body = Buffer.from(await (await fetch(jwkitUrl)).arrayBuffer())
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.byteLength) })
    res.end(body)
  })
  const bareUrl = await listen(bare)

  const results: Record<'bare' | 'jwkit', AutocannonResult[]> = { bare: [], jwkit: [] }
  let rotations = 0
  for (const which of ['bare', 'jwkit', 'jwkit', 'bare'] as const) {
    let rotation: NodeJS.Timeout | undefined
    if (which === 'jwkit') rotation = setTimeout(() => void manager.rotate().then(() => rotations++), (segment * 1000) / 2)
    results[which].push(await autocannon({ url: which === 'bare' ? bareUrl : jwkitUrl, connections: 16, duration: segment, pipelining: 1 }))
    if (rotation) clearTimeout(rotation)
  }
  const sum = (rs: AutocannonResult[]) => ({
    rps: rs.reduce((a, r) => a + r.requests.total, 0) / (rs.length * segment),
    p99: Math.max(...rs.map((r) => r.latency.p99)),
    p50: Math.max(...rs.map((r) => r.latency.p50)),
    non2xx: rs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
    total: rs.reduce((a, r) => a + r.requests.total, 0),
  })
  const b = sum(results.bare)
  const j = sum(results.jwkit)
  console.table([
    { server: 'bare node:http (same bytes)', 'req/s': Math.round(b.rps), 'p50 ms': b.p50, 'p99 ms': b.p99, requests: b.total, 'non-2xx+errors': b.non2xx, ratio: 1 },
    { server: 'createJwksServer', 'req/s': Math.round(j.rps), 'p50 ms': j.p50, 'p99 ms': j.p99, requests: j.total, 'non-2xx+errors': j.non2xx, ratio: Number((j.rps / b.rps).toFixed(3)) },
  ])
  console.log(`jwkit / bare: ${(j.rps / b.rps).toFixed(3)}× (target ≥ 0.9×); rotations during the jwkit segments: ${rotations}; non-2xx on jwkit: ${j.non2xx}`)
  await new Promise<void>((r) => jwkit.close(() => r()))
  await new Promise<void>((r) => bare.close(() => r()))
  await manager.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

if (invokedDirectly(import.meta.url)) await run()
