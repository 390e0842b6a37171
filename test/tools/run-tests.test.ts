// The test runner (tools/run-tests.mjs) on small fixture files (test/tools/fixtures/*.fixture.ts,
// outside the *.test.ts glob): a failure is never turned green, a file must report tests and its
// summary, only a file stalled before any result is rerun, every run's output is printed, a hung
// test fails by its per-test timeout, and `npm test -- PATTERN` runs only the matching files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FILE_DEADLINE_MS = 6_000

function runner(...args: string[]): Promise<{ status: number | null; out: string }> {
  const state = mkdtempSync(join(tmpdir(), 'jwkit-runner-'))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['tools/run-tests.mjs', '--root=test/tools/fixtures', '--suffix=.fixture.ts', ...args], {
      env: { ...process.env, JWKIT_FIXTURE_STATE: state, JWKIT_TEST_FILE_TIMEOUT_MS: String(FILE_DEADLINE_MS), JWKIT_TEST_TIMEOUT_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    child.on('close', (status) => {
      rmSync(state, { recursive: true, force: true })
      resolve({ status, out })
    })
  })
}

/** The runner's closing verdict line for a fixture, or undefined when it passed. */
const failure = (out: string, name: string) => new RegExp(`^  test/tools/fixtures/${name}\\.fixture\\.ts: (.*)$`, 'm').exec(out)?.[1]

// Every fixture in one run (two at a time), bounded well below this file's own deadline.
const all = runner()

test('a failing file that then hangs is not rerun and ends red, its failure printed', async () => {
  const { status, out } = await all
  assert.equal(status, 1)
  assert.match(failure(out, 'fail-then-hang') ?? '', /^not finished after 6 s; killed \(after a failing test\)$/)
  assert.doesNotMatch(out, /fail-then-hang\.fixture\.ts.*run again/)
  assert.match(out, /✖ fails on the first run/)
})

test('a file with no test fails; a file that exits 0 after a failing test, before its summary, fails', async () => {
  const { out } = await all
  assert.match(failure(out, 'no-tests') ?? '', /without the closing test summary|reported no test/)
  assert.match(failure(out, 'exit-early') ?? '', /^exited \(code 0\) without the closing test summary/)
})

test('a file stalled before any test result is rerun, each run printed, and may pass', async () => {
  const { out } = await all
  assert.equal(failure(out, 'stall-first'), undefined)
  assert.match(out, /# test\/tools\/fixtures\/stall-first\.fixture\.ts \(run 1\)\n/)
  assert.match(out, /stall-first\.fixture\.ts: no test result after 6 s; killed, run again \(1\/2\)/)
  assert.match(out, /✔ runs on the second try/)
})

test('a hung test fails by its per-test timeout (below the file deadline), by name', async () => {
  const { out } = await all
  assert.match(out, /✖ never settles \(\d+(\.\d+)?ms\)\n\s+'test timed out after 1500ms'/)
  assert.notEqual(failure(out, 'hung-test'), undefined)
})

test('passing and skipped-with-a-reason files pass; the totals count every file', async () => {
  const { out } = await all
  assert.equal(failure(out, 'pass'), undefined)
  assert.equal(failure(out, 'skipped'), undefined)
  assert.match(out, /^7 test files in /m)
  assert.match(out, /^failed files:\n(  .*\n){4}ℹ tests/m)
})

test('npm test -- PATTERN runs only the files whose path contains PATTERN; no match is an error', async () => {
  const only = await runner('pass.fixture')
  assert.equal(only.status, 0, only.out)
  assert.match(only.out, /^1 test files in /m)
  assert.match(only.out, /# test\/tools\/fixtures\/pass\.fixture\.ts\n/)
  const none = await runner('no-such-file')
  assert.equal(none.status, 1)
  assert.match(none.out, /no test files found matching no-such-file/)
})

/** The runner on a real test file, with `env` over this process's environment. */
function realRun(file: string, env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['tools/run-tests.mjs', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    child.on('close', (status) => resolve({ status, out }))
  })
}

test('under CI=true a test that needs PostgreSQL or openssl and cannot reach it fails; elsewhere it skips with the reason', async () => {
  const nowhere = { JWKIT_TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:9/test' }
  const [pgCi, sslCi, pgLocal] = await Promise.all([
    realRun('test/store/postgres-store.test.ts', { ...nowhere, CI: 'true' }),
    realRun('test/interop/openssl.test.ts', { CI: 'true', PATH: '/nonexistent' }),
    realRun('test/store/postgres-store.test.ts', { ...nowhere, CI: '' }),
  ])
  assert.equal(pgCi.status, 1, pgCi.out)
  assert.match(pgCi.out, /CI: PostgreSQL at .* is unreachable/)
  assert.equal(sslCi.status, 1, sslCi.out)
  assert.match(sslCi.out, /✖ openssl is available \(required in CI\)/)
  assert.equal(pgLocal.status, 0, pgLocal.out)
  assert.match(pgLocal.out, /﹣ .* # PostgreSQL at .* is unreachable/)
})
