// Runs every test/**/*.test.ts on Node's own runner (node:test), TypeScript loaded by tsx.
// Node 20's `--test` does not expand globs, so the files are listed here.
// Usage: node tools/run-tests.mjs [substring ...]  (only files whose path contains one of them)
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  )
}
const filters = process.argv.slice(2)
const files = walk('test').sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
// Every test has a deadline (3 min), so a hang fails fast instead of stalling CI.
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', '--test-reporter=spec', ...files]
const r = spawnSync(process.execPath, args, { stdio: 'inherit' })
process.exit(r.status ?? 1)
