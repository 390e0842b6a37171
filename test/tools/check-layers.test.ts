// tools/check-layers.mjs on fixture trees: each rule has a tree that must fail (and names the
// rule), beside trees that must pass. The checker's checkLayers(root) runs in this process (one
// TypeScript load for every tree); the last tests run it as `npm run lint` does, as a process.
// JWKIT_CHECK_LAYERS=path runs another checker script (e.g. an older one) as a process in each
// tree's root instead.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CHECKER = process.env.JWKIT_CHECK_LAYERS ?? fileURLToPath(new URL('../../tools/check-layers.mjs', import.meta.url))

// A computed path, so that TypeScript does not look for the script's declarations.
const checker = (await import(CHECKER)) as { checkLayers: (root: string) => unknown }

const PACKAGE = {
  name: 'fixture', type: 'module',
  exports: { '.': { types: './dist/src/index.d.ts', import: './dist/src/index.js' }, './store': './dist/src/store/index.js' },
  imports: { '#backend': { node: './src/backend/node.ts', default: './src/backend/web.ts' } },
  dependencies: { '@noble/post-quantum': '0.7.1' },
  peerDependencies: { 'better-sqlite3': '^12.0.0' },
  devDependencies: { pg: '8.23.1', typescript: '5.9.3' },
}

// A small tree that follows every rule.
const BASE: Record<string, string> = {
  'src/errors.ts': 'export class JwkitError extends Error {}\n',
  'src/util/bytes.ts': 'export const concat = (a: Uint8Array) => a\n',
  'src/backend/node.ts': "import { createHash } from 'node:crypto'\nexport const sha = (b: Uint8Array) => createHash('sha256').update(b).digest()\n",
  'src/backend/web.ts': 'export const sha = (b: Uint8Array) => b\n',
  'src/jwk/parse.ts': "import { concat } from '../util/bytes.ts'\nimport { JwkitError } from '../errors.ts'\nimport { sha } from '#backend'\nexport function parseJwk(x: Uint8Array) { if (!x) throw new JwkitError(); return sha(concat(x)) }\n",
  'src/jwk/index.ts': "export { parseJwk } from './parse.ts'\n",
  'src/jws/verify.ts': "import type { KeyObject } from 'node:crypto'\nimport { parseJwk } from '../jwk/parse.ts'\nexport const verify = (k: KeyObject | Uint8Array) => parseJwk(k as Uint8Array)\n",
  'src/store/open.ts': "import { readFileSync } from 'node:fs'\nimport { parseJwk } from '../jwk/index.ts'\nexport async function open(p: string) { const m = await import('better-sqlite3'); return [m, parseJwk(readFileSync(p))] }\n",
  'src/store/index.ts': "export { open } from './open.ts'\n",
  'src/cli/main.ts': "import { open } from '../store/open.ts'\nconst run = () => open('x')\nvoid run()\n",
  'src/index.ts': "export { parseJwk } from './jwk/index.ts'\nexport { verify } from './jws/verify.ts'\nexport { JwkitError } from './errors.ts'\n",
}

function check(files: Record<string, string | undefined>, pkg: object = PACKAGE) {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-layers-'))
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg))
    for (const [path, text] of Object.entries({ ...BASE, ...files })) {
      if (text === undefined) continue
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    if (process.env.JWKIT_CHECK_LAYERS) {
      const r = spawnSync(process.execPath, [CHECKER], { cwd: dir, encoding: 'utf8' })
      return { status: r.status, out: `${r.stdout}${r.stderr}` }
    }
    const { problems, warnings } = checker.checkLayers(dir) as { problems: string[]; warnings: string[] }
    return { status: problems.length > 0 ? 1 : 0, out: [...warnings, ...problems].join('\n') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function fails(files: Record<string, string | undefined>, pattern: RegExp, pkg?: object) {
  const r = check(files, pkg)
  assert.equal(r.status, 1, `expected a failure matching ${pattern}, got:\n${r.out}`)
  assert.match(r.out, pattern)
}

function passes(files: Record<string, string | undefined>, pkg?: object) {
  const r = check(files, pkg)
  assert.equal(r.status, 0, r.out)
}

const UP = "export const up = 1\n"

test('a tree that follows every rule passes; comments and strings that look like imports are not imports', () => {
  passes({
    'src/jwk/doc.ts': "// import { open } from '../store/open.ts'\n/* export * from '../cli/main.ts' */\nexport const text = \"import '../server/x.ts'\"\n",
  })
})

test('layer: a static import of a higher layer', () => {
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "import { up } from '../store/up.ts'\nexport const a = up\n" }, /src\/jwk\/a\.ts:1: layer: jwk imports the higher layer store/)
})

