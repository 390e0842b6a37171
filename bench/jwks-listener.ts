/**
 * The hot route without sockets: createJwksServer's request listener called on
 * `GET /.well-known/jwks.json` with a fake request (url, method, rawHeaders as autocannon sends
 * them) and a fake response (writeHead, end), 7 runs of 2 000 000 calls, the median ns per
 * request. What the router, the core and the adapter add on top of node:http, free of the
 * socket and load noise that dominates bench/server.ts on a shared machine.
 * Run: node --import tsx bench/jwks-listener.ts   (JWKIT_BENCH_TREE=/other/checkout: that tree's modules)
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { invokedDirectly, median } from './lib.ts'

export async function run(): Promise<void> {
  const tree = process.env.JWKIT_BENCH_TREE
  const from = (path: string) => (tree === undefined ? new URL(`../${path}`, import.meta.url).href : pathToFileURL(join(tree, path)).href)
  const { createKeyManager } = await import(from('src/store/key-manager.ts'))
  const { openKeyStore } = await import(from('src/store/open-key-store.ts'))
  const { createJwksServer } = await import(from('src/server/create-jwks-server.ts'))
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-bench-'))
  const store = await openKeyStore(`sqlite:${join(dir, 'keys.db')}`, { keks: [randomBytes(32)], env: {}, logger: { warn() {} } })
  const manager = createKeyManager(store, {}, { autoTick: false, logger: { warn() {} } })
  await manager.init()
  const server = createJwksServer(manager, { page: false })
  const listener = server.listeners('request')[0] as (req: unknown, res: unknown) => void
  const req = { url: '/.well-known/jwks.json', method: 'GET', rawHeaders: ['Host', 'localhost:8080', 'Connection', 'keep-alive', 'User-Agent', 'autocannon'] }
  let written = 0
  let status = 0
  const res = {
    writeHead(code: number, headers: unknown[] | Record<string, string>) { status = code; written += Array.isArray(headers) ? headers.length : 1 },
    end(body?: Uint8Array) { written += body?.byteLength ?? 0 },
  }
  const N = 2_000_000
  const runs: number[] = []
  for (let r = 0; r < 7; r++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < N; i++) listener(req, res)
    runs.push(Number(process.hrtime.bigint() - started) / N)
  }
  if (status !== 200 || written === 0) throw new Error(`the listener did not answer 200 (${status})`)
  console.log(`jwks.json listener (${tree ?? 'this tree'}): median ${median(runs).toFixed(0)} ns/request; runs ${runs.map((x) => x.toFixed(0)).join(', ')}`)
  server.emit('close')
  await manager.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

if (invokedDirectly(import.meta.url)) await run()
