// Runs the portable suite (test/runtimes/portable) on each runtime that is present: Node, Bun and
// Deno (npm packages `bun`, `deno`), workerd (`miniflare`) and headless Chromium (Debian
// `chromium`, driven by `playwright-core`). Each runtime gets an esbuild bundle built with its own
// package.json conditions (so `#backend` picks the backend that runtime would get from npm), and
// a loopback HTTP server: the remote JWK Set, an oversized set, the interop tokens, the page.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { SuiteResult } from './portable/suite.ts'

export type RuntimeName = 'node' | 'bun' | 'deno' | 'workerd' | 'chromium'
export type Mode = 'suite' | 'produce' | 'consume' | 'bench'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const root = here('../../')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const RUN_TIMEOUT_MS = 50_000

/** The conditions each runtime resolves package.json `imports`/`exports` with (plus jwkit-source: bundle the TypeScript). */
const TARGETS: Record<RuntimeName, { entry: string; platform: 'node' | 'neutral' | 'browser'; conditions: string[] }> = {
  node: { entry: 'entry-cli.ts', platform: 'node', conditions: ['node'] },
  bun: { entry: 'entry-cli.ts', platform: 'neutral', conditions: ['bun'] },
  deno: { entry: 'entry-cli.ts', platform: 'neutral', conditions: ['deno'] },
  workerd: { entry: 'entry-worker.ts', platform: 'browser', conditions: ['workerd', 'worker'] },
  chromium: { entry: 'entry-browser.ts', platform: 'browser', conditions: [] },
}

/**
 * Under CI (`CI` set, as .ci/run does) every runtime must run: npm install brings Bun, Deno and
 * workerd and .ci/run installs chromium, so one that does not run is a broken install, a failure,
 * not a skip (an npm that skipped bun's postinstall once turned it into a silent skip).
 */
export const EVERY_RUNTIME_REQUIRED = Boolean(process.env.CI)

/** Why a runtime cannot run here, or undefined when it can. */
export function unavailable(name: RuntimeName): string | undefined {
  const works = (cmd: string, args: string[]) => existsSync(cmd) && spawnSync(cmd, args, { timeout: 20_000 }).status === 0
  switch (name) {
    case 'node': return undefined
    case 'bun': return works(bin('bun'), ['--version']) ? undefined : 'the bun binary (npm package bun) does not run here'
    case 'deno': return works(bin('deno'), ['--version']) ? undefined : 'the deno binary (npm package deno) does not run here'
    case 'workerd': return existsSync(join(root, 'node_modules', 'miniflare')) && works(bin('workerd'), ['--version']) ? undefined : 'miniflare/workerd (npm package miniflare) is not installed or does not run'
    case 'chromium': return CHROMIUM === undefined ? 'no chromium binary (apt-get install chromium)' : existsSync(join(root, 'node_modules', 'playwright-core')) ? undefined : 'playwright-core is not installed'
  }
}

export function runtimeVersion(name: RuntimeName): string {
  if (name === 'node') return process.version
  const cmd = name === 'bun' ? bin('bun') : name === 'deno' ? bin('deno') : name === 'workerd' ? bin('workerd') : CHROMIUM!
  return String(spawnSync(cmd, ['--version'], { timeout: 20_000 }).stdout ?? '').split('\n')[0]!.trim()
}

const bundles = new Map<string, Promise<string>>()

/**
 * The esbuild bundle of the portable suite for one runtime; with `main`, the same entries run
 * that module's `main(runtime, base, mode)` instead (bench/runtimes.ts).
 */
export function bundle(name: RuntimeName, main?: string): Promise<string> {
  let found = bundles.get(`${name} ${main ?? ''}`)
  if (found === undefined) {
    const t = TARGETS[name]
    const outfile = join(mkdtempSync(join(tmpdir(), `jwkit-${name}-`)), 'bundle.js')
    found = build({
      entryPoints: [here(`./portable/${t.entry}`)],
      bundle: true,
      format: 'esm',
      platform: t.platform,
      target: 'es2022',
      outfile,
      conditions: ['jwkit-source', ...t.conditions],
      mainFields: ['module', 'main'],
      // The repo's tsconfig maps #backend to the Node backend for tsx: not for bundles.
      tsconfigRaw: '{}',
      external: name === 'node' ? ['node:*'] : [],
      logLevel: 'silent',
      plugins: main === undefined ? [] : [{
        name: 'main',
        setup(b) { b.onResolve({ filter: /^\.\/main\.ts$/ }, () => ({ path: main })) },
      }],
    }).then(() => outfile)
    bundles.set(`${name} ${main ?? ''}`, found)
  }
  return found
}

