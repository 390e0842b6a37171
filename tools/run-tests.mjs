// Runs every test/**/*.test.ts on Node's own runner (node:test), TypeScript loaded by tsx.
// Usage: node tools/run-tests.mjs [substring ...]  (only files whose path contains one of them)
//
// Each file runs as its own node process (node:test reporting), two at a time (the machine has 2 cores), with
// a per-file wall-clock deadline (the slowest file takes ~10 s) and, behind it, a per-test one.
// A file that has not finished by its deadline is killed with everything it spawned and run
// again, at most twice: on Node 20 a process loading TypeScript through tsx's off-thread hooks
// has been seen to stall at 0 % CPU before running a single test (2 files of 99 in one CI-like
// run, none in 60 runs of the same files since). A test that fails is never retried. The closing
// lines sum every file's counts. Tests that spawn tsx children keep their own timeouts above the
// file deadline, so a stalled child also shows as a stalled file rather than a failed test.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'

const PER_TEST_MS = 240_000
const PER_FILE_MS = Number(process.env.JWKIT_TEST_FILE_TIMEOUT_MS ?? 60_000)
const STALL_RERUNS = 2
const CONCURRENCY = 2

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  )
}

function runFile(file) {
  return new Promise((resolve) => {
    // The file itself is the process (node:test runs its tests and reports): one process a file,
    // not a `--test` runner plus a child.
    const args = ['--import', 'tsx', `--test-timeout=${PER_TEST_MS}`, '--test-reporter=spec', file]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let output = ''
    child.stdout.on('data', (d) => { output += d })
    child.stderr.on('data', (d) => { output += d })
    let stalled = false
    const timer = setTimeout(() => {
      stalled = true
      try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
    }, PER_FILE_MS)
    child.on('close', (code) => {
      clearTimeout(timer)
      try { process.kill(-child.pid, 'SIGKILL') } catch { /* no stray children left */ }
      resolve({ code, output, stalled })
    })
  })
}

function count(output, name) {
  const m = new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)
  return m ? Number(m[1]) : 0
}

const filters = process.argv.slice(2)
const files = walk('test').sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}

const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, cancelled: 0 }
const failedFiles = []
const allOutput = []
const started = Date.now()
let next = 0

async function worker() {
  while (next < files.length) {
    const file = files[next++]
    let result = await runFile(file)
    for (let rerun = 1; result.stalled && rerun <= STALL_RERUNS; rerun++) {
      process.stdout.write(`\n# ${file}: not finished after ${PER_FILE_MS / 1000} s; killed, run again (${rerun}/${STALL_RERUNS})\n`)
      result = await runFile(file)
    }
    process.stdout.write(`\n# ${file}\n${result.output}`)
    allOutput.push(result.output)
    for (const k of Object.keys(totals)) totals[k] += count(result.output, k)
    if (result.code !== 0 || result.stalled) {
      failedFiles.push(file)
      // A file that died or stalled without reporting a failing test still counts as one failure.
      if (count(result.output, 'fail') + count(result.output, 'cancelled') === 0) totals.fail++
    }
  }
}

await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))

// test/runtimes/: which runtimes the portable suite ran on, and which were absent.
const runtimeLines = allOutput.flatMap((o) => o.match(/^# runtime [a-z]+: (?:ran|skipped).*$/gm) ?? [])
if (runtimeLines.length > 0) process.stdout.write(`\nruntimes:\n${[...new Set(runtimeLines)].map((l) => `  ${l.slice(10)}`).join('\n')}\n`)

const seconds = ((Date.now() - started) / 1000).toFixed(1)
process.stdout.write(`\n${files.length} test files in ${seconds} s\n`)
if (failedFiles.length > 0) process.stdout.write(`failed files:\n${failedFiles.map((f) => `  ${f}`).join('\n')}\n`)
process.stdout.write(
  `ℹ tests ${totals.tests}\nℹ pass ${totals.pass}\nℹ fail ${totals.fail}\nℹ cancelled ${totals.cancelled}\nℹ skipped ${totals.skipped}\n` +
    `tests: ${totals.pass} passed, ${totals.fail + totals.cancelled} failed, ${totals.skipped} skipped\n`,
)
process.exit(failedFiles.length > 0 || totals.fail > 0 || totals.cancelled > 0 ? 1 : 0)
