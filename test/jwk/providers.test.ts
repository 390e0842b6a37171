/**
 * Issue 10: the JWK Sets real identity providers publish (test/vectors/providers, sources in
 * test/vectors/SOURCES.md). Every key is usable in the default mode, comes back canonical and
 * equal to what node:crypto reads from the published text; `strict` refuses exactly the
 * non-canonical ones; and, differentially, jwkit accepts every key `jose` accepts, on the
 * published keys and on mutations of them, unless the refusal is one the README names as unsafe.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import * as jose from 'jose'
import { isJwkitError } from '../../src/errors.ts'
import { checkJwk, parseJwk } from '../../src/jwk/parse.ts'
import { parseJwkSet } from '../../src/jwk/set.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { importJwk } from '../../src/crypto/import.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { readVector } from './helpers.ts'

type Json = Record<string, unknown>
const wellknown = readVector('providers/panva-wellknown.json') as { sets: Record<string, { keys: Json[] }> }
const auth0 = readVector('providers/auth0-docs.json') as { jwks: { keys: Json[] } }
const microsoft = readVector('providers/microsoft-identitymodel.json') as { jwks: { keys: Json[] } }
const SETS: Record<string, { keys: Json[] }> = { ...wellknown.sets, 'auth0-docs': auth0.jwks, 'microsoft-login-windows-net': microsoft.jwks }

/** Keys each set holds that the strict mode refuses (and why), from the published texts. */
const STRICT_REFUSED: Record<string, number> = { 'battle-net': 2, paypal: 6, yahoo: 3, 'auth0-docs': 1, 'microsoft-login-windows-net': 2 }
const KEY_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y']
const keyPart = (jwk: object) => Object.fromEntries(Object.entries(jwk).filter(([m]) => KEY_MEMBERS.includes(m)))
/** The algorithm jose imports a key for. */
const algOf = (k: Json): string => typeof k.alg === 'string' ? k.alg : k.kty === 'RSA' ? 'RS256' : k.kty === 'EC' ? ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[k.crv as string]! : k.crv === 'X25519' ? 'ECDH-ES' : 'EdDSA'

