// The README's promise: on a fresh clone, `npm install && npm start` runs the key server, on the
// embedded default store. Installing builds nothing; `npm start` builds dist/ first ("prestart").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { servePort } from '../cli/serve-port.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'priv']

test('npm start builds dist/ and serves /.well-known/jwks.json on a SQLite store, with a KEK file, and stops on SIGTERM', { timeout: 55_000 }, async () => {
  // As on a fresh clone: no dist/ (installing builds nothing); npm start must build it.
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-npm-start-'))
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const proc = spawn(npm, ['start', '--silent'], {
    cwd: root,
    detached: true, // its own process group, so SIGTERM reaches node behind npm
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PORT: '0', HOST: '127.0.0.1', JWKIT_STORE: `sqlite:${join(dir, 'keys.db')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Bounded below the test's timeout (and the runner's 60 s per file; the build takes ~10 s of
  // it): the whole group (npm, tsc, the node behind it) is killed even when the test is
  // abandoned at its timeout and its finally never runs.
  const guard = setTimeout(() => { try { process.kill(-proc.pid!, 'SIGKILL') } catch { /* gone */ } }, 50_000)
  guard.unref()
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += d })
  const exited = new Promise<string>((resolve) => proc.on('exit', (code, signal) => resolve(String(code ?? signal))))
  try {
    const port = await servePort(proc.stdout!, exited, () => stderr, 'npm start')
    assert.ok(existsSync(join(root, 'dist/src/cli/main.js')), 'npm start built dist/')
    const res = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=\d+$/)
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> }
    assert.equal(body.keys.length, 2, 'an active and a next key')
    for (const key of body.keys) for (const m of PRIVATE) assert.equal(key[m], undefined, m)
    // the built page (dist/web, made by the same build) is served too
    const page = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
    assert.match(await page.text(), /<label id="input-label" for="input">Input<\/label>/)
    const kek = statSync(join(dir, 'kek'))
    assert.equal(kek.mode & 0o777, 0o600)
    // npm itself dies of the signal; the server behind it (graceful stop is tested in
    // test/cli/serve.test.ts) must be gone too: the port then refuses connections.
    process.kill(-proc.pid!, 'SIGTERM')
    assert.match(await exited, /^(0|SIGTERM)$/)
    await new Promise((r) => setTimeout(r, 300))
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`))
  } finally {
    clearTimeout(guard)
    try { process.kill(-proc.pid!, 'SIGKILL') } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true })
  }
})
