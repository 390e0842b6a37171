import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as jwkit from '../src/index.ts'

// The names ../shared/DESIGN.md promises; users and outside checks call exactly these.
const DESIGN_FUNCTIONS = [
  'parseJwk', 'checkJwk', 'parseJwkSet', 'toPublicJwk', 'thumbprint', 'thumbprintUri', 'generateJwk',
  'importJwk', 'exportJwk', 'selectKeys',
  'fromPem', 'toPem', 'fromX509', 'fromSsh', 'toSsh', 'fromCose', 'toCose',
  'signJws', 'verifyJws', 'signJwt', 'verifyJwt',
  'createLocalJwks', 'createRemoteJwks',
  'openKeyStore', 'createKeyManager', 'createJwksServer',
  'isJwkitError',
] as const

test('DESIGN.md public API: every name is exported from the package entry', () => {
  const api = jwkit as unknown as Record<string, unknown>
  for (const name of DESIGN_FUNCTIONS) assert.equal(typeof api[name], 'function', name)
  assert.equal(typeof jwkit.JwkitError, 'function')
})

test('importing the package loads no database driver (they are optional peers, loaded by scheme)', () => {
  const script = `
    import('./src/index.ts').then(async () => {
      const { createRequire } = await import('node:module')
      const require = createRequire(import.meta.url)
      const loaded = Object.keys(require.cache).filter((p) => /node_modules[\\\\/](better-sqlite3|pg)[\\\\/]/.test(p))
      process.stdout.write(JSON.stringify(loaded))
    })`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), [])
})
