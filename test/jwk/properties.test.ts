import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isJwkitError } from '../../src/errors.ts'
import { decodeBase64url, encodeBase64url, isBase64url } from '../../src/util/base64url.ts'
import { checkJwk, parseJwk } from '../../src/jwk/parse.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, type Json } from './helpers.ts'

const zoo = keyZoo()
const asymmetric = Object.entries(zoo).filter(([n]) => n !== 'oct').map(([, k]) => k)
const allKeys = Object.values(zoo)
// -0 is left out: JSON text has no negative zero (JSON.stringify(-0) is "0"), so it cannot round-trip.
const extra = fc.jsonValue({ maxDepth: 0 }).filter((v) => !Object.is(v, -0))
const metadata = fc.record({ kid: fc.string({ maxLength: 20 }), 'x-extra': extra }, { requiredKeys: [] })
const validKey = fc.tuple(fc.constantFrom(...allKeys), metadata).map(([k, m]) => ({ ...k, ...m }) as Json)

/** Accepted, or refused with a JwkitError: never another exception. */
function acceptsOrRefuses(input: unknown): void {
  try {
    parseJwk(input as Jwk)
  } catch (error) {
    if (!isJwkitError(error)) throw error
  }
  const r = checkJwk(input)
  assert.equal(typeof r.valid, 'boolean')
}

describe('base64url properties (RFC 4648 §5, RFC 7515 §2)', () => {
  it('round-trips every byte string', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.deepEqual(new Uint8Array(decodeBase64url(encodeBase64url(bytes))!), bytes)
    }))
  })
  it('accepts a string only when it is the canonical encoding of what it decodes to', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom(...'ABCDEFabcdef0129-_+/= \n.'.split('')) }), (text) => {
      const bytes = decodeBase64url(text)
      if (bytes !== undefined) assert.equal(encodeBase64url(bytes), text)
    }))
  })
  it('accepts exactly the strings whose decode-then-encode round trip is the identity (short and long)', () => {
    const unit = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''), '+', '/', '=', ' ', 'é', '\n')
    const mostlyValid = fc.oneof(
      fc.string({ maxLength: 300, unit }),
      fc.uint8Array({ maxLength: 300 }).chain((b) => fc.nat().map((i) => {
        const t = encodeBase64url(b)
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ '
        const at = i % (t.length + 1)
        return t.slice(0, at) + alphabet[i % alphabet.length] + t.slice(at + 1)
      })),
    )
    fc.assert(fc.property(mostlyValid, (text) => {
      const reference = Buffer.from(text, 'base64url').toString('base64url') === text
      assert.equal(isBase64url(text), reference)
      assert.equal(decodeBase64url(text) !== undefined, reference)
    }), { numRuns: 3000 })
  })
  it('refuses padding, whitespace and the standard alphabet', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), (bytes, at) => {
      const text = encodeBase64url(bytes)
      assert.equal(decodeBase64url(text + '='), undefined)
      const i = at % (text.length + 1)
      assert.equal(decodeBase64url(text.slice(0, i) + ' ' + text.slice(i)), undefined)
      assert.equal(decodeBase64url(text.slice(0, i) + '+' + text.slice(i)), undefined)
    }))
  })
})

describe('JWK properties', () => {
  it('parseJwk ∘ JSON.stringify is the identity on valid keys', () => {
    fc.assert(fc.property(validKey, (key) => {
      assert.deepEqual(parseJwk(JSON.stringify(key)), key)
      assert.deepEqual(parseJwk(key), key)
    }), { numRuns: 60 })
  })
  it('toPublicJwk is idempotent and keeps the thumbprint', () => {
    fc.assert(fc.property(fc.constantFrom(...asymmetric), fc.constantFrom('sha256', 'sha384', 'sha512' as const), (key, hash) => {
      const pub = toPublicJwk(key as Jwk)
      assert.deepEqual(toPublicJwk(pub), pub)
      assert.equal(thumbprint(pub, hash), thumbprint(key as Jwk, hash))
      assert.equal(checkJwk(pub, { requirePublic: true }).valid, true)
    }), { numRuns: 40 })
  })
  it('random member changes are accepted or refused with a code, never thrown otherwise', () => {
    const member = fc.constantFrom('kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'alg', 'use', 'key_ops', 'kid', 'x5c', 'x5t', 'x5t#S256', 'pub', 'priv', 'oth', 'ext', '__proto__')
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }), fc.constant(undefined), fc.constantFrom('P-256', 'Ed25519', 'RSA', 'EC', 'OKP', 'oct', 'AKP', 'ES256', 'HS256', 'sig', 'enc', 'AQAB', 'ML-DSA-44'))
    fc.assert(fc.property(fc.constantFrom(...allKeys), fc.array(fc.tuple(member, value), { minLength: 1, maxLength: 3 }), (key, edits) => {
      const mutated: Json = { ...key }
      for (const [m, v] of edits) {
        if (v === undefined) delete mutated[m]
        else Object.defineProperty(mutated, m, { value: v, enumerable: true, writable: true, configurable: true })
      }
      acceptsOrRefuses(mutated)
    }), { numRuns: 300 })
  })
  it('random character edits of member values and of the JSON text are refused with a code or accepted', () => {
    fc.assert(fc.property(fc.constantFrom(...allKeys), fc.nat(), fc.nat(), fc.string({ minLength: 0, maxLength: 2 }), (key, which, at, insert) => {
      const names = Object.keys(key)
      const name = names[which % names.length]!
      const v = String(key[name])
      const i = at % (v.length + 1)
      acceptsOrRefuses({ ...key, [name]: v.slice(0, i) + insert + v.slice(i + (insert.length === 0 ? 1 : 0)) })
      const text = JSON.stringify(key)
      const j = at % (text.length + 1)
      acceptsOrRefuses(text.slice(0, j) + insert + text.slice(j + 1))
    }), { numRuns: 300 })
  })
  it('bit flips in a key member are refused (or, for metadata, accepted), never crash', () => {
    fc.assert(fc.property(fc.constantFrom(...asymmetric), fc.nat(), fc.nat(), (key, which, bit) => {
      const names = ['x', 'y', 'd', 'n', 'e', 'pub', 'priv'].filter((m) => typeof key[m] === 'string')
      const name = names[which % names.length]!
      const bytes = Buffer.from(key[name] as string, 'base64url')
      bytes[(bit >>> 3) % bytes.length]! ^= 1 << (bit & 7)
      const mutated = { ...key, [name]: bytes.toString('base64url') }
      const r = checkJwk(mutated)
      // Flipping a bit of n or e of an RSA public key can still give a well-formed key, and so
      // can a bit of an X25519/X448 scalar that RFC 7748 §5 clamping ignores; any other flip
      // breaks a rule (curve equation, d·G, p·q = n, seed → pub).
      const clamped = (key.crv === 'X25519' || key.crv === 'X448') && name === 'd'
      if (r.valid) assert.ok(name === 'n' || name === 'e' || clamped, `${String(key.kty)} ${name}`)
      acceptsOrRefuses(mutated)
    }), { numRuns: 150 })
  })
})