export interface Fixture {
  base: string
  tokens: Record<string, Record<string, string>>
  close(): Promise<void>
  /** Waits for the next POST /result. */
  nextResult(): Promise<SuiteResult>
  setBrowserBundle(path: string): void
}

/** The loopback server every runtime talks to. */
export async function startFixture(jwks: unknown): Promise<Fixture> {
  const waiters: Array<(r: SuiteResult) => void> = []
  let browserBundle = ''
  const fixture = { tokens: {} as Record<string, Record<string, string>> } as Fixture
  const big = { keys: Array.from({ length: 40 }, (_, i) => ({ kty: 'oct', kid: `pad-${i}`, k: 'A'.repeat(64) })) }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', ...headers })
      res.end(body)
    }
    if (url.pathname === '/jwks.json') return send(200, 'application/json', JSON.stringify(jwks), { 'cache-control': 'max-age=300' })
    if (url.pathname === '/big.json') return send(200, 'application/json', JSON.stringify(big))
    if (url.pathname === '/tokens.json') return send(200, 'application/json', JSON.stringify(fixture.tokens))
    if (url.pathname === '/index.html') return send(200, 'text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>')
    if (url.pathname === '/bundle.js') return send(200, 'text/javascript', readFileSync(browserBundle, 'utf8'))
    if (url.pathname === '/result' && req.method === 'POST') {
      let body = ''
      req.on('data', (d) => { body += d })
      req.on('end', () => {
        send(204, 'text/plain', '')
        waiters.shift()?.(JSON.parse(body) as SuiteResult)
      })
      return
    }
    send(404, 'text/plain', 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  fixture.base = `http://127.0.0.1:${address.port}`
  fixture.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  fixture.nextResult = () => new Promise((resolve) => waiters.push(resolve))
  fixture.setBrowserBundle = (path) => { browserBundle = path }
  return fixture
}

function withTimeout<T>(promise: Promise<T>, what: string, onTimeout: () => void = () => undefined): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => { onTimeout(); reject(new Error(`${what} did not finish in ${RUN_TIMEOUT_MS} ms`)) }, RUN_TIMEOUT_MS) }),
  ])
}

/** Runs the bundle on one runtime in one mode and returns its result. */
export async function runOn(name: RuntimeName, fixture: Fixture, mode: Mode, main?: string): Promise<SuiteResult> {
  const path = await bundle(name, main)
  if (name === 'node' || name === 'bun' || name === 'deno') {
    const cmd = name === 'node' ? process.execPath : bin(name)
    const args = name === 'deno' ? ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', path] : [path]
    const result = fixture.nextResult()
    const child = spawn(cmd, [...args, fixture.base, mode, name], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } })
    let output = ''
    child.stdout.on('data', (d) => { output += d })
    child.stderr.on('data', (d) => { output += d })
    const exited = new Promise<never>((_, reject) => child.on('exit', (code) => setTimeout(() => reject(new Error(`${name} exited (${code}) without a result:\n${output.slice(-2000)}`)), 2000)))
    try {
      return await withTimeout(Promise.race([result, exited]), name, () => child.kill('SIGKILL'))
    } finally {
      child.kill('SIGKILL')
    }
  }
  if (name === 'workerd') {
    const { Miniflare } = await import('miniflare')
    const mf = new Miniflare({ modules: true, script: readFileSync(path, 'utf8'), compatibilityDate: '2025-09-01', compatibilityFlags: [] })
    try {
      const response = await withTimeout(mf.dispatchFetch(`http://localhost/run?base=${encodeURIComponent(fixture.base)}&mode=${mode}`), 'workerd')
      const text = await response.text()
      try {
        return JSON.parse(text) as SuiteResult
      } catch {
        throw new Error(`workerd answered ${response.status}: ${text.slice(0, 2000)}`)
      }
    } finally {
      await mf.dispose()
    }
  }
  const { chromium } = await import('playwright-core')
  fixture.setBrowserBundle(path)
  const browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${fixture.base}/index.html?mode=${mode}`)
    await page.waitForFunction(() => (globalThis as { __jwkitResult?: unknown }).__jwkitResult !== undefined || (globalThis as unknown as { document: { readyState: string } }).document.readyState === 'complete', undefined, { timeout: RUN_TIMEOUT_MS })
    const result = await withTimeout(page.evaluate(async () => {
      for (let i = 0; i < 200 && (globalThis as { __jwkitResult?: unknown }).__jwkitResult === undefined; i++) await new Promise((r) => setTimeout(r, 50))
      return (globalThis as { __jwkitResult?: Promise<unknown> }).__jwkitResult
    }), 'chromium')
    if (result === undefined) throw new Error(`chromium: the bundle did not start: ${errors.join('; ')}`)
    return result as SuiteResult
  } finally {
    await browser.close()
  }
}
