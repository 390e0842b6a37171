import { bundle, runOn, startFixture, unavailable, type RuntimeName } from './test/runtimes/harness.ts'
import keys from './test/runtimes/portable/keys.json' with { type: 'json' }
import { toPublicJwk } from './src/jwk/public.ts'
const K = keys as any
const fx = await startFixture({ keys: ['ES256', 'RS256', 'EdDSA'].map((n) => toPublicJwk(K[n])) })
for (const name of process.argv.slice(2) as RuntimeName[]) {
  console.log(name, unavailable(name) ?? 'available')
  const t0 = Date.now()
  try { await bundle(name); console.log('bundled', Date.now() - t0); const r = await runOn(name, fx, 'suite'); console.log(name, Date.now() - t0, 'ms', JSON.stringify({ ...r, tokens: undefined }, null, 1).slice(0, 3000)) } catch (e) { console.log('ERR', e) }
}
await fx.close()
