/**
 * CLI start-up bench: wall time of `jwk --version` and `jwk thumbprint KEY` (the built CLI,
 * dist/src/cli/main.js, as `npm i -g jwkit` runs it) against the floor `node -e 0`, interleaved
 * runs, medians. Targets (issue 15): --version ≤ 1.5× the floor, thumbprint ≤ 2×.
 * The CLI is built first (`tsc -p tsconfig.build.json`) unless JWKIT_BENCH_NO_BUILD is set.
 * Run: node --import tsx bench/cli.ts   (or npm run bench cli)
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateJwk } from '../src/crypto/generate.ts'
import { invokedDirectly, median } from './lib.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const RUNS = 25

function timeMs(args: string[]): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

export async function run(): Promise<void> {
  if (!process.env.JWKIT_BENCH_NO_BUILD) {
    const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('the build failed')
  }
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-bench-cli-'))
  try {
    const key = join(dir, 'key.json')
    writeFileSync(key, JSON.stringify(await generateJwk('ES256')))
    const main = join(root, 'dist/src/cli/main.js')
    const tasks: Record<string, string[]> = {
      'floor: node -e 0': ['-e', '0'],
      'jwk --version': [main, '--version'],
      'jwk thumbprint key.json': [main, 'thumbprint', key],
      'jwk help': [main, 'help'],
    }
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((t) => [t, []]))
    for (const args of Object.values(tasks)) timeMs(args) // warm the file cache
    for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(tasks)) samples[name]!.push(timeMs(args))
    const floor = median(samples['floor: node -e 0']!)
    const target: Record<string, number> = { 'jwk --version': 1.5, 'jwk thumbprint key.json': 2 }
    console.table(Object.entries(samples).map(([task, s]) => ({
      task,
      'median ms': median(s).toFixed(1),
      'x floor': (median(s) / floor).toFixed(2),
      target: target[task] === undefined ? '' : `≤ ${target[task]}×`,
    })))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (invokedDirectly(import.meta.url)) await run()
