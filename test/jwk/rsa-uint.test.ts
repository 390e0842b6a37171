import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { checkJwk } from '../../src/jwk/parse.ts'
import { clearCheckedModuli } from '../../src/jwk/rules-rsa.ts'
import { decodeUIntToScratch, SCRATCH, smallUInt } from '../../src/jwk/rsa-uint.ts'
import { decodeBase64url } from '../../src/util/base64url.ts'
import { nodeJwk, readVector } from './helpers.ts'

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')
/** Mostly the URL alphabet, with every kind of character Node's lenient decoder treats specially. */
const unit = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...URL_ALPHABET) },
  // standard alphabet, padding, whitespace, other ASCII, Latin-1, and characters whose low octet
  // is a base64 character (U+0142 → 0x42 'B', U+0161 → 'a', U+2B41) or a NUL.
  { weight: 1, arbitrary: fc.constantFrom('+', '/', '=', ' ', '\n', '\t', '.', '!', '\0', 'é', '\u00ff', '\u0142', '\u0161', '\u2b41', '\u0100', '\ud83d') },
)

/** The strict decoder's verdict, read the slow way. */
function strict(text: string): Uint8Array | undefined {
  return decodeBase64url(text)
}

describe('RSA Base64urlUInt readers (RFC 7518 §2)', () => {
  it('decodeUIntToScratch accepts exactly what decodeBase64url accepts, with the same octets', () => {
    const check = (text: string): void => {
      const octets = decodeUIntToScratch(text)
      const reference = strict(text)
      if (octets < 0) {
        // "not sure" is allowed only for refused text or text too long for the scratch buffer
        assert.ok(reference === undefined || reference.length > SCRATCH.length, JSON.stringify(text.slice(0, 40)))
      } else {
        assert.ok(reference !== undefined, JSON.stringify(text.slice(0, 40)))
        assert.equal(octets, reference.length)
        assert.deepEqual(SCRATCH.subarray(0, octets), new Uint8Array(reference))
      }
    }
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), check), { numRuns: 3000 })
    fc.assert(fc.property(fc.string({ unit, minLength: 300, maxLength: 400 }), check), { numRuns: 300 })
    // one foreign character spliced into a canonical long encoding
    fc.assert(fc.property(fc.uint8Array({ minLength: 100, maxLength: 600 }), fc.nat(), unit, (bytes, at, c) => {
      const text = Buffer.from(bytes).toString('base64url')
      const i = at % (text.length + 1)
      check(text.slice(0, i) + c + text.slice(i))
      check(text.slice(0, i) + c + text.slice(i + 1))
      check(text)
    }), { numRuns: 500 })
    check(randomBytes(2048).toString('base64url'))
    check(randomBytes(2049).toString('base64url'))
  })
  it('smallUInt reads the minimal short encodings and nothing else', () => {
    const check = (text: string): void => {
      const bytes = strict(text)
      const minimal = bytes !== undefined && bytes.length >= 1 && bytes.length <= 6 && !(bytes[0] === 0 && bytes.length > 1)
      assert.equal(smallUInt(text), minimal ? Buffer.from(bytes).readUIntBE(0, bytes.length) : undefined, JSON.stringify(text))
    }
    fc.assert(fc.property(fc.string({ unit, maxLength: 10 }), check), { numRuns: 5000 })
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 7 }), (b) => check(Buffer.from(b).toString('base64url'))), { numRuns: 2000 })
    for (const text of ['AQAB', 'Aw', 'AAE', 'AA', 'AAAAAAAB', 'AQAB=', 'AQ+B', 'AR']) check(text)
    assert.equal(smallUInt(65537), undefined)
  })
  it('refuses n on first sight and when seen again exactly as the strict rules do', () => {
    const n = nodeJwk('rsa', { modulusLength: 1024 }).n as string
    const wycheproof = readVector('wycheproof/testvectors_v1/json_web_key_test.json') as { testGroups: Array<{ private: { keys: Array<Record<string, string>> }; public?: { keys: Array<Record<string, string>> } }> }
    const roca = wycheproof.testGroups.flatMap((g) => (g.public ?? g.private).keys).find((k) => k.kid === 'kid-rsa-roca-sign')!.n!
    /** The first error at /n of the old (decode, then check) rules. */
    const expected = (text: string): string | undefined => {
      const bytes = strict(text)
      if (bytes === undefined || bytes.length === 0 || (bytes[0] === 0 && bytes.length > 1)) return 'ERR_JWK_INVALID'
      const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!))
      if (bits > 16384) return 'ERR_JWK_UNSUPPORTED'
      if ((bytes[bytes.length - 1]! & 1) === 0 || bits < 512) return 'ERR_JWK_INVALID'
      return text === roca ? 'ERR_JWK_WEAK_KEY' : undefined
    }
    const verdict = (text: string): string | undefined => checkJwk({ kty: 'RSA', n: text, e: 'AQAB' }, { strict: true }).problems.find((p) => p.path === '/n' && p.severity === 'error')?.code
    const edits = fc.tuple(fc.nat(), unit, fc.boolean())
    fc.assert(fc.property(fc.constantFrom(n, roca), edits, fc.boolean(), (base, [at, c, replace], fresh) => {
      const i = at % (base.length + 1)
      const text = base.slice(0, i) + c + base.slice(i + (replace ? 1 : 0))
      if (fresh) clearCheckedModuli()
      assert.equal(verdict(text), expected(text))
      assert.equal(verdict(text), expected(text)) // seen again
    }), { numRuns: 400 })
    for (const text of [n, roca, 'AQAB', '', randomBytes(2048).toString('base64url'), randomBytes(2049).toString('base64url')]) {
      clearCheckedModuli()
      assert.equal(verdict(text), expected(text))
      assert.equal(verdict(text), expected(text))
    }
  })
})
