/**
 * `jwk serve` as a process: first start on an empty SQLite store (KEK file, active and next key,
 * start-up lines), graceful SIGTERM with a request in flight, kill -9 and restart (same set),
 * and two or three processes on one PostgreSQL store (same set from each, one rotation).
 */
import { afterEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { dropSchema, schemaUrl, skipWithoutPostgres, uniqueSchema } from '../store/helpers/postgres.ts'
import { request } from '../server/http-helpers.ts'
import { runCli } from './helpers.ts'
import { servePort } from './serve-port.ts'

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')
const TOKEN = 'serve-test-token-' + randomBytes(8).toString('hex')

interface Running {
  proc: ChildProcess
  base: string
  lines: Array<Record<string, unknown>>
  exited: Promise<number | null>
}

/** Every child still running; killed (SIGKILL) after each test so a failed assertion never leaves a server behind. */
const running = new Set<ChildProcess>()
afterEach(() => {
  for (const proc of running) proc.kill('SIGKILL')
  running.clear()
})

async function startServe(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Running> {
  const proc = spawn(process.execPath, ['--conditions=jwkit-source', '--import', TSX, MAIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 40_000, killSignal: 'SIGKILL', // below the test's timeout, whatever the test awaits
  })
  const lines: Array<Record<string, unknown>> = []
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += d })
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const started = await servePort(proc.stdout!, exited, () => stderr, 'jwk serve', (line) => lines.push(line))
  running.add(proc)
  void exited.then(() => running.delete(proc))
  return { proc, base: `http://127.0.0.1:${started}`, lines, exited }
}

test('jwk serve: invalid configuration is a usage error (exit 2, ERR_CONFIG_INVALID)', async () => {
  const io = { readInput: () => Buffer.alloc(0) }
  const port = await runCli(['serve', '--port', 'eighty'], io)
  assert.equal(port.status, 2)
  assert.match(port.stderr, /^jwk serve: ERR_CONFIG_INVALID: /)
  assert.equal((await runCli(['serve', '--rotate-every', '1y'], io)).status, 2)
  assert.equal((await runCli(['serve', '--bogus'], io)).status, 2)
  assert.equal((await runCli(['serve', '--alg', 'HS256'], io)).status, 2) // refused before any store is opened
  assert.equal((await runCli(['serve'], { ...io, env: { JWKIT_ADMIN_TOKEN: 'short' } })).status, 2)
})

test('first start on an empty SQLite store; SIGTERM finishes the in-flight request; kill -9 and restart serves the same set', { timeout: 45_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'jwkit-serve-'))
  try {
    const first = await startServe(cwd, [], { JWKIT_ADMIN_TOKEN: TOKEN })
    assert.ok(existsSync(join(cwd, 'data', 'keys.db')))
    assert.equal(statSync(join(cwd, 'data', 'kek')).mode & 0o777, 0o600)
    const port = new URL(first.base).port
    const listening = first.lines.find((l) => typeof l.port === 'number')!
    assert.equal(listening.jwks_uri, `http://localhost:${port}/.well-known/jwks.json`)
    assert.equal(listening.store, 'sqlite:./data/keys.db')
    assert.ok(first.lines.some((l) => /admin API enabled/.test(String(l.msg))))
    const set = await request(first.base, '/.well-known/jwks.json')
    assert.equal(set.status, 200)
    assert.equal(set.json().keys.length, 2, 'an active and a next key')
    const keys = (await request(first.base, '/admin/keys', { headers: { authorization: `Bearer ${TOKEN}` } })).json().keys as Array<{ state: string }>
    assert.deepEqual(keys.map((k) => k.state).sort(), ['active', 'next'])

    // kill -9, restart: the same set
    first.proc.kill('SIGKILL')
    await first.exited
    const second = await startServe(cwd, [], { JWKIT_ADMIN_TOKEN: TOKEN })
    assert.equal((await request(second.base, '/.well-known/jwks.json')).text, set.text)

    // SIGTERM while a request is in flight (its body still arriving): it completes, then the process exits 0
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(second.base + '/admin/sign', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': '24' } }, (res) => {
        let body = ''
        res.on('data', (d) => { body += d })
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req.on('error', reject)
      req.write('{"claims":')
      setTimeout(() => {
        second.proc.kill('SIGTERM')
        setTimeout(() => req.end('{"sub":"x"}}  '), 300)
      }, 100)
    })
    const answer = await inFlight
    assert.equal(answer.status, 200, answer.body)
    assert.equal(typeof JSON.parse(answer.body).token, 'string')
    assert.equal(await second.exited, 0)
    assert.ok(second.lines.some((l) => l.msg === 'stopped'))
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})

test('without a token the admin API is absent and start-up says how to enable it', { timeout: 45_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'jwkit-serve-'))
  try {
    const r = await startServe(cwd, ['--store', 'sqlite:./keys.db', '--issuer', 'https://id.example'])
    assert.ok(r.lines.some((l) => /JWKIT_ADMIN_TOKEN/.test(String(l.msg))))
    assert.equal((await request(r.base, '/admin/keys')).status, 404)
    assert.equal((await request(r.base, '/.well-known/openid-configuration')).json().jwks_uri, 'https://id.example/.well-known/jwks.json')
    r.proc.kill('SIGINT')
    assert.equal(await r.exited, 0)
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})

