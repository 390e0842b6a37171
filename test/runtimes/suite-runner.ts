// One node:test per runtime: the portable suite on it, or a skip saying why it is absent. Each
// runtime reports a line `# runtime NAME: ran …` / `# runtime NAME: skipped …` that
// tools/run-tests.mjs gathers into its closing summary, so `npm test` says which ran.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import keys from './portable/keys.json' with { type: 'json' }
import { EVERY_RUNTIME_REQUIRED, runOn, runtimeVersion, startFixture, unavailable, type RuntimeName } from './harness.ts'

const KEYS = keys as unknown as Record<string, Jwk>

/** The remote JWK Set the suite fetches: public halves of three fixed keys. */
export const PUBLIC_SET = { keys: ['ES256', 'RS256', 'EdDSA'].map((n) => toPublicJwk(KEYS[n]!)) }

export function runtimeSuite(name: RuntimeName): void {
  const missing = unavailable(name)
  test(`portable suite on ${name}`, { skip: EVERY_RUNTIME_REQUIRED ? false : missing ?? false, timeout: 120_000 }, async () => {
    if (missing !== undefined) assert.fail(`CI: ${name} must run here: ${missing}`)
    const fixture = await startFixture(PUBLIC_SET)
    try {
      const started = Date.now()
      const result = await runOn(name, fixture, 'suite')
      const version = runtimeVersion(name)
      console.log(`# runtime ${name}: ran (${version}, ${result.backend} backend): ${result.passed} checks passed, ${result.failed.length} failed, ${result.refused.length} refused as unsupported, ${Date.now() - started} ms`)
      for (const r of result.refused) console.log(`#   refused on ${name}: ${r.name}: ${r.message}`)
      assert.deepEqual(result.failed, [], `failures on ${name}`)
      assert.ok(result.passed >= 30, `only ${result.passed} checks ran on ${name}`)
      assert.equal(result.backend, name === 'node' ? 'node' : 'web', 'the backend the conditions pick')
    } finally {
      await fixture.close()
    }
  })
  if (missing !== undefined && !EVERY_RUNTIME_REQUIRED) console.log(`# runtime ${name}: skipped (${missing})`)
}
