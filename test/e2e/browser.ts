/**
 * End-to-end helpers: the page built into a temporary folder (tools/build-web.mjs), `jwk serve`
 * started as a process on 127.0.0.1 with that folder (JWKIT_WEB_DIR) and a temporary SQLite
 * store, and headless Chromium (Debian's `chromium`) driven by playwright-core. Without
 * chromium the tests skip, except under CI=true, where a missing browser is a failure.
 */
import { before, after } from 'node:test'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page, type Request } from 'playwright-core'
import { servePort } from '../cli/serve-port.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CHROMIUM = process.env.JWKIT_CHROMIUM ?? '/usr/bin/chromium'
const MAIN = join(ROOT, 'src/cli/main.ts')
const TSX = import.meta.resolve('tsx')
/** Screenshots go here (gitignored); look at them. */
export const SHOTS = join(ROOT, 'test-output', 'e2e')

/** undefined when the browser can run; otherwise the reason to skip (never under CI: then it throws). */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const reason = `${CHROMIUM} not found (Debian: apt-get install -y chromium)`
  if (process.env.CI) throw new Error(`CI: ${reason}`)
  return reason
}

/** Builds the page into a fresh temporary folder. */
export function buildPage(): string {
  const out = mkdtempSync(join(tmpdir(), 'jwkit-web-'))
  execFileSync(process.execPath, [join(ROOT, 'tools/build-web.mjs'), out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  return out
}

export interface Served {
  base: string
  proc: ChildProcess
  dir: string
  stop(): Promise<void>
}

/** `jwk serve` on 127.0.0.1:0 over a new SQLite store, serving the page from `webDir`. */
export async function startServe(webDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-e2e-'))
  const proc = spawn(process.execPath, ['--conditions=jwkit-source', '--import', TSX, MAIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--store', `sqlite:${join(dir, 'keys.db')}`, ...args], {
    cwd: dir, env: { PATH: process.env.PATH ?? '', JWKIT_WEB_DIR: webDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += d })
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()))
  const port = await servePort(proc.stdout!, exited, () => stderr, 'jwk serve')
  return {
    base: `http://127.0.0.1:${port}`, proc, dir,
    async stop() {
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** What one e2e file runs against: the page built once, its `jwk serve` processes and a browser. */
export interface PageFixture {
  browser: Browser
  served: Served[]
  /** Closes the browser, stops every server and removes the page build. */
  stop(): Promise<void>
}

/** Builds the page, then starts one `jwk serve` per spec (env, extra args) and Chromium side by side. */
export async function startPageFixture(specs: Array<{ env?: Record<string, string>; args?: string[] }> = [{}]): Promise<PageFixture> {
  const web = buildPage()
  const [browser, ...served] = await Promise.all([launch(), ...specs.map((s) => startServe(web, s.env, s.args))]) as [Browser, ...Served[]]
  return {
    browser, served,
    async stop() {
      await browser.close()
      for (const s of served) await s.stop()
      rmSync(web, { recursive: true, force: true })
    },
  }
}

/**
 * The fixture of one e2e file, started by a `before` hook and stopped by an `after` hook that this
 * registers (neither does anything when `skip` is set): read `browser` and `served` inside tests.
 */
export function usePageFixture(skip: string | undefined, specs?: Array<{ env?: Record<string, string>; args?: string[] }>): Omit<PageFixture, 'stop'> {
  let fixture: PageFixture | undefined
  before(async () => {
    if (!skip) fixture = await startPageFixture(specs)
  })
  after(() => fixture?.stop())
  return {
    get browser() { return fixture!.browser },
    get served() { return fixture!.served },
  }
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
}

/** Every request the page makes, and the errors it logs. */
export function record(page: Page): { requests: Request[]; errors: string[]; failed: string[] } {
  const requests: Request[] = []
  const errors: string[] = []
  const failed: string[] = []
  page.on('request', (r) => requests.push(r))
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`) })
  page.on('pageerror', (e) => errors.push(String(e)))
  // Chromium logs every 4xx answer as a console error; those are in `failed`, with their paths.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()) })
  return { requests, errors, failed }
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true })
  const path = join(SHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Fills the workbench's Input and waits for the analysis of exactly that text. */
export async function paste(page: Page, text: string): Promise<void> {
  const before = await page.locator('#report').getAttribute('data-analyses')
  const box = page.getByRole('textbox', { name: 'Input', exact: true })
  await box.fill('') // so the same text pasted again is a change too
  await box.fill(text)
  // the report follows the input after a short debounce: wait for the next analysis
  // (on a loaded machine the debounce may fire between the two fills: wait for the text's own analysis)
  // and for the conversions WebCrypto writes afterwards (data-complete: that analysis is complete)
  await page.waitForFunction(([b, n]) => {
    const report = document.getElementById('report')!
    const done = report.getAttribute('data-analyses')
    return done !== b && report.getAttribute('data-analysed-chars') === n && report.getAttribute('data-complete') === done
  }, [before, String(text.length)] as const)
}

/** A fact of the workbench's report (the first with this name). */
export const fact = (page: Page, name: string): Promise<string> => page.locator(`#report [data-fact="${name}"]`).first().innerText()
