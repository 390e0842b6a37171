// Builds the page (workbench and dashboard) into a static folder: node tools/build-web.mjs [OUT]
// (default dist/web). esbuild bundles src/web/ui/*-main.ts for browsers (the `browser` import
// condition selects jwkit's portable crypto backend, `jwkit-source` its source files) into content-hashed files under assets/;
// the HTML documents get the hashed names. The folder works on any static host; `jwk serve`
// serves it from memory (src/server/page-assets.ts). No third-party asset, no CDN.
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(process.argv.slice(2).find((a) => !a.startsWith("-")) ?? join(root, "dist/web"))
const ui = join(root, 'src/web/ui')
const hash = (bytes) => createHash('sha256').update(bytes).digest('base64url').slice(0, 10).replace(/[-_]/g, 'x')

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    workbench: join(ui, 'workbench-main.ts'),
    dashboard: join(ui, 'dashboard-main.ts'),
    style: join(ui, 'style.css'),
  },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // jwkit-source: package.json "imports" (#backend) resolve to src/ rather than the tsc build.
  conditions: ['jwkit-source', 'browser'],
  // The repo's tsconfig may map #backend to the Node backend for tsx: not for the page.
  tsconfigRaw: '{}',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  outdir: join(out, 'assets'),
  write: false,
  metafile: true,
  logLevel: 'warning',
  // A node: import reached from the page stays external and is reported below (the page would not
  // load; test/e2e/workbench fails on it), so a slip there never breaks the server's build.
  external: ['node:*'],
})

const files = new Map()
const names = {}
for (const file of result.outputFiles) {
  const rel = `assets/${basename(file.path)}`
  files.set(rel, file.contents)
}
for (const [path, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint === undefined) continue
  const name = basename(meta.entryPoint).replace(/-main\.ts$/, '.js')
  names[name] = `assets/${basename(path)}`
  const nodeImports = (meta.imports ?? []).filter((i) => i.path.startsWith('node:')).map((i) => i.path)
  if (nodeImports.length > 0) {
    console.warn(`build-web: ${name} imports ${[...new Set(nodeImports)].join(', ')}: it will not load in a browser`)
  }
}
const icon = readFileSync(join(ui, 'icon.svg'))
names['icon.svg'] = `assets/icon-${hash(icon)}.svg`
files.set(names['icon.svg'], icon)

for (const page of ['index.html', 'dashboard.html']) {
  let html = readFileSync(join(ui, page), 'utf8')
  html = html.replace(/\{\{([a-z.]+)\}\}/g, (_, name) => {
    if (names[name] === undefined) throw new Error(`build-web: ${page} names an unknown asset ${name}`)
    return names[name]
  })
  files.set(page, Buffer.from(html))
}

// Written beside, then swapped in, so a server reading the folder never sees half a build.
const tmp = `${out}.tmp-${process.pid}`
rmSync(tmp, { recursive: true, force: true })
for (const [rel, bytes] of files) {
  mkdirSync(dirname(join(tmp, rel)), { recursive: true })
  writeFileSync(join(tmp, rel), bytes)
}
const old = `${out}.old-${process.pid}`
try { renameSync(out, old) } catch { /* first build */ }
renameSync(tmp, out)
rmSync(old, { recursive: true, force: true })
const total = [...files.values()].reduce((n, b) => n + b.byteLength, 0)
console.log(`build-web: ${files.size} files, ${(total / 1024).toFixed(1)} KiB in ${out}`)
