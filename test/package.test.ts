// The package as a consumer gets it: built with the build config into a staging folder, packed by
// `npm pack` (the `files` list decides what ships), unpacked into a consumer's node_modules, then
// loaded by ESM `import`, CommonJS `require` (Node ≥ 20.19 requires ES modules without a flag when
// no module of the graph has top-level await) and type-checked by TypeScript as a consumer would.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; license: string; main: string; types: string; scripts: Record<string, string>
  exports: Record<string, string | Record<string, string>>; bin: Record<string, string>; sideEffects: unknown
}
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number]
// require(esm) is unflagged from Node 20.19 (and 22.12); older Node 20 needs the flag.
const REQUIRE_FLAGS = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19) ? [] : ['--experimental-require-module']

let work: string
let files: string[] = []
let pkg: string // the unpacked package inside the consumer's node_modules
let consumer: string

before(() => {
  // Inside the repository (.tmp/ is ignored) so that the unpacked package resolves its own
  // dependencies (@noble/post-quantum) from the repository's node_modules, as an install would.
  mkdirSync(join(root, '.tmp'), { recursive: true })
  work = mkdtempSync(join(root, '.tmp', 'package-'))
  const stage = join(work, 'stage')
  mkdirSync(stage)
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md']) cpSync(join(root, f), join(stage, f))
  // The build config, into the stage (not the repository's dist/, which npm start rebuilds);
  // --noCheck: the same emit without the type check that `npm run lint` already does.
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--noCheck', '--outDir', join(stage, 'dist')], { cwd: root, encoding: 'utf8', stdio: 'pipe' })
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: stage, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>
  files = packed[0]!.files.map((f) => f.path).sort()
  consumer = join(work, 'consumer')
  pkg = join(consumer, 'node_modules', manifest.name)
  mkdirSync(pkg, { recursive: true })
  execFileSync('tar', ['-xzf', join(work, packed[0]!.filename), '-C', pkg, '--strip-components=1'])
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
})

after(() => { if (work) rmSync(work, { recursive: true, force: true }) })

const targets = (value: string | Record<string, string>): string[] => (typeof value === 'string' ? [value] : Object.values(value))

test('what ships: dist/src, the docs and the LICENSE (MIT); no sources, tests or benches', () => {
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md']) assert.ok(files.includes(f), f)
  for (const f of files) assert.ok(f.startsWith('dist/src/') || !f.includes('/'), f)
  for (const f of files.filter((f) => f.startsWith('dist/'))) assert.match(f, /\.(js|d\.ts)$/, f)
  assert.equal(manifest.license, 'MIT')
  assert.match(readFileSync(join(pkg, 'LICENSE'), 'utf8'), /^MIT License\n/)
  assert.equal(manifest.sideEffects, false)
})

test('every exports, main, types and bin target is in the package', () => {
  const all = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap(targets)]
  for (const t of all) assert.ok(files.includes(posix.normalize(t)), t)
  // test/index.test.ts pins the entries and their names; here each must be packed and complete.
  for (const subpath of ['.', './package.json', './server', './store']) assert.ok(subpath in manifest.exports, subpath)
  for (const [subpath, value] of Object.entries(manifest.exports)) {
    if (subpath === './package.json') continue
    const conditions = value as Record<string, string>
    assert.equal(Object.keys(conditions)[0], 'types', `${subpath}: types comes first`)
    for (const c of ['import', 'require', 'default']) assert.ok(conditions[c], `${subpath}: ${c}`)
  }
})

test('no build runs on a consumer\'s install; the repository builds on prepack and before npm start', () => {
  for (const s of ['prepare', 'preinstall', 'install', 'postinstall']) assert.equal(manifest.scripts[s], undefined, s)
  assert.match(manifest.scripts.prepack ?? '', /npm run build/)
  assert.match(manifest.scripts.prestart ?? '', /npm run build/)
})

test('source maps: none shipped, and no file names one', () => {
  // The build ships none (tsconfig.build.json): a map whose sources are not in the package
  // does not resolve. If maps ever ship, each must resolve to a shipped file or carry its source.
  for (const f of files.filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(pkg, f), 'utf8')
    const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)
    if (!m) continue
    const map = posix.join(posix.dirname(f), m[1]!)
    assert.ok(files.includes(map), `${f} names ${map}, which is not shipped`)
    const { sources, sourcesContent } = JSON.parse(readFileSync(join(pkg, map), 'utf8')) as { sources: string[]; sourcesContent?: string[] }
    sources.forEach((s, i) => assert.ok(files.includes(posix.join(posix.dirname(map), s)) || typeof sourcesContent?.[i] === 'string', `${map}: ${s}`))
  }
  assert.equal(files.filter((f) => f.endsWith('.map')).length, 0)
})

