/**
 * The published vectors that concern keys: rfc-examples.json (RFC 7517 A/B, 7638, 9278, 8037,
 * and every JWK of the RFC 7515 examples), the JOSE Cookbook's jwk/ files (RFC 7520 §3), and
 * Wycheproof json_web_key_test.json decided at the JWK Set / key selection level.
 */
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { checkJwk, parseJwk } from '../../src/jwk/parse.ts'
import { isPrivateJwk, toPublicJwk } from '../../src/jwk/public.ts'
import { parseJwkSet } from '../../src/jwk/set.ts'
import { selectKeys } from '../../src/jwk/select.ts'
import { thumbprint, thumbprintUri } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { readVector } from './helpers.ts'

interface Case { id: string; kind: string; input: Record<string, any>; expected: Record<string, any> }
const cases = readVector('rfc-examples.json') as Case[]
const byId = (id: string) => cases.find((c) => c.id === id)!

describe('rfc-examples.json', () => {
  it('https://www.rfc-editor.org/rfc/rfc7517#appendix-A.1 (public keys)', () => {
    const c = byId('rfc7517-A.1')
    const r = parseJwkSet(c.input.jwks, { expectPublic: true })
    assert.equal(r.keys.length, c.expected.keyCount)
    assert.deepEqual(r.warnings, [])
    c.expected.keys.forEach((e: Record<string, unknown>, i: number) => {
      for (const m of ['kty', 'crv', 'alg', 'use', 'kid']) assert.equal((r.keys[i] as Record<string, unknown>)[m], e[m])
      assert.equal(isPrivateJwk(r.keys[i]!), e.hasPrivateOrSecretMembers)
    })
  })
  it('https://www.rfc-editor.org/rfc/rfc7517#appendix-A.2 (private keys → A.1)', () => {
    const c = byId('rfc7517-A.2')
    const r = parseJwkSet(c.input.jwks)
    assert.equal(r.keys.length, c.expected.keyCount)
    r.keys.forEach((k, i) => assert.equal(isPrivateJwk(k), c.expected.keys[i].hasPrivateOrSecretMembers))
    assert.equal(JSON.stringify({ keys: r.keys.map(toPublicJwk) }), JSON.stringify(c.expected.publicJwks))
  })
  it('https://www.rfc-editor.org/rfc/rfc7517#appendix-A.3 (symmetric keys)', () => {
    const c = byId('rfc7517-A.3')
    const r = parseJwkSet(c.input.jwks)
    assert.deepEqual(r.keys.map((k) => Buffer.from(k.k as string, 'base64url').length), c.expected.secretLengthsBytes)
  })
  it('https://www.rfc-editor.org/rfc/rfc7517#appendix-B (x5c)', () => {
    const c = byId('rfc7517-B')
    const jwk = parseJwk(c.input.jwk)
    assert.equal(jwk.x5c!.length, c.expected.x5cLength)
    const leaf = new X509Certificate(Buffer.from(jwk.x5c![0]!, 'base64')).publicKey.export({ format: 'jwk' })
    assert.equal(leaf.n === jwk.n && leaf.e === jwk.e, c.expected.x5cLeafPublicKeyMatchesJwk)
  })
  it('https://www.rfc-editor.org/rfc/rfc7638#section-3.1 and rfc9278#section-3', () => {
    assert.equal(thumbprint(byId('rfc7638-3.1').input.jwk), byId('rfc7638-3.1').expected.thumbprint)
    assert.equal(thumbprintUri(byId('rfc9278-3').input.jwk), byId('rfc9278-3').expected.uri)
  })
  it('https://www.rfc-editor.org/rfc/rfc8037#appendix-A.1 / A.2 (Ed25519 keys)', () => {
    const a1 = byId('rfc8037-A.1')
    const priv = parseJwk(a1.input.jwk, { requirePrivate: true })
    assert.equal(Buffer.from(priv.d as string, 'base64url').toString('hex'), a1.expected.dHex)
    assert.equal(Buffer.from(priv.x as string, 'base64url').toString('hex'), a1.expected.xHex)
    assert.deepEqual(toPublicJwk(priv), a1.expected.publicJwk)
    const a2 = byId('rfc8037-A.2')
    assert.equal(Buffer.from(parseJwk(a2.input.jwk, { requirePublic: true }).x as string, 'base64url').toString('hex'), a2.expected.xHex)
  })
  it('every JWK in the other cases (RFC 7515 A, RFC 8037 A.4–A.7) is valid, public parts agree', () => {
    let seen = 0
    for (const c of cases) {
      for (const name of ['jwk', 'publicJwk', 'recipientJwk']) {
        const key = c.input[name] as Jwk | undefined
        if (key === undefined) continue
        assert.equal(checkJwk(key).valid, true, `${c.id} ${name}`)
        seen++
      }
      if (c.input.jwk !== undefined && c.input.publicJwk !== undefined) {
        assert.deepEqual(toPublicJwk(c.input.jwk), c.input.publicJwk, c.id)
        assert.equal(thumbprint(c.input.jwk), thumbprint(c.input.publicJwk), c.id)
      }
      for (const key of Object.values((c.input.keys ?? {}) as Record<string, Jwk>)) assert.equal(checkJwk(key).valid, true, c.id)
    }
    assert.ok(seen >= 12)
  })
})

