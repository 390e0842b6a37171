/**
 * verifyJwt (HS256, RS256, ES256, EdDSA, known key) against jose on the same runtime, for every
 * runtime present: Node, Bun, Deno, workerd (miniflare), headless Chromium. Each runtime runs
 * bench/runtimes-work.ts from an esbuild bundle built with its own conditions (test/runtimes/
 * harness.ts), so each uses the backend it would get from npm. Prints one table.
 * Run: node --import tsx bench/runtimes.ts [runtime ...]   (or npm run bench runtimes)
 */
import { fileURLToPath } from 'node:url'
import { runOn, startFixture, unavailable, type RuntimeName } from '../test/runtimes/harness.ts'
import { invokedDirectly } from './lib.ts'

const ALL: RuntimeName[] = ['node', 'bun', 'deno', 'workerd', 'chromium']

export async function run(only: RuntimeName[] = []): Promise<void> {
  const names = only.length > 0 ? only : ALL
  const work = fileURLToPath(new URL('./runtimes-work.ts', import.meta.url))
  const fixture = await startFixture({ keys: [] })
  const table: Array<Record<string, string>> = []
  try {
    for (const name of names) {
      const missing = unavailable(name)
      if (missing !== undefined) {
        console.log(`${name}: skipped (${missing})`)
        continue
      }
      const result = await runOn(name, fixture, 'bench', work) as unknown as { backend: string; rows: Array<{ alg: string; jwkitUs: number; joseUs: number; speed: number; spread: string }> }
      for (const r of result.rows) {
        table.push({ runtime: name, backend: result.backend, alg: r.alg, 'jwkit µs': r.jwkitUs.toFixed(2), 'jose µs': r.joseUs.toFixed(2), 'speed vs jose': r.speed.toFixed(2), 'ratio IQR': r.spread })
      }
    }
  } finally {
    await fixture.close()
  }
  console.log('verifyJwt, known key: mean µs per call (median of 25 alternating jwkit/jose rounds of ~40 ms); speed = median of the per-round ratios; same runtime, same process')
  console.table(table)
}

if (invokedDirectly(import.meta.url)) await run(process.argv.slice(2) as RuntimeName[])