describe('real providers\' published JWK Sets (issue 10)', () => {
  let total = 0
  for (const [name, set] of Object.entries(SETS)) {
    it(`${name}: every key is usable by default, canonical, and the key node:crypto reads`, () => {
      const parsed = parseJwkSet(set)
      assert.deepEqual(parsed.skipped, [], 'no key skipped')
      assert.equal(parsed.keys.length, set.keys.length)
      parsed.keys.forEach((key, i) => {
        total++
        const published = set.keys[i]!
        // node:crypto is lenient about spelling: what it reads from the published text is the key.
        const node = createPublicKey({ key: { ...published, x5c: undefined } as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' })
        assert.deepEqual(keyPart(key), keyPart(node), `${name} key ${i}`)
        // The returned key is canonical: strict accepts it with no warning.
        const strict = checkJwk(key, { strict: true })
        assert.ok(strict.valid, `${name} key ${i}: ${JSON.stringify(strict.problems)}`)
        assert.ok(!strict.problems.some((p) => p.code === 'ERR_JWK_NON_CANONICAL'))
        // The thumbprint is that of the key, whatever spelling it was published in.
        assert.equal(thumbprint(key), thumbprint(node as Jwk))
      })
      // And a local key source over the published set uses every signing key but the weak ones
      // (Yahoo still publishes 1024-bit RSA keys: RFC 7518 §3.3 refuses them, as jose does).
      const local = createLocalJwks(set as never)
      const signing = set.keys.filter((k) => k.use !== 'enc' && k.crv !== 'X25519')
      const skipped = local.skipped()
      assert.ok(skipped.every((p) => p.code === 'ERR_JWK_WEAK_KEY' || /X25519|use is "enc"/.test(p.message)), JSON.stringify(skipped))
      assert.equal(local.jwks().keys.length, signing.length - skipped.filter((p) => p.code === 'ERR_JWK_WEAK_KEY').length)
      assert.equal(skipped.filter((p) => p.code === 'ERR_JWK_WEAK_KEY').length, name === 'yahoo' ? 3 : 0)
    })
    it(`${name}: strict refuses exactly the non-canonical keys`, () => {
      const strict = parseJwkSet(set, { strict: true })
      assert.equal(strict.skipped.length, STRICT_REFUSED[name] ?? 0, JSON.stringify(strict.skipped))
      const lenient = parseJwkSet(set)
      const normalisedKeys = new Set(lenient.warnings.filter((w) => w.code === 'ERR_JWK_NON_CANONICAL').map((w) => w.path.split('/').slice(0, 3).join('/')))
      assert.equal(normalisedKeys.size, STRICT_REFUSED[name] ?? 0)
    })
  }
  it('covers the sets of the issue: Battle.net, PayPal (15 keys), Yahoo, Auth0, Microsoft login.windows.net', () => {
    assert.equal(SETS.paypal!.keys.length, 15)
    assert.equal(total, 67)
  })
  it('Auth0: x5t (base64url of the uppercase hex SHA-1) is reported and dropped, never used; the chain is kept', () => {
    const r = checkJwk(auth0.jwks.keys[0])
    assert.ok(r.valid)
    assert.deepEqual(r.problems.map((p) => [p.code, p.path, p.severity]), [['ERR_JWK_NON_CANONICAL', '/x5t', 'warning']])
    const key = parseJwk(auth0.jwks.keys[0]!)
    assert.equal(key.x5t, undefined)
    assert.deepEqual(key.x5c, auth0.jwks.keys[0]!.x5c)
    assert.equal(key.kid, auth0.jwks.keys[0]!.kid, 'the kid (same text) is an identifier and stays')
  })
})

/**
 * What jwkit refuses that jose accepts, and the README says why it is unsafe: each tag is matched
 * in the refusal message.
 */
const UNSAFE_REASONS = [
  /mixes the base64url .* and standard .* alphabets/, // two readings
  /holds whitespace/, // two readings (decoders differ on skipping it)
  /non-zero pad bits/, // two spellings of one value: RFC 4648 §3.5
  /wrong amount of = padding|padding inside the text/,
  /characters outside base64url and base64/,
  /not on curve|is \d+ bytes, .* needs/, // wrong key: off the curve, or a coordinate longer by a value
  /modulus is under|RSA modulus of at least/, // weak
]

/** Mutations a provider or library could publish, applied to one member of a published key. */
function mutations(key: Json): Array<{ what: string; key: Json }> {
  const out: Array<{ what: string; key: Json }> = []
  const members = key.kty === 'RSA' ? ['n', 'e'] : key.kty === 'EC' ? ['x', 'y'] : ['x']
  for (const m of members) {
    const text = Buffer.from(String(key[m]).replace(/=+$/, ''), /[+/]/.test(String(key[m])) ? 'base64' : 'base64url')
    const url = text.toString('base64url')
    const std = text.toString('base64')
    const set = (what: string, value: string) => out.push({ what: `${m}: ${what}`, key: { ...key, [m]: value } })
    set('canonical', url)
    set('padded', std.replace(/[+/]/g, (c) => (c === '+' ? '-' : '_')))
    set('standard alphabet, padded', std)
    set('standard alphabet, unpadded', std.replace(/=+$/, ''))
    set('leading zero octet', Buffer.concat([Buffer.alloc(1), text]).toString('base64url'))
    set('two leading zero octets', Buffer.concat([Buffer.alloc(2), text]).toString('base64url'))
    if (text[0] === 0) set('leading zero stripped', text.subarray(1).toString('base64url'))
    set('whitespace inside', url.slice(0, 8) + ' ' + url.slice(8))
    set('newline inside', url.slice(0, 8) + '\n' + url.slice(8))
    if (/[-_]/.test(url) && /[A-Za-z0-9]/.test(url)) set('one + among - and _', url.replace(/[A-Za-z0-9]/, '+'))
    set('trailing junk', url + '!')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    if (url.length % 4 !== 0) set('non-zero pad bits', url.slice(0, -1) + alphabet[alphabet.indexOf(url[url.length - 1]!) | 1])
  }
  return out
}

describe('differential: jwkit accepts every key jose accepts, unless the README names the unsafe reason', () => {
  const keys = Object.values(SETS).flatMap((s) => s.keys).filter((k) => k.kty !== 'OKP' || k.crv !== 'X25519')
  it(`${keys.length} published keys, each with ~14 spellings`, async () => {
    let joseOnly = 0
    let both = 0
    let jwkitNormalised = 0
    const reasons = new Map<string, number>()
    for (const published of keys) {
      for (const { what, key } of mutations(published)) {
        const forJose = { ...key }
        delete forJose.x5c // jose does not compare x5c with the key; jwkit does (RFC 7517 §4.7)
        delete forJose.x5t
        let joseOk = true
        try {
          await jose.importJWK(forJose as jose.JWK, algOf(key))
        } catch {
          joseOk = false
        }
        let jwkitOk = true
        let message = ''
        try {
          const parsed = parseJwk(forJose)
          if (checkJwk(forJose).problems.some((p) => p.code === 'ERR_JWK_NON_CANONICAL')) jwkitNormalised++
          // What jwkit accepts it imports, as node:crypto reads the same key.
          importJwk(parsed)
        } catch (error) {
          jwkitOk = false
          assert.ok(isJwkitError(error), `${what}: a JwkitError`)
          message = error.message
        }
        if (joseOk && jwkitOk) both++
        if (joseOk && !jwkitOk) {
          joseOnly++
          const reason = UNSAFE_REASONS.find((r) => r.test(message))
          assert.ok(reason !== undefined, `${what}: jose accepts, jwkit refuses for a reason the README does not name: ${message}`)
          reasons.set(String(reason), (reasons.get(String(reason)) ?? 0) + 1)
        }
      }
    }
    assert.ok(both > keys.length * 5, `${both} spellings both accept`)
    assert.ok(jwkitNormalised > keys.length * 4)
    // Report the split (shown by node --test).
    console.log(`differential: ${both} accepted by both, ${joseOnly} by jose only (unsafe: ${[...reasons].map(([r, n]) => `${n}× ${r}`).join(', ')}), ${jwkitNormalised} normalised`)
  })
})
