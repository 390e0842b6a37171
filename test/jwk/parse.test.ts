import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { checkJwk, parseJwk } from '../../src/jwk/parse.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { assertAccepted, assertRefused, keyZoo, without } from './helpers.ts'

const zoo = keyZoo()
const ecPublic = without(zoo.p256!, 'd')

describe('parseJwk input handling (RFC 7517 §4, RFC 8259)', () => {
  it('accepts text, bytes and objects and returns a fresh plain copy', () => {
    const text = JSON.stringify(ecPublic)
    const fromText = parseJwk(text)
    const fromBytes = parseJwk(Buffer.from(text))
    const fromObject = parseJwk(ecPublic)
    assert.deepEqual(fromText, ecPublic)
    assert.deepEqual(fromBytes, ecPublic)
    assert.deepEqual(fromObject, ecPublic)
    assert.notEqual(fromObject, ecPublic)
    assert.equal(Object.getPrototypeOf(fromObject), Object.prototype)
  })
  it('keeps members the RFCs do not define, untouched and in order', () => {
    const custom = { nested: { a: 1 } }
    const input = { ...ecPublic, 'x-custom': custom, issuer: 'https://example.com' }
    const out = parseJwk(input)
    assert.deepEqual(Object.keys(out), Object.keys(input))
    assert.equal(out['x-custom'], custom)
  })
  it('copies arrays so later changes to the input do not reach the result', () => {
    const input = { ...ecPublic, key_ops: ['verify'] }
    const out = parseJwk(input)
    input.key_ops.push('sign')
    assert.deepEqual(out.key_ops, ['verify'])
  })
  it('refuses duplicate member names in JSON text (ERR_JWK_INVALID)', () => {
    const text = JSON.stringify(ecPublic).replace('{', '{"kty":"EC",')
    assertRefused(text, 'ERR_JWK_INVALID')
  })
  it('refuses text that is not JSON, or not an object', () => {
    assertRefused('{"kty":"EC"', 'ERR_JWK_INVALID')
    assertRefused('[1]', 'ERR_JWK_INVALID', '')
    assertRefused('null', 'ERR_JWK_INVALID', '')
    assertRefused([], 'ERR_JWK_INVALID', '')
    assertRefused(Buffer.from([0xff, 0xfe]), 'ERR_JWK_INVALID')
  })
  it('bounds size (64 KiB), depth and member count (ERR_INPUT_TOO_LARGE)', () => {
    assertRefused(JSON.stringify({ ...ecPublic, pad: 'a'.repeat(70_000) }), 'ERR_INPUT_TOO_LARGE')
    assertRefused(JSON.stringify({ ...ecPublic, deep: [[[1]]] }), 'ERR_INPUT_TOO_LARGE')
    const many: Record<string, unknown> = { ...ecPublic }
    for (let i = 0; i < 120; i++) many['m' + i] = i
    assertRefused(many, 'ERR_INPUT_TOO_LARGE')
    assertRefused({ ...ecPublic, x: 'A'.repeat(70_000) }, 'ERR_INPUT_TOO_LARGE', '/x')
    assertRefused({ ...ecPublic, 'a/b~c': 'A'.repeat(70_000) }, 'ERR_INPUT_TOO_LARGE', '/a~1b~0c') // RFC 6901 escaping
    // the bounds are options
    assert.ok(parseJwk(JSON.stringify({ ...ecPublic, deep: [[[1]]] }), { maxDepth: 5 }))
  })
  it('reads own members only, once: inherited members and throwing getters', () => {
    assertRefused(Object.create(ecPublic), 'ERR_JWK_INVALID', '/kty')
    const evil = { ...ecPublic }
    Object.defineProperty(evil, 'kid', { enumerable: true, get() { throw new Error('boom') } })
    assertRefused(evil, 'ERR_JWK_INVALID', '')
    let reads = 0
    const counted = { ...ecPublic }
    Object.defineProperty(counted, 'kid', { enumerable: true, get() { reads++; return 'k' + reads } })
    assert.equal(parseJwk(counted).kid, 'k1')
  })
  it('does not let "__proto__" in JSON text reach the prototype', () => {
    const out = parseJwk(JSON.stringify(ecPublic).replace('{', '{"__proto__":{"polluted":true},'))
    assert.equal(Object.getPrototypeOf(out), Object.prototype)
    assert.equal((out as Record<string, unknown>).polluted, undefined)
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: true })
  })
  it('is not fooled by a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.kty = 'EC'
    proto.d = 'AAAA'
    try {
      assertRefused({}, 'ERR_JWK_INVALID', '/kty')
      assertAccepted(ecPublic, [], { requirePublic: true })
    } finally {
      delete proto.kty
      delete proto.d
    }
  })
  it('never calls methods of member values in messages', () => {
    const hostile = { toString() { throw new Error('boom') }, valueOf() { throw new Error('boom') } }
    for (const member of ['kty', 'crv', 'alg', 'use', 'kid', 'x', 'key_ops', 'x5c']) {
      const r = checkJwk({ ...ecPublic, alg: 'ES256', [member]: hostile })
      assert.equal(r.valid, false, member)
    }
  })
  it('any JSON value is data (JwkitError); only what JSON cannot produce is a TypeError; checkJwk never throws', () => {
    // An application passes JSON.parse(untrusted) straight in (issue 10).
    for (const value of [null, 42, 0, -1.5, true, false, [], [1, 2], 'not json', '', 'null', '42', '[]', '"str"']) {
      assertRefused(value, 'ERR_JWK_INVALID')
    }
    for (const mistake of [undefined, () => 1, Symbol('s'), 10n]) {
      assert.throws(() => parseJwk(mistake as unknown as Jwk), TypeError)
    }
    for (const bad of [42, undefined, null, 'x', Symbol('s'), () => 1]) {
      const r = checkJwk(bad)
      assert.equal(r.valid, false)
      assert.equal(r.problems[0]!.code, 'ERR_JWK_INVALID')
    }
  })
  it('carries every problem, errors and warnings apart', () => {
    const bad = { ...ecPublic, kid: 1, use: 2, x5u: 3 }
    const r = checkJwk(bad)
    assert.deepEqual(r.problems.map((p) => p.path).sort(), ['/kid', '/use', '/x5u'])
    try {
      parseJwk(bad)
      assert.fail('should throw')
    } catch (error) {
      assert.ok(isJwkitError(error))
      assert.equal(error.problems.length, 3)
    }
  })
})

