// The README's promise: on a fresh clone, `npm install && npm start` runs the key server from the
// build that `npm install` made (the "prepare" script), on the embedded default store.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'priv']

test('npm start serves /.well-known/jwks.json from dist/ on a SQLite store, with a KEK file, and stops on SIGTERM', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist/src/cli/main.js')), 'dist/ is missing: `npm install` builds it (prepare), or run `npm run build`')
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-npm-start-'))
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const proc = spawn(npm, ['start', '--silent'], {
    cwd: root,
    detached: true, // its own process group, so SIGTERM reaches node behind npm
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PORT: '0', HOST: '127.0.0.1', JWKIT_STORE: `sqlite:${join(dir, 'keys.db')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += d })
  const exited = new Promise<string>((resolve) => proc.on('exit', (code, signal) => resolve(String(code ?? signal))))
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = ''
      let seen: number | undefined
      proc.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString()
        let i
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i)
          buffer = buffer.slice(i + 1)
          if (!line.startsWith('{')) continue
          const entry = JSON.parse(line) as { port?: unknown; msg?: unknown }
          if (typeof entry.port === 'number') seen = entry.port
          if (/^admin API/.test(String(entry.msg)) && seen !== undefined) resolve(seen)
        }
      })
      void exited.then((code) => reject(new Error(`npm start exited (${code}): ${stderr}`)))
    })
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
    try { process.kill(-proc.pid!, 'SIGKILL') } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true })
  }
})