test('nothing shipped points at ../shared (a clone or an install has no such folder)', () => {
  const pointing = files.filter((f) => /\.\.\/shared\b/.test(readFileSync(join(pkg, f), 'utf8')))
  assert.deepEqual(pointing, [])
})

test('the repository\'s docs and sources point at nothing outside it (no ../shared, no DESIGN.md)', () => {
  const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]))
  const docs = ['README.md', 'SECURITY.md', 'CHANGELOG.md', 'bench/README.md', ...walk('src')]
  const pointing = docs.filter((f) => /\.\.\/shared\b|DESIGN\.md/.test(readFileSync(join(root, f), 'utf8')))
  assert.deepEqual(pointing, [])
})

test('the portable entry\'s module graph reaches no store, server or CLI module and no Node-only driver', () => {
  const seen = new Set<string>()
  const external = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const ref of ts.preProcessFile(readFileSync(join(pkg, file), 'utf8'), true, true).importedFiles) {
      if (ref.fileName.startsWith('.')) visit(posix.normalize(posix.join(posix.dirname(file), ref.fileName)))
      else external.add(ref.fileName)
    }
  }
  visit('dist/src/index.js')
  const reached = [...seen]
  assert.ok(reached.length > 20, 'the graph was walked')
  assert.deepEqual(reached.filter((f) => /^dist\/src\/(store|server|cli)\//.test(f)), [])
  for (const banned of ['node:http', 'node:net', 'node:fs', 'node:path', 'node:os', 'better-sqlite3', 'pg']) assert.equal(external.has(banned), false, banned)
})