test('layer: paths the old pattern did not match (./../, ../../src/, a specifier on its own line)', () => {
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "import { up } from './../store/up.ts'\nexport const a = up\n" }, /jwk imports the higher layer store/)
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "import { up } from '../../src/store/up.ts'\nexport const a = up\n" }, /jwk imports the higher layer store/)
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "import {\n  up,\n} from\n  '../store/up.ts'\nexport const a = up\n" }, /src\/jwk\/a\.ts:1: layer: jwk imports the higher layer store/)
})

test('layer: a dynamic import(), a side-effect import, export … from, export * from, a type-only import', () => {
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "export const a = () => import('../store/up.ts')\n" }, /src\/jwk\/a\.ts:1: layer: jwk imports the higher layer store/)
  fails({ 'src/server/up.ts': UP, 'src/jws/a.ts': "import '../server/up.ts'\n" }, /jws imports the higher layer server/)
  fails({ 'src/cli/up.ts': UP, 'src/jwk/a.ts': "export { up } from '../cli/up.ts'\n" }, /jwk imports the higher layer cli/)
  fails({ 'src/store/up.ts': UP, 'src/jwk/a.ts': "export * from '../store/up.ts'\n" }, /jwk imports the higher layer store/)
  fails({ 'src/store/up.ts': 'export type Up = number\n', 'src/jwk/a.ts': "import type { Up } from '../store/up.ts'\nexport const a: Up = 1\n" }, /jwk imports the higher layer store/)
  fails({ 'src/store/up.ts': 'export type Up = number\n', 'src/jwk/a.ts': "export const a: import('../store/up.ts').Up = 1\n" }, /jwk imports the higher layer store/)
})

