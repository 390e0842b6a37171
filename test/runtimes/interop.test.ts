// Interop across runtimes: a token signed or encrypted on each runtime present (Node, Bun, Deno,
// workerd, Chromium) verifies or decrypts on every other one, and with jose on Node; jose's
// tokens verify and decrypt on each runtime; deterministic algorithms (HS256, RS256, EdDSA,
// Ed448) give the same bytes everywhere.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CompactEncrypt, SignJWT, compactDecrypt, importJWK, jwtVerify, type JWK } from 'jose'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import keys from './portable/keys.json' with { type: 'json' }
import { EVERY_RUNTIME_REQUIRED, runOn, startFixture, unavailable, type RuntimeName } from './harness.ts'
import { PUBLIC_SET } from './suite-runner.ts'

const KEYS = keys as unknown as Record<string, Jwk>
const RUNTIMES: RuntimeName[] = ['node', 'bun', 'deno', 'workerd', 'chromium']
const present = RUNTIMES.filter((r) => unavailable(r) === undefined)
/** What jose 6 implements of the interop set (no ES256K, Ed448, ML-DSA, X448). */
const JOSE_JWT = ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']
const JOSE_JWE: Array<[string, string, string]> = [['RSA-OAEP-256', 'RSA-OAEP-256', 'A256GCM'], ['A128KW', 'A128KW', 'A128CBC-HS256'], ['ECDH-ES', 'ECDH-ES', 'A128GCM'], ['ECDH-ES+A128KW/X25519', 'ECDH-ES+A128KW', 'A256GCM'], ['dir', 'dir', 'A256GCM']]

const joseKey = (name: string, alg: string, pub: boolean) => importJWK((pub && KEYS[name]!.kty !== 'oct' ? toPublicJwk(KEYS[name]!) : KEYS[name]!) as JWK, alg)

async function joseTokens(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const alg of JOSE_JWT) {
    out[`jwt ${alg}`] = await new SignJWT({ rt: 'jose', alg }).setProtectedHeader({ alg, kid: alg, typ: 'JWT' }).setIssuedAt(1_700_000_000).sign(await joseKey(alg, alg, false))
  }
  for (const [name, alg, enc] of JOSE_JWE) {
    out[`jwe ${name}`] = await new CompactEncrypt(new TextEncoder().encode('from jose')).setProtectedHeader({ alg, enc }).encrypt(await joseKey(name, alg, true))
  }
  return out
}

test(`interop across ${present.join(', ')} and jose`, { skip: present.length < 2 && !EVERY_RUNTIME_REQUIRED ? 'fewer than two runtimes' : false, timeout: 240_000 }, async () => {
  if (EVERY_RUNTIME_REQUIRED) assert.deepEqual(present, RUNTIMES, 'CI: every runtime takes part')
  const fixture = await startFixture(PUBLIC_SET)
  try {
    const tokens: Record<string, Record<string, string>> = { jose: await joseTokens() }
    for (const name of present) {
      const r = await runOn(name, fixture, 'produce')
      assert.deepEqual(r.failed, [], `${name} produce`)
      tokens[name] = r.tokens!
    }
    // Deterministic signatures: byte-identical to Node's on every runtime.
    for (const name of present) {
      for (const alg of ['HS256', 'RS256', 'EdDSA', 'Ed448']) assert.equal(tokens[name]![`det ${alg}`], tokens.node![`det ${alg}`], `${alg} on ${name} vs node`)
    }
    // jose on Node verifies and decrypts what every runtime made (the algorithms it implements).
    let joseChecked = 0
    for (const name of present) {
      for (const alg of JOSE_JWT) {
        const { payload } = await jwtVerify(tokens[name]![`jwt ${alg}`]!, await joseKey(alg, alg, true), { currentDate: new Date(1_700_000_100_000) })
        assert.equal(payload.rt, name, `jose verifies ${alg} from ${name}`)
        joseChecked++
      }
      for (const [keyName, alg] of JOSE_JWE) {
        const { plaintext } = await compactDecrypt(tokens[name]![`jwe ${keyName}`]!, await joseKey(keyName, alg, false))
        assert.equal(new TextDecoder().decode(plaintext), `from ${name}`, `jose decrypts ${keyName} from ${name}`)
        joseChecked++
      }
    }
    // Every runtime verifies and decrypts every other runtime's tokens and jose's.
    fixture.tokens = tokens
    const expected = Object.values(tokens).reduce((n, set) => n + Object.keys(set).filter((k) => !k.startsWith('det ')).length, 0)
    for (const name of present) {
      const r = await runOn(name, fixture, 'consume')
      assert.deepEqual(r.failed, [], `${name} consume`)
      assert.equal(r.consumed, expected, `${name} checked every token`)
    }
    console.log(`# interop: ${present.length} runtimes (${present.join(', ')}) + jose; ${expected} tokens checked on each runtime, ${joseChecked} by jose`)
  } finally {
    await fixture.close()
  }
})
