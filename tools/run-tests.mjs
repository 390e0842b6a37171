// Runs every test/**/*.test.ts on Node's own runner (node:test), TypeScript loaded by tsx.
// Usage: node tools/run-tests.mjs [substring ...]   (npm test -- SUBSTRING): only the files whose
// path contains one of them. `--root=DIR --suffix=.fixture.ts` run another tree (the runner's own
// tests use them on test/runner/fixtures).
//
// Each file runs as its own node process (spec reporter), two at a time (the machine has 2 cores),
// under two bounds: a per-test timeout (tools/test-timeout.mjs, preloaded, gives each test a
// timeout below the file deadline and caps longer ones) and a per-file wall-clock deadline (the
// slowest file takes ~10 s). A file passes only when its process exits 0, before the deadline,
// after reporting at least one test and the closing summary (`ℹ tests N` ...) with no failed or
// cancelled test. Anything else fails: a file that prints no test, that exits early (0 or not)
// without its summary, or that is killed at the deadline after any test result.
//
// One case is run again, at most twice: a file killed at the deadline before printing a single
// test result (on Node 20 a process loading TypeScript through tsx's off-thread hooks has been
// seen to stall at 0 % CPU before running a test). Every run's output is printed. A file that
// has printed a test result is never rerun, so a failure is never hidden by a later green run.
// The closing lines sum the counts of every file's last run.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PER_FILE_MS = Number(process.env.JWKIT_TEST_FILE_TIMEOUT_MS ?? 60_000)
/** Each test's bound (JWKIT_TEST_TIMEOUT_MS, default 3/4 of the file deadline): always below the file deadline, so a hung test fails by name first. */
const PER_TEST_MS = Math.min(Number(process.env.JWKIT_TEST_TIMEOUT_MS ?? PER_FILE_MS * 0.75), PER_FILE_MS * 0.9) | 0
const STALL_RERUNS = 2
const CONCURRENCY = 2
const TIMEOUT_PRELOAD = fileURLToPath(new URL('./test-timeout.mjs', import.meta.url))

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const a = args.find((x) => x.startsWith(`--${name}=`))
  return a === undefined ? fallback : a.slice(name.length + 3)
}
const ROOT = option('root', 'test')
const SUFFIX = option('suffix', '.test.ts')
const filters = args.filter((a) => !a.startsWith('--'))

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(SUFFIX) ? [join(dir, e.name)] : [],
  )
}

function runFile(file) {
  return new Promise((done) => {
    // The file itself is the process (node:test runs its tests and reports): one process a file,
    // not a `--test` runner plus a child.
    const argv = ['--import', TIMEOUT_PRELOAD, '--import', 'tsx', '--test-reporter=spec', file]
    const env = { ...process.env, JWKIT_TEST_TIMEOUT_MS: String(PER_TEST_MS) }
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env })
    let output = ''
    child.stdout.on('data', (d) => { output += d })
    child.stderr.on('data', (d) => { output += d })
    let stalled = false
    const timer = setTimeout(() => {
      stalled = true
      try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
    }, PER_FILE_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      try { process.kill(-child.pid, 'SIGKILL') } catch { /* no stray children left */ }
      done({ code, signal, output, stalled })
    })
  })
}

/** The spec reporter's closing summary count `name`, or undefined when the summary is absent. */
function count(output, name) {
  const m = new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)
  return m ? Number(m[1]) : undefined
}

/** True once the spec reporter has printed any test result (pass, fail, skip, todo). */
function printedResult(output) {
  return /^\s*[✔✖﹣] /mu.test(output)
}

/** Why a file's run fails, or undefined when it passes. */
function verdict(result) {
  const failed = /^\s*✖ /mu.test(result.output) ? ' (after a failing test)' : ''
  if (result.stalled) return `not finished after ${PER_FILE_MS / 1000} s; killed${failed}`
  const tests = count(result.output, 'tests')
  if (tests === undefined) return `exited (${result.signal ?? `code ${result.code}`}) without the closing test summary${failed}`
  // A suite skipped with a reason (a tool missing outside CI) reports as a suite, not a test.
  if (tests === 0 && !/^\s*﹣ .* # /mu.test(result.output)) return 'reported no test'
  if ((count(result.output, 'fail') ?? 0) > 0 || (count(result.output, 'cancelled') ?? 0) > 0) return 'a test failed'
  if (result.code !== 0) return `exited with code ${result.code ?? result.signal}`
  return undefined
}

const files = walk(ROOT).sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
if (files.length === 0) {
  console.error(`no test files found${filters.length > 0 ? ` matching ${filters.join(', ')}` : ''}`)
  process.exit(1)
}

const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, cancelled: 0 }
const failedFiles = []
const started = Date.now()
let next = 0

async function worker() {
  while (next < files.length) {
    const file = files[next++]
    let result = await runFile(file)
    for (let rerun = 1; result.stalled && !printedResult(result.output) && rerun <= STALL_RERUNS; rerun++) {
      process.stdout.write(`\n# ${file} (run ${rerun})\n${result.output}`)
      process.stdout.write(`\n# ${file}: no test result after ${PER_FILE_MS / 1000} s; killed, run again (${rerun}/${STALL_RERUNS})\n`)
      result = await runFile(file)
    }
    process.stdout.write(`\n# ${file}\n${result.output}`)
    for (const k of Object.keys(totals)) totals[k] += count(result.output, k) ?? 0
    const why = verdict(result)
    if (why !== undefined) {
      process.stdout.write(`# ${file}: FAILED: ${why}\n`)
      failedFiles.push(`${file}: ${why}`)
      // A file that failed without reporting a failing test still counts as one failure.
      if ((count(result.output, 'fail') ?? 0) + (count(result.output, 'cancelled') ?? 0) === 0) totals.fail++
    }
  }
}

await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))

const seconds = ((Date.now() - started) / 1000).toFixed(1)
process.stdout.write(`\n${files.length} test files in ${seconds} s\n`)
if (failedFiles.length > 0) process.stdout.write(`failed files:\n${failedFiles.map((f) => `  ${f}`).join('\n')}\n`)
process.stdout.write(
  `ℹ tests ${totals.tests}\nℹ pass ${totals.pass}\nℹ fail ${totals.fail}\nℹ cancelled ${totals.cancelled}\nℹ skipped ${totals.skipped}\n` +
    `tests: ${totals.pass} passed, ${totals.fail + totals.cancelled} failed, ${totals.skipped} skipped\n`,
)
process.exit(failedFiles.length > 0 || totals.fail > 0 || totals.cancelled > 0 ? 1 : 0)