test('layer: a computed import(), an import outside src/, an import of src/index.ts, a # import the map does not know or that points up', () => {
  fails({ 'src/jwk/a.ts': "const m = 'x'\nexport const a = () => import(m)\n" }, /src\/jwk\/a\.ts:2: layer: import\(\) or require\(\) of a computed specifier/)
  fails({ 'src/jwk/a.ts': "import pkg from '../../package.json' with { type: 'json' }\nexport const a = pkg\n" }, /reaches outside src\//)
  fails({ 'src/cli/a.ts': "import { parseJwk } from '../index.ts'\nexport const a = parseJwk\n" }, /src\/index\.ts is the package entry: nothing in src\/ imports it/)
  fails({ 'src/jwk/a.ts': "import { x } from '#nowhere'\nexport const a = x\n" }, /#nowhere is not in package.json "imports"/)
  fails({ 'src/util/a.ts': "import { sha } from '#backend'\nexport const a = sha\n" }, /util imports the higher layer backend/)
})

test('folder: a folder of src/ that is no layer, a stray file directly under src/', () => {
  fails({ 'src/helpers/a.ts': UP }, /src\/helpers:1: folder: src\/helpers\/ is not a layer/)
  fails({ 'src/jose/sign.ts': UP }, /src\/jose\/ is not a layer/)
  fails({ 'src/misc.ts': UP }, /src\/misc\.ts:1: folder: only index\.ts and errors\.ts/)
})

test('errors: the registry imports nothing; every layer imports it', () => {
  fails({ 'src/errors.ts': "import { concat } from './util/bytes.ts'\nexport const c = concat\n" }, /src\/errors\.ts:1: errors: src\/errors\.ts imports nothing/)
  passes({ 'src/guard/errors.ts': "import { JwkitError } from '../errors.ts'\nexport class GuardError extends JwkitError {}\n" })
})

test('index: src/index.ts and a layer\'s index.ts only re-export', () => {
  fails({ 'src/jwk/index.ts': "export { parseJwk } from './parse.ts'\nexport function helper() { return 1 }\n" }, /src\/jwk\/index\.ts:2: index: .* only re-exports/)
  fails({ 'src/index.ts': "import { parseJwk } from './jwk/index.ts'\nexport { parseJwk }\n" }, /src\/index\.ts:1: index/)
  // A nested folder's index.ts (a table, say) is an ordinary module.
  passes({ 'src/cli/commands/index.ts': "import { open } from '../../store/open.ts'\nexport const commands = [open]\n" })
})

test('entry: the main entry lists its names and re-exports portable layers only; a subpath entry lists its names', () => {
  fails({ 'src/index.ts': "export * from './jwk/index.ts'\n" }, /src\/index\.ts:1: entry: the package entry \. lists its names/)
  fails({ 'src/index.ts': "export { parseJwk } from './jwk/index.ts'\nexport { open } from './store/index.ts'\n" }, /src\/index\.ts:2: entry: the portable entry \(jwkit\) re-exports the Node-only layer store/)
  fails({ 'src/store/index.ts': "export * from './open.ts'\n" }, /src\/store\/index\.ts:1: entry: the package entry \.\/store lists its names/)
})

test('node: node: modules per layer (none in the portable ones beyond the recorded exceptions); builtins only as node:x', () => {
  fails({ 'src/util/a.ts': "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n" }, /src\/util\/a\.ts:1: node: the util layer may not import node:fs/)
  fails({ 'src/jwk/a.ts': "import { request } from 'node:http'\nexport const a = request\n" }, /the jwk layer may not import node:http/)
  fails({ 'src/jwks/a.ts': "import { createServer } from 'node:net'\nexport const a = createServer\n" }, /the jwks layer may not import node:net/)
  fails({ 'src/guard/a.ts': "export const a = () => import('node:http')\n" }, /the guard layer may not import node:http/)
  fails({ 'src/store/a.ts': "import { readFileSync } from 'fs'\nexport const a = readFileSync\n" }, /src\/store\/a\.ts:1: node: Node's fs is imported as node:fs/)
  fails({ 'src/index.ts': "export { parseJwk } from './jwk/index.ts'\nexport { createHash } from 'node:crypto'\n" }, /src\/index\.ts imports no outside module/)
  // Node's modules in the Node-only layers; a type-only import anywhere.
  passes({
    'src/server/a.ts': "import { createServer } from 'node:http'\nimport { join } from 'node:path'\nexport const a = [createServer, join]\n",
    'src/util/t.ts': "import type { KeyObject } from 'node:crypto'\nexport type K = KeyObject\n",
  })
})

test('package: npm packages per layer, and only runtime dependencies', () => {
  fails({ 'src/jwks/a.ts': "export const a = () => import('better-sqlite3')\n" }, /the jwks layer may not import better-sqlite3/)
  fails({ 'src/store/a.ts': "export const a = () => import('pg')\n" }, /src\/store\/a\.ts:1: package: pg is not a dependency or peer dependency/)
  fails({ 'src/store/a.ts': "import x from 'left-pad'\nexport const a = x\n" }, /left-pad is not a dependency/)
  fails({ 'src/store/a.ts': "import { createRequire } from 'node:module'\nexport const a = () => createRequire(import.meta.url)('left-pad')\n" }, /src\/store\/a\.ts:2: package: left-pad is not a dependency/)
  fails({ 'src/util/a.ts': "import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js'\nexport const a = ml_dsa44\n" }, /the util layer may not import @noble\/post-quantum/)
  passes({ 'src/store/a.ts': "export const a = () => import('better-sqlite3')\n" })
})

test('tla: no top-level await (require() of the package refuses it)', () => {
  fails({ 'src/jwks/a.ts': "export const a = await Promise.resolve(1)\n" }, /src\/jwks\/a\.ts:1: tla: top-level await/)
  fails({ 'src/cli/a.ts': "for await (const x of [Promise.resolve(1)]) console.log(x)\nexport {}\n" }, /src\/cli\/a\.ts:1: tla/)
  passes({ 'src/jwks/a.ts': "export async function a() { return await Promise.resolve(1) }\nexport const b = async () => { for await (const x of []) void x }\n" })
})

test('effects: no top-level statement with effects outside the bin (sideEffects: false)', () => {
  fails({ 'src/jwk/a.ts': "globalThis.x = 1\nexport {}\n" }, /src\/jwk\/a\.ts:1: effects/)
  fails({ 'src/server/a.ts': "process.on('exit', () => {})\nexport {}\n" }, /src\/server\/a\.ts:1: effects/)
})

test('buffer: the portable layers never name Buffer, in code or in types; the Node sides of the seams may', () => {
  fails({ 'src/jwk/a.ts': "export const a = (s: string) => Buffer.from(s, 'base64url')\n" }, /src\/jwk\/a\.ts:1: buffer: the jwk layer is portable: no Buffer/)
  fails({ 'src/jws/a.ts': 'export function a(b: Uint8Array): Buffer | undefined {\n  return b as never\n}\n' }, /src\/jws\/a\.ts:1: buffer/)
  fails({ 'src/util/a.ts': "export const a = (globalThis as any).Buffer\nexport const b = globalThis['Buffer']\n" }, /src\/util\/a\.ts:1: buffer[\s\S]*src\/util\/a\.ts:2: buffer/)
  fails({ 'src/backend/web.ts': "import { Buffer } from 'node:buffer'\nexport const sha = (b: Uint8Array) => Buffer.from(b)\n" }, /src\/backend\/web\.ts:1: buffer/)
  fails({ 'src/guard/a.ts': 'export const a = (b: Uint8Array) => Buffer.isBuffer(b)\n' }, /src\/guard\/a\.ts:1: buffer/)
  passes({
    // The node codec and the node backend; the Node-only layers; ArrayBuffer, members named Buffer, comments and strings.
    'src/util/codec-node.ts': "export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex')\n",
    'src/backend/node.ts': "import { createHash } from 'node:crypto'\nexport const sha = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest()\n",
    'src/store/a.ts': "export const a = Buffer.alloc(1)\n",
    'src/jwk/b.ts': "// Buffer.from(x)\nexport const b = { Buffer: 1 }.Buffer + new ArrayBuffer(1).byteLength\nexport const c = 'Buffer'\nexport interface D { Buffer: number }\n",
  })
})

test('warnings, not failures: a stale exception; a # import target not written yet', () => {
  const r = check({ 'src/backend/web.ts': undefined })
  assert.equal(r.status, 0, r.out)
  assert.match(r.out, /warning: the exception "jwk: @noble\/post-quantum" is no longer needed/)
  assert.match(r.out, /warning: package.json "imports" #backend → src\/backend\/web\.ts: no such file/)
})

test('as a process: exit 1 and file:line: rule: message on stderr for a failing tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-layers-'))
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(PACKAGE))
    for (const [path, text] of Object.entries({ ...BASE, 'src/store/up.ts': UP, 'src/jwk/a.ts': "import '../store/up.ts'\n" })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const r = spawnSync(process.execPath, [CHECKER], { cwd: dir, encoding: 'utf8' })
    assert.equal(r.status, 1, r.stdout + r.stderr)
    assert.match(r.stderr, /^src\/jwk\/a\.ts:1: layer: jwk imports the higher layer store/m)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the repository itself passes', () => {
  const r = spawnSync(process.execPath, [CHECKER], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' })
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`)
})
