/**
 * Key server bench: autocannon against GET /.well-known/jwks.json on createJwksServer (real key
 * manager, real SQLite store) vs two bare node:http servers, in one run (target ≥ 0.9×): one
 * answering the same bytes — body and the same header fields — and one answering the body with
 * only Content-Type and Content-Length. p99 latency and the non-2xx count are taken while a
 * rotation happens in the middle of every jwkit segment. Segments run body / same / jwkit / jwkit
 * / same / body, that round JWKIT_BENCH_ROUNDS times (default 3), so that drift in the shared
 * machine's load hits all alike; besides the totals, the median over rounds of each round's
 * jwkit / same ratio (neighbouring segments, so slow drift cancels) is printed.
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
  const rounds = Math.max(1, Math.floor(Number(process.env.JWKIT_BENCH_ROUNDS ?? 3)))
  const segment = Math.max(1, Math.round(total / (2 * rounds)))
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-bench-'))
  const store = await openKeyStore(`sqlite:${join(dir, 'keys.db')}`, { keks: [randomBytes(32)], env: {}, logger: { warn() {} } })
  const manager = createKeyManager(store, {}, { autoTick: false, logger: { warn() {} } })
  await manager.init()
  const jwkit = createJwksServer(manager)
  const jwkitUrl = await listen(jwkit)
  const sample = await fetch(jwkitUrl)
  const body = Buffer.from(await sample.arrayBuffer())
  // The header fields jwkit wrote (node adds Date, Connection and Keep-Alive to both alike).
  const sameHeaders = [...sample.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)).flat()
  const bareSame = createServer((_req, res) => {
    res.writeHead(200, sameHeaders)
    res.end(body)
  })
  const bareBody = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.byteLength) })
    res.end(body)
  })
  const urls = { same: await listen(bareSame), body: await listen(bareBody), jwkit: jwkitUrl }

  const results: Record<'same' | 'body' | 'jwkit', AutocannonResult[]> = { same: [], body: [], jwkit: [] }
  let rotations = 0
  const roundRatios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const inRound: Record<'same' | 'jwkit', number> = { same: 0, jwkit: 0 }
    for (const which of ['body', 'same', 'jwkit', 'jwkit', 'same', 'body'] as const) {
      let rotation: NodeJS.Timeout | undefined
      if (which === 'jwkit') rotation = setTimeout(() => void manager.rotate({ now: true }).then(() => rotations++), (segment * 1000) / 2)
      const result = await autocannon({ url: urls[which], connections: 16, duration: segment, pipelining: 1 })
      results[which].push(result)
      if (which !== 'body') inRound[which] += result.requests.total
      if (rotation) clearTimeout(rotation)
    }
    roundRatios.push(inRound.jwkit / inRound.same)
  }
  const sorted = [...roundRatios].sort((a, b) => a - b)
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
  const sum = (rs: AutocannonResult[]) => ({
    rps: rs.reduce((a, r) => a + r.requests.total, 0) / (rs.length * segment),
    p99: Math.max(...rs.map((r) => r.latency.p99)),
    p50: Math.max(...rs.map((r) => r.latency.p50)),
    non2xx: rs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
    total: rs.reduce((a, r) => a + r.requests.total, 0),
  })
  const b = sum(results.same)
  const o = sum(results.body)
  const j = sum(results.jwkit)
  const row = (server: string, x: typeof b) => ({ server, 'req/s': Math.round(x.rps), 'p50 ms': x.p50, 'p99 ms': x.p99, requests: x.total, 'non-2xx+errors': x.non2xx, ratio: Number((x.rps / b.rps).toFixed(3)) })
  console.table([
    row('bare node:http (same bytes: body and header fields)', b),
    row('bare node:http (body, 2 header fields)', o),
    row('createJwksServer', j),
  ])
  console.log(`jwkit / bare (same bytes): ${(j.rps / b.rps).toFixed(3)}× (target ≥ 0.9×); jwkit / bare (body only): ${(j.rps / o.rps).toFixed(3)}×; rotations during the jwkit segments: ${rotations}; non-2xx on jwkit: ${j.non2xx}`)
  console.log(`per round, jwkit / bare (same bytes): ${roundRatios.map((r) => r.toFixed(3)).join(', ')}; median ${median.toFixed(3)}× (${rounds} rounds of ${segment} s segments)`)
  await new Promise<void>((r) => jwkit.close(() => r()))
  await new Promise<void>((r) => bareSame.close(() => r()))
  await new Promise<void>((r) => bareBody.close(() => r()))
  await manager.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

if (invokedDirectly(import.meta.url)) await run()
