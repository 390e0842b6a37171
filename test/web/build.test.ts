/**
 * `npm run build:web` (tools/build-web.mjs) makes a static folder that works on any host: the two
 * documents reference only relative, existing, content-hashed files; no inline script or style,
 * no third-party URL; the meta CSP (for static hosts) says what the server's header says.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { contentSecurityPolicy } from '../../src/server/page-routes.ts'
import { readPageDir } from '../../src/server/page-assets.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

test('the static folder: relative hashed assets, no inline code, no third party, CSP meta equal to the header', { timeout: 60_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'jwkit-build-web-'))
  try {
    execFileSync(process.execPath, [join(ROOT, 'tools/build-web.mjs'), out], { stdio: ['ignore', 'ignore', 'ignore'] })
    const assets = readdirSync(join(out, 'assets'))
    assert.ok(assets.some((f) => /^workbench-[A-Z0-9]+\.js$/.test(f)) && assets.some((f) => /^dashboard-[A-Z0-9]+\.js$/.test(f)) && assets.some((f) => /^style-[A-Z0-9]+\.css$/.test(f)))
    for (const doc of ['index.html', 'dashboard.html']) {
      const html = readFileSync(join(out, doc), 'utf8')
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
      for (const ref of refs) {
        assert.ok(!/^[a-z]+:|^\/\//i.test(ref), `${doc}: ${ref} is not relative`)
        if (ref.startsWith('assets/')) assert.ok(existsSync(join(out, ref)), `${doc}: ${ref} exists`)
      }
      assert.ok(!/\{\{/.test(html), 'every placeholder was replaced')
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
      assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler')
      const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!
      const connect = /connect-src ([^;]+)/.exec(meta)![1]!
      const header = contentSecurityPolicy(connect).replace("; frame-ancestors 'none'", '') // frame-ancestors has no effect in a meta element
      assert.equal(meta, header, doc)
      assert.match(html, /<meta name="referrer" content="no-referrer">/)
    }
    const css = readFileSync(join(out, 'assets', assets.find((f) => f.endsWith('.css'))!), 'utf8')
    assert.doesNotMatch(css, /@import|url\(\s*['"]?(https?:)?\/\//, 'no third-party style asset')
    // the server reads the folder as built; hashed files are served immutable
    const served = readPageDir(out)!
    const js = [...served.keys()].find((k) => k.startsWith('assets/workbench-'))!
    assert.equal(served.get(js)!.cacheControl, 'public, max-age=31536000, immutable')
    assert.equal(served.get('index.html')!.cacheControl, 'no-cache')
    const bytes = readFileSync(join(out, js))
    assert.equal(served.get(js)!.etag, `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})