describe('kty (RFC 7517 §4.1)', () => {
  it('is required, a string, case-sensitive, and unknown types are ERR_JWK_UNSUPPORTED', () => {
    assertRefused(without(ecPublic, 'kty'), 'ERR_JWK_INVALID', '/kty')
    assertRefused({ ...ecPublic, kty: 1 }, 'ERR_JWK_INVALID', '/kty')
    assertRefused({ ...ecPublic, kty: 'ec' }, 'ERR_JWK_UNSUPPORTED', '/kty')
    assertRefused({ ...ecPublic, kty: 'DSA' }, 'ERR_JWK_UNSUPPORTED', '/kty')
  })
})

describe('strict base64url members (RFC 7515 §2, RFC 4648 §5)', () => {
  const x = ecPublic.x as string
  const raw = Buffer.from(x, 'base64url')
  // x in the standard alphabet, unpadded (the same text as x when x holds no '-' or '_').
  const std = raw.toString('base64').replace(/=+$/, '')
  const strict = { strict: true }
  it('strict: refuses padding, the standard alphabet, whitespace and non-canonical last characters', () => {
    assertRefused({ ...ecPublic, x: x + '=' }, 'ERR_JWK_INVALID', '/x', strict)
    if (std !== x) assertRefused({ ...ecPublic, x: std }, 'ERR_JWK_INVALID', '/x', strict) // standard alphabet
    assertRefused({ ...ecPublic, x: raw.toString('base64') }, 'ERR_JWK_INVALID', '/x', strict) // padded standard base64
    assertRefused({ ...ecPublic, x: x.slice(0, 10) + ' ' + x.slice(10) }, 'ERR_JWK_INVALID', '/x', strict)
    assertRefused({ ...ecPublic, x: x.slice(0, 10) + '\n' + x.slice(10) }, 'ERR_JWK_INVALID', '/x', strict)
    // 32 bytes = 43 characters whose last one carries 4 bits + 2 zero bits: set a zero bit.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(x[x.length - 1]!)
    assertRefused({ ...ecPublic, x: x.slice(0, -1) + alphabet[last | 1] }, 'ERR_JWK_INVALID', '/x', strict)
    assertRefused({ ...ecPublic, x: 12 }, 'ERR_JWK_INVALID', '/x', strict)
  })
  it('default: padding and the standard alphabet used throughout are normalised with a warning', () => {
    for (const spelled of [x + '=', std, raw.toString('base64'), std + '='].filter((t) => t !== x)) {
      const jwk = assertAccepted({ ...ecPublic, x: spelled }, ['ERR_JWK_NON_CANONICAL'])
      assert.equal(jwk.x, x, 'the returned key is canonical')
      const [warning] = checkJwk({ ...ecPublic, x: spelled }).problems
      assert.equal(warning!.path, '/x')
      assert.equal(warning!.severity, 'warning')
    }
    assertAccepted(ecPublic, []) // canonical: no warning
  })
  it('default: what has two readings is refused as in strict mode', () => {
    // Mixed alphabets in one member: '-' or '_' and '+' or '/'.
    const mixed = 'A-' + '+' + x.slice(3)
    assertRefused({ ...ecPublic, x: mixed }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...ecPublic, x: x.slice(0, 10) + ' ' + x.slice(10) }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...ecPublic, x: x.slice(0, 10) + '\n' + x.slice(10) }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...ecPublic, x: x + '==' }, 'ERR_JWK_INVALID', '/x') // wrong amount of padding
    assertRefused({ ...ecPublic, x: x.slice(0, 10) + '=' + x.slice(10) }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...ecPublic, x: x + '%' }, 'ERR_JWK_INVALID', '/x')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(x[x.length - 1]!)
    assertRefused({ ...ecPublic, x: x.slice(0, -1) + alphabet[last | 1] }, 'ERR_JWK_INVALID', '/x') // non-zero pad bits
    assertRefused({ ...ecPublic, x: 12 }, 'ERR_JWK_INVALID', '/x')
  })
})

describe('private/public requirements (options)', () => {
  it('requirePublic refuses private members with ERR_JWK_PRIVATE_MEMBER', () => {
    assertRefused(zoo.p256, 'ERR_JWK_PRIVATE_MEMBER', '/d', { requirePublic: true })
    assertRefused(zoo.rsa, 'ERR_JWK_PRIVATE_MEMBER', '/d', { requirePublic: true })
    assertRefused(zoo.oct, 'ERR_JWK_PRIVATE_MEMBER', '/k', { requirePublic: true })
    assertRefused(zoo.akp, 'ERR_JWK_PRIVATE_MEMBER', '/priv', { requirePublic: true })
    assertAccepted(ecPublic, [], { requirePublic: true })
  })
  it('requirePrivate refuses a public key', () => {
    assertRefused(ecPublic, 'ERR_JWK_INVALID', '', { requirePrivate: true })
    assertAccepted(zoo.p256, [], { requirePrivate: true })
  })
})
