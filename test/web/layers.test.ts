/**
 * The page's code stays portable: src/web/** imports only its own modules and jwkit's portable
 * layers (util, jwk, crypto, formats, jws, jwt, jwe, jwks, errors) — never store/, server/, cli/,
 * a `node:` module or an npm package — so the bundle needs nothing a browser lacks.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const WEB = fileURLToPath(new URL('../../src/web', import.meta.url))
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []))
const PORTABLE = /^\.\.\/\.\.\/(util|jwk|crypto|formats|jws|jwt|jwe|jwks|backend)\/|^\.\.\/\.\.\/errors\.ts$|^\.\.?\/(logic\/|ui\/)?[a-z0-9-]+\.ts$/

export function badImports(text: string): string[] {
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!)
  return specs.filter((s) => !PORTABLE.test(s))
}

test('src/web imports only portable jwkit layers and its own modules', () => {
  assert.deepEqual(badImports(`import { x } from '../../store/key-manager.ts'\nimport 'node:fs'\nimport y from 'preact'\nimport { ok } from '../../jwk/parse.ts'`), ['../../store/key-manager.ts', 'node:fs', 'preact'])
  const files = walk(WEB)
  assert.ok(files.length >= 5)
  for (const file of files) assert.deepEqual(badImports(readFileSync(file, 'utf8')), [], file)
})
