import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { parseJwkSet, toPublicJwkSet } from '../../src/jwk/set.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, nodeJwk, readVector, without, type Json } from './helpers.ts'

const zoo = keyZoo()
const pub = (k: Json) => without(k, 'd', 'p', 'q', 'dp', 'dq', 'qi', 'priv')
const refusedWith = (f: () => unknown, code: string, path?: string) =>
  assert.throws(f, (e: unknown) => isJwkitError(e) && e.code === code && (path === undefined || e.path === path))

describe('parseJwkSet (RFC 7517 §5)', () => {
  it('parses text, bytes and objects', () => {
    const set = { keys: [pub(zoo.p256!), pub(zoo.rsa!)] }
    for (const input of [set, JSON.stringify(set), Buffer.from(JSON.stringify(set))]) {
      const r = parseJwkSet(input)
      assert.deepEqual(r.keys, set.keys)
      assert.deepEqual(r.skipped, [])
      assert.deepEqual(r.warnings, [])
    }
  })
  it('refuses a set that is not an object with a keys array (ERR_JWKS_INVALID)', () => {
    refusedWith(() => parseJwkSet('[]'), 'ERR_JWKS_INVALID', '')
    refusedWith(() => parseJwkSet({}), 'ERR_JWKS_INVALID', '/keys')
    refusedWith(() => parseJwkSet({ keys: {} }), 'ERR_JWKS_INVALID', '/keys')
    refusedWith(() => parseJwkSet('{"keys":[],"keys":[]}'), 'ERR_JWKS_INVALID')
    refusedWith(() => parseJwkSet('{"keys":['), 'ERR_JWKS_INVALID')
    refusedWith(() => parseJwkSet(Object.create({ keys: [] })), 'ERR_JWKS_INVALID', '/keys')
    // Any JSON value is data (issue 10): a JwkitError, never a TypeError.
    for (const value of [5, null, true, [], 'null', '"x"', 'not json']) refusedWith(() => parseJwkSet(value as never), 'ERR_JWKS_INVALID')
    assert.throws(() => parseJwkSet(undefined as never), TypeError)
    const hostile = new Proxy([], { get() { throw new Error('boom') } })
    refusedWith(() => parseJwkSet({ keys: hostile }), 'ERR_JWKS_INVALID', '/keys')
    refusedWith(() => parseJwkSet({ get keys() { throw new Error('boom') } }), 'ERR_JWKS_INVALID', '/keys')
  })
  it('bounds the key count and the size', () => {
    const k = pub(zoo.ed25519!)
    refusedWith(() => parseJwkSet({ keys: Array(101).fill(k) }), 'ERR_INPUT_TOO_LARGE', '/keys')
    refusedWith(() => parseJwkSet({ keys: Array(5).fill(k) }, { maxKeys: 4 }), 'ERR_INPUT_TOO_LARGE')
    refusedWith(() => parseJwkSet(JSON.stringify({ keys: [k], pad: 'x'.repeat(2_000_000) })), 'ERR_INPUT_TOO_LARGE')
    refusedWith(() => parseJwkSet('{"keys":[{"a":[[[1]]]}]}'), 'ERR_INPUT_TOO_LARGE')
    assert.equal(parseJwkSet('{"keys":[{"a":[[[1]]]}]}', { maxDepth: 5 }).skipped.length, 1) // deeper keys allowed on request
  })
  it('skips unknown and broken keys, reporting each at /keys/N', () => {
    const bad = { ...pub(zoo.p256!), crv: 'P-192' }
    const r = parseJwkSet({ keys: [{ kty: 'DSA' }, pub(zoo.p256!), bad, 'str', { kty: 'oct', k: '' }, pub(zoo.ed25519!)] })
    assert.equal(r.keys.length, 2)
    assert.deepEqual(r.skipped.map((p) => [p.code, p.path]), [
      ['ERR_JWK_UNSUPPORTED', '/keys/0'], ['ERR_JWK_UNSUPPORTED', '/keys/2'], ['ERR_JWK_INVALID', '/keys/3'], ['ERR_JWK_INVALID', '/keys/4'],
    ])
  })
  it('skips entries that are JSON text or bytes rather than objects', () => {
    const r = parseJwkSet({ keys: [JSON.stringify(pub(zoo.p256!)), Buffer.from(JSON.stringify(pub(zoo.p256!))), [pub(zoo.p256!)], null] })
    assert.equal(r.keys.length, 0)
    assert.deepEqual(r.skipped.map((p) => [p.code, p.path]), [0, 1, 2, 3].map((i) => ['ERR_JWK_INVALID', `/keys/${i}`]))
  })
  it('warns for duplicate kid (even of a skipped key) and keeps both', () => {
    const r = parseJwkSet({ keys: [{ ...pub(zoo.p256!), kid: 'a' }, { ...pub(zoo.p384!), kid: 'a' }, { kty: 'oct', k: '', kid: 'b' }, { ...pub(zoo.rsa!), kid: 'b' }] })
    assert.equal(r.keys.length, 3)
    assert.deepEqual(r.warnings.map((p) => [p.code, p.path, p.severity]), [
      ['ERR_JWKS_DUPLICATE_KID', '/keys/1/kid', 'warning'], ['ERR_JWKS_DUPLICATE_KID', '/keys/3/kid', 'warning'],
    ])
  })
  it('warns for private members when the set is meant to be public, refuses them with requirePublic', () => {
    const set = { keys: [zoo.p256!, pub(zoo.rsa!)] }
    const r = parseJwkSet(set, { expectPublic: true })
    assert.equal(r.keys.length, 2)
    assert.ok(r.warnings.some((p) => p.code === 'ERR_JWK_PRIVATE_MEMBER' && p.path === '/keys/0/d'))
    assert.ok(r.warnings.some((p) => p.code === 'ERR_JWKS_INVALID' && p.path === '/keys'), 'mixed set')
    const strict = parseJwkSet(set, { requirePublic: true })
    assert.equal(strict.keys.length, 1)
    assert.deepEqual(strict.skipped.map((p) => [p.code, p.path]), [['ERR_JWK_PRIVATE_MEMBER', '/keys/0']])
  })
  it('passes key warnings through with their path', () => {
    const r = parseJwkSet({ keys: [pub(zoo.p256!), nodeJwk('rsa', { modulusLength: 1024 })] })
    assert.ok(r.warnings.some((p) => p.code === 'ERR_JWK_WEAK_KEY' && p.path === '/keys/1/n'))
  })
  it('RFC 7517 A.1, A.2, A.3', () => {
    const cases = readVector('rfc-examples.json') as Array<{ id: string; input: { jwks: object }; expected: { keyCount: number; keys: Array<Record<string, unknown>> } }>
    for (const id of ['rfc7517-A.1', 'rfc7517-A.2', 'rfc7517-A.3']) {
      const c = cases.find((x) => x.id === id)!
      const r = parseJwkSet(c.input.jwks)
      assert.equal(r.keys.length, c.expected.keyCount, id)
      assert.deepEqual(r.skipped, [], id)
    }
  })
})

describe('toPublicJwkSet', () => {
  it('projects every asymmetric key and drops oct keys', () => {
    const set = { keys: [zoo.p256!, zoo.oct!, zoo.rsa!, zoo.akp!] as unknown as Jwk[] }
    const out = toPublicJwkSet(set)
    assert.deepEqual(out.keys.map((k) => k.kty), ['EC', 'RSA', 'AKP'])
    assert.ok(out.keys.every((k) => !('d' in k) && !('priv' in k)))
    assert.throws(() => toPublicJwkSet({} as never), TypeError)
  })
})