function run(file: string, source: string, flags: string[] = []) {
  writeFileSync(join(consumer, file), source)
  const r = spawnSync(process.execPath, [...flags, file], { cwd: consumer, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' })
  assert.equal(r.status, 0, r.stderr)
  return { out: JSON.parse(r.stdout) as Record<string, string[] | string>, stderr: r.stderr }
}

const PROBE = (load: string) => `
  ${load}
  let deep = 'exported'
  try { req('jwkit/dist/src/crypto/ml-dsa.js') } catch (e) { deep = e.code }
  out.deep = deep
  process.stdout.write(JSON.stringify(out))`

test('CommonJS: require("jwkit"), "jwkit/store" and "jwkit/server" give the same names as import; internals are not reachable', () => {
  const cjs = run('probe.cjs', PROBE(`
    const req = require
    const out = { main: Object.keys(require('jwkit')), store: Object.keys(require('jwkit/store')), server: Object.keys(require('jwkit/server')) }
    const { generateJwk, signJwt, verifyJwt } = require('jwkit')
    out.roundTrip = 'pending'
    generateJwk('ES256').then(async (key) => {
      const { claims } = await verifyJwt(await signJwt({ sub: 'cjs' }, key), key)
      if (claims.sub !== 'cjs') process.exit(3)
    }).catch((e) => { console.error(e); process.exit(4) })`), REQUIRE_FLAGS)
  const esm = run('probe.mjs', PROBE(`
    import { createRequire } from 'node:module'
    const req = createRequire(import.meta.url)
    const out = { main: Object.keys(await import('jwkit')), store: Object.keys(await import('jwkit/store')), server: Object.keys(await import('jwkit/server')) }
    out.sameClass = String(req('jwkit').JwkitError === (await import('jwkit')).JwkitError)`))
  for (const entry of ['main', 'store', 'server']) {
    assert.deepEqual([...cjs.out[entry]!].sort(), [...esm.out[entry]!].sort(), entry)
    assert.ok(cjs.out[entry]!.length > 0, entry)
  }
  assert.ok(cjs.out.main!.includes('verifyJwt'))
  assert.ok(cjs.out.store!.includes('openKeyStore'))
  assert.ok(cjs.out.server!.includes('createJwksServer'))
  assert.equal(cjs.out.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED')
  assert.equal(esm.out.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED')
  assert.doesNotMatch(cjs.stderr, /ERR_REQUIRE/)
  assert.equal(esm.out.sameClass, 'true', 'require and import load one module: one JwkitError class')
})

test('the jwk bin of the package runs', () => {
  const bin = join(pkg, manifest.bin.jwk!)
  assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  const r = spawnSync(process.execPath, [bin, 'generate', 'ES256'], { cwd: consumer, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' })
  assert.equal(r.status, 0, r.stderr)
  assert.equal((JSON.parse(r.stdout) as { kty: string }).kty, 'EC')
})

test('TypeScript consumers (ESM and CommonJS, nodenext and bundler resolution) get the types, and only the public names', () => {
  const body = `
    import { parseJwk, verifyJwt, type Jwk, type VerifyJwtResult } from 'jwkit'
    import { openKeyStore, type KeyStore } from 'jwkit/store'
    import { createJwksServer, type CreateJwksServerOptions } from 'jwkit/server'
    export const jwk: Jwk = parseJwk('{}')
    export type R = VerifyJwtResult
    export const uses = [verifyJwt, openKeyStore, createJwksServer]
    export type S = KeyStore | CreateJwksServerOptions
    // @ts-expect-error a typed entry: a Jwk is not a number (unused if the types resolved to any)
    export const n: number = parseJwk('{}')
  `
  const privateName = `
    // @ts-expect-error internals are not exported
    import { mlDsa } from 'jwkit'
    export const m = mlDsa
  `
  writeFileSync(join(consumer, 'esm.mts'), body + privateName)
  writeFileSync(join(consumer, 'cjs.cts'), body)
  writeFileSync(join(consumer, 'bundler.ts'), body + privateName)
  // One program per resolution mode; lib files are not checked (skipLibCheck) but must resolve:
  // an unresolved import would make the names \`any\` and leave the expectations unused.
  writeFileSync(join(consumer, 'wrong.mts'), body.replace('// @ts-expect-error', '//'))
  let previous: ts.Program | undefined
  const check = (files: string[], options: ts.CompilerOptions) => {
    const program = ts.createProgram(files.map((f) => join(consumer, f)), {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], ...options,
    }, undefined, previous)
    previous = program
    return ts.getPreEmitDiagnostics(program).map((d) => `${posix.basename(d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  }
  const nodenext = check(['esm.mts', 'cjs.cts', 'wrong.mts'], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext })
  // The check can fail: without the expectation comment, the deliberate error is the one reported.
  assert.equal(nodenext.length, 1, nodenext.join('\n'))
  assert.match(nodenext[0]!, /^wrong\.mts: Type 'Jwk' is not assignable to type 'number'/)
  assert.deepEqual(check(['bundler.ts'], { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }), [])
  assert.ok(existsSync(join(pkg, dirname(manifest.types))))
})

test('a browser or worker TypeScript project (lib es2022 + dom, "types": [], no @types/node, skipLibCheck off) type-checks against the jwkit entry; Node code still gets node:crypto KeyObjects', () => {
  const portable = `
    import { importJwk, exportJwk, jwkToCryptoKey, signJwt, verifyJwt, createDpopProof, fromX509, toPem, type Jwk, type KeyLike, type CryptoKeyLike } from 'jwkit'
    export async function run(jwk: Jwk, cryptoKey: CryptoKey): Promise<string> {
      const handle: KeyLike = importJwk(jwk)
      const kind: 'secret' | 'public' | 'private' = handle.type
      exportJwk(handle)
      exportJwk(cryptoKey)
      const made: CryptoKey = await jwkToCryptoKey(jwk, 'ES256')
      const back: CryptoKeyLike = made
      await verifyJwt(await signJwt({ a: 1 }, handle, { alg: 'ES256' }), jwk)
      await createDpopProof(handle, { htm: 'GET', htu: 'https://rs.example/' })
      void fromX509; void back
      return kind + toPem(jwk)
    }
  `
  writeFileSync(join(consumer, 'portable.ts'), portable)
  const program = ts.createProgram([join(consumer, 'portable.ts')], {
    strict: true, noEmit: true, skipLibCheck: false, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [],
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  })
  const problems = ts.getPreEmitDiagnostics(program).map((d) => `${(d.file?.fileName ?? '').replace(/.*\/dist\//, 'dist/')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
  assert.deepEqual(problems, [])
  assert.ok(program.getSourceFiles().some((f) => f.fileName.endsWith('/dist/src/crypto/key-handle.d.ts')), 'the jwkit declarations were read')
  // With @types/node the same handle is node:crypto's KeyObject: Node code keeps its methods.
  writeFileSync(join(consumer, 'node-user.mts'), `
    import { importJwk, exportJwk, type Jwk } from 'jwkit'
    import { createPublicKey, verify, type KeyObject } from 'node:crypto'
    export function run(jwk: Jwk, data: Uint8Array, sig: Uint8Array): boolean {
      const key: KeyObject = importJwk(jwk)
      key.equals(createPublicKey(key))
      exportJwk(createPublicKey(key))
      return verify('sha256', data, key, sig)
    }
  `)
  const nodeProgram = ts.createProgram([join(consumer, 'node-user.mts')], {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  })
  assert.deepEqual(ts.getPreEmitDiagnostics(nodeProgram).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [])
})