describe('cookbook jwk/ (RFC 7520 §3)', () => {
  const dir = new URL('../vectors/cookbook/jwk/', import.meta.url)
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  it('has the six keys', () => assert.equal(files.length, 6))
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(new URL(f, dir), 'utf8')
      const jwk = parseJwk(text)
      const report = checkJwk(text)
      assert.deepEqual(report.problems, [])
      if (jwk.kty !== 'oct') {
        const pub = toPublicJwk(jwk)
        assert.equal(thumbprint(pub), thumbprint(jwk))
        assert.equal(isPrivateJwk(pub), false)
      }
    })
  }
  it('3.1 is the public part of 3.2, 3.3 of 3.4', () => {
    const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Jwk
    assert.deepEqual(toPublicJwk(read('3_2.ec_private_key.json')), read('3_1.ec_public_key.json'))
    assert.deepEqual(toPublicJwk(read('3_4.rsa_private_key.json')), read('3_3.rsa_public_key.json'))
  })
})

/**
 * Wycheproof json_web_key_test.json. The set is imported (public when given, else private, as
 * the vector README says), then the keys for the JWS header's alg and kid are selected. A valid
 * case must leave exactly one usable key. An invalid case whose reason is key-level must leave
 * no key, or be flagged by a set-level warning. Cases whose reason is the signature itself (3:
 * modified signature) need JWS verification: the selected key is the right one here, and the
 * JWS layer must refuse the signature.
 */
describe('Wycheproof json_web_key_test.json', () => {
  const file = readVector('wycheproof/testvectors_v1/json_web_key_test.json') as {
    numberOfTests: number
    testGroups: Array<{ private: { keys: Jwk[] }; public?: { keys: Jwk[] }; tests: Array<{ tcId: number; comment: string; jws: string; result: string; flags: string[] }> }>
  }
  /** Decided by what the JWS layer does with the selected key, not by the key. */
  const NEEDS_JWS = new Set([3])
  /** Refused through a set-level warning the key source must act on (see the report). */
  const SET_WARNING: Record<number, string> = { 1: 'ERR_JWKS_INVALID', 4: 'ERR_JWKS_DUPLICATE_KID' }
  let count = 0
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      count++
      it(`tcId ${t.tcId} ${t.comment} (${t.result})`, () => {
        const set = parseJwkSet(group.public ?? group.private)
        const header = JSON.parse(Buffer.from(t.jws.split('.')[0]!, 'base64url').toString('utf8')) as { alg: string; kid?: string }
        const usable = selectKeys(set.keys, { alg: header.alg, kid: header.kid })
        if (t.result === 'valid') {
          assert.equal(usable.length, 1)
          assert.equal(set.skipped.length, 0)
          assert.ok(!set.warnings.some((w) => w.code === 'ERR_JWKS_DUPLICATE_KID' || w.code === 'ERR_JWKS_INVALID'))
        } else if (NEEDS_JWS.has(t.tcId)) {
          assert.equal(usable.length, 1)
        } else if (SET_WARNING[t.tcId] !== undefined) {
          assert.ok(set.warnings.some((w) => w.code === SET_WARNING[t.tcId]), `warning ${SET_WARNING[t.tcId]}`)
        } else {
          assert.equal(usable.length, 0, 'no usable key')
        }
      })
    }
  }
  it('covers every test of the file', () => assert.equal(count, file.numberOfTests))
})