test('--no-page (or JWKIT_NO_PAGE=1): / and /dashboard answer 404, the JWK Set and discovery are still served', { timeout: 45_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'jwkit-serve-'))
  const web = join(cwd, 'web')
  mkdirSync(web)
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>wb</title>')
  writeFileSync(join(web, 'dashboard.html'), '<!doctype html><title>db</title>')
  try {
    assert.match((await runCli(['serve', '--help'], { readInput: () => Buffer.alloc(0) })).stdout, /--no-page .*\n.*JWKIT_NO_PAGE=1/)
    const env = { JWKIT_WEB_DIR: web }
    const withPage = await startServe(cwd, ['--store', 'sqlite:./keys.db'], env)
    assert.equal((await request(withPage.base, '/')).text, '<!doctype html><title>wb</title>') // the same setup serves the page
    withPage.proc.kill('SIGTERM')
    await withPage.exited
    for (const [args, extra] of [[['--no-page'], {}], [[], { JWKIT_NO_PAGE: '1' }]] as const) {
      const r = await startServe(cwd, ['--store', 'sqlite:./keys.db', ...args], { ...env, ...extra })
      assert.ok(r.lines.some((l) => l.page === false), 'the start-up line says the page is off')
      for (const path of ['/', '/dashboard', '/index.html']) {
        const none = await request(r.base, path)
        assert.equal(none.status, 404, `${path} ${args.join(' ')}`)
        assert.equal(none.json().error.code, 'ERR_HTTP_NOT_FOUND')
      }
      const set = await request(r.base, '/.well-known/jwks.json')
      assert.equal(set.status, 200)
      assert.equal(set.json().keys.length, 2)
      assert.equal((await request(r.base, '/.well-known/openid-configuration')).status, 200)
      r.proc.kill('SIGTERM')
      assert.equal(await r.exited, 0)
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})

const skip = await skipWithoutPostgres()

test('three jwk serve processes on one PostgreSQL store: same set from each, a due rotation applied once', { skip, timeout: 45_000 }, async () => {
  const schema = uniqueSchema('serve')
  const url = schemaUrl(schema)
  const kek = randomBytes(32)
  const DAY = 86_400_000
  // Seed the store 31 days in the past: the active key is then due for rotation (default 30 days).
  const seedStore = await openKeyStore(url, { keks: [kek], env: {}, logger: { warn() {} } })
  const seeder = createKeyManager(seedStore, {}, { now: () => Date.now() - 31 * DAY, pollIntervalMs: 0, autoTick: false, logger: { warn() {} } })
  await seeder.init()
  const seeded = seeder.keys().map((k) => ({ kid: k.kid, state: k.state }))
  await seeder.close()
  await seedStore.close()
  const cwd = mkdtempSync(join(tmpdir(), 'jwkit-serve-pg-'))
  const env = { JWKIT_KEK: kek.toString('base64url'), JWKIT_ADMIN_TOKEN: TOKEN, JWKIT_STORE: url }
  const procs: Running[] = []
  try {
    procs.push(...(await Promise.all([startServe(cwd, [], env), startServe(cwd, [], env), startServe(cwd, [], env)])))
    const sets = async () => Promise.all(procs.map(async (p) => (await request(p.base, '/.well-known/jwks.json')).text))
    const converge = async () => {
      const end = Date.now() + 15_000
      for (;;) {
        const all = await sets()
        if (all.every((t) => t === all[0])) return all[0]!
        if (Date.now() > end) assert.fail('the instances did not converge on one set')
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    // each process ticks within a second of start-up: wait for the rotation, then give the others
    // time to (wrongly) rotate again before counting
    const store = await openKeyStore(url, { keks: [kek], env: {}, logger: { warn() {} } })
    const end = Date.now() + 15_000
    while ((await store.list()).length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 2_000))
    const records = await store.list()
    await store.close()
    const first = await converge()
    const rotationLogs = procs.flatMap((p) => p.lines.filter((l) => l.msg === 'rotation applied'))
    assert.equal(rotationLogs.length, 1, 'one process applied the rotation')
    // exactly one rotation: old active retired, old next active, one new next — three keys, not more
    assert.equal(records.length, 3, JSON.stringify(records.map((r) => r.state)))
    const oldActive = seeded.find((k) => k.state === 'active')!.kid
    const oldNext = seeded.find((k) => k.state === 'next')!.kid
    assert.equal(records.find((r) => r.kid === oldActive)!.state, 'retired')
    assert.equal(records.find((r) => r.kid === oldNext)!.state, 'active')
    assert.equal(records.filter((r) => r.state === 'next').length, 1)
    assert.deepEqual((JSON.parse(first).keys as Array<{ kid: string }>).map((k) => k.kid).sort(), records.map((r) => r.kid).sort())

    // an admin rotation on one instance reaches the others (NOTIFY / polling)
    const rotated = await request(procs[1]!.base, '/admin/keys/rotate', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"now":true}' })
    assert.equal(rotated.status, 200)
    const second = await converge()
    assert.notEqual(second, first)
    assert.ok(second.includes(rotated.json().active[0].kid))
  } finally {
    for (const p of procs) p.proc.kill('SIGTERM')
    const codes = await Promise.all(procs.map((p) => p.exited))
    rmSync(cwd, { recursive: true, force: true })
    await dropSchema(schema)
    assert.deepEqual(codes, procs.map(() => 0))
  }
})
