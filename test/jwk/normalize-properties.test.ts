/**
 * Issue 10, properties (fast-check): every non-canonical spelling of a random key that has one
 * reading parses, by default, to the same canonical key and thumbprint (and is refused under
 * `strict`); every unsafe mutation is refused in both modes; a normalised key signs and verifies
 * with jose and node:crypto. Library shapes generated here: PyJWT/Authlib (EC coordinates without
 * their leading zero octets), Keycloak before 20 (a sign octet), .NET (empty x5c and oth).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type JsonWebKey } from 'node:crypto'
import fc from 'fast-check'
import * as jose from 'jose'
import { isJwkitError } from '../../src/errors.ts'
import { checkJwk, parseJwk } from '../../src/jwk/parse.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { signJws } from '../../src/jws/sign.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, type Json } from './helpers.ts'

const zoo = keyZoo()
/** More EC keys, so that some coordinates start with a zero octet (1 in 256 per coordinate for P-256; P-521 most of the time). */
const ecPool: Json[] = []
for (let i = 0; i < 200; i++) ecPool.push(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Json)
for (let i = 0; i < 8; i++) ecPool.push(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ format: 'jwk' }) as Json)
const keys: Json[] = [...Object.values(zoo), ...ecPool.slice(0, 40), ...ecPool.filter((k) => ['x', 'y', 'd'].some((m) => Buffer.from(k[m] as string, 'base64url')[0] === 0))]

/** The base64url members of a key, and which are RSA integers or EC field elements. */
function members(key: Json): { all: string[]; integers: string[]; field: string[] } {
  switch (key.kty) {
    case 'RSA': { const all = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].filter((m) => key[m] !== undefined); return { all, integers: all, field: [] } }
    case 'EC': { const all = ['x', 'y', 'd'].filter((m) => key[m] !== undefined); return { all, integers: [], field: all } }
    case 'OKP': return { all: ['x', 'd'].filter((m) => key[m] !== undefined), integers: [], field: [] }
    case 'oct': return { all: ['k'], integers: [], field: [] }
    default: return { all: ['pub', 'priv'].filter((m) => key[m] !== undefined), integers: [], field: [] }
  }
}

interface Spelling { padding: boolean; standard: boolean; zeros: number; strip: boolean }
const spelling = fc.record({ padding: fc.boolean(), standard: fc.boolean(), zeros: fc.integer({ min: 0, max: 3 }), strip: fc.boolean() })

/** Spells `bytes` one of the non-canonical ways that keep one reading. */
function spell(bytes: Buffer, s: Spelling, kind: 'integer' | 'field' | 'bytes'): Buffer | string {
  let b = bytes
  if (kind !== 'bytes' && s.zeros > 0) b = Buffer.concat([Buffer.alloc(s.zeros), b])
  if (kind === 'field' && s.strip && s.zeros === 0) { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; b = b.subarray(i) } // PyJWT, Authlib
  let text = b.toString('base64')
  if (!s.standard) text = text.replace(/\+/g, '-').replace(/\//g, '_')
  if (!s.padding) text = text.replace(/=+$/, '')
  return text
}

const respelled = fc.tuple(fc.constantFrom(...keys), fc.array(spelling, { minLength: 8, maxLength: 8 })).map(([key, spellings]) => {
  const { all, integers, field } = members(key)
  const out: Json = { ...key }
  all.forEach((m, i) => {
    const kind = integers.includes(m) ? 'integer' : field.includes(m) ? 'field' : 'bytes'
    out[m] = spell(Buffer.from(key[m] as string, 'base64url'), spellings[i]!, kind)
  })
  return { key, out }
})

describe('normalisation properties (issue 10)', () => {
  it('some pool keys have EC members with a leading zero octet (the PyJWT/Authlib case is exercised)', () => {
    assert.ok(keys.length > Object.keys(zoo).length + 40, `${keys.length - Object.keys(zoo).length - 40} keys with a zero octet`)
  })
  it('every spelling with one reading parses to the same canonical key and thumbprint; strict refuses it unless canonical', () => {
    fc.assert(fc.property(respelled, ({ key, out }) => {
      const jwk = parseJwk(out)
      assert.deepEqual(jwk, key)
      assert.equal(thumbprint(jwk), thumbprint(key as Jwk))
      if (key.kty !== 'oct') assert.deepEqual(toPublicJwk(jwk), toPublicJwk(key as Jwk))
      const canonical = JSON.stringify(out) === JSON.stringify(key)
      const strict = checkJwk(out, { strict: true })
      assert.equal(strict.valid, canonical)
      const lenient = checkJwk(out)
      assert.equal(lenient.problems.some((p) => p.code === 'ERR_JWK_NON_CANONICAL'), !canonical)
      assert.ok(lenient.problems.every((p) => p.severity === 'warning'))
    }), { numRuns: 300 })
  })
  it('.NET shape: empty x5c and oth are dropped', () => {
    const rsa = toPublicJwk(zoo.rsa as Jwk)
    assert.deepEqual(parseJwk({ ...rsa, x5c: [], oth: [] }), rsa)
  })

  const unsafe = fc.tuple(fc.constantFrom(...keys.filter((k) => k.kty !== 'AKP')), fc.nat(), fc.constantFrom(
    'whitespace', 'newline', 'mixed', 'junk', 'padding-inside', 'too-much-padding', 'pad-bits', 'longer-by-value', 'off-curve', 'okp-length', 'rsa-pq', 'ec-d',
  )).map(([key, seed, how]) => ({ key, how, bad: mutate(key, seed, how) })).filter((c) => c.bad !== undefined)

  it('every unsafe mutation is refused in both modes, with a JwkitError naming the member', () => {
    fc.assert(fc.property(unsafe, ({ how, bad }) => {
      for (const options of [{}, { strict: true }]) {
        assert.throws(() => parseJwk(bad!), (e: unknown) => isJwkitError(e) && typeof e.path === 'string', `${how} ${JSON.stringify(options)}`)
        assert.equal(checkJwk(bad, options).valid, false, how)
      }
    }), { numRuns: 400 })
  })

  it('a normalised key signs and verifies with jose and node:crypto', async () => {
    const cases = [['ES256', keys.find((k) => k.crv === 'P-256' && Buffer.from(k.x as string, 'base64url')[0] === 0) ?? zoo.p256!], ['ES512', zoo.p521!], ['RS256', zoo.rsa!], ['EdDSA', zoo.ed25519!]] as const
    for (const [alg, key] of cases) {
      const { all, integers, field } = members(key)
      const odd: Json = { ...key }
      for (const m of all) odd[m] = spell(Buffer.from(key[m] as string, 'base64url'), { padding: true, standard: true, zeros: integers.includes(m) ? 1 : field.includes(m) ? 1 : 0, strip: false }, integers.includes(m) ? 'integer' : field.includes(m) ? 'field' : 'bytes')
      const oddPublic = Object.fromEntries(Object.entries(odd).filter(([m]) => !['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(m)))
      // jwkit signs with the non-canonical private key; jose and node:crypto verify.
      const token = await signJws('payload', odd as Jwk, { alg })
      const { payload } = await jose.compactVerify(token, await jose.importJWK(toPublicJwk(key as Jwk) as jose.JWK, alg))
      assert.equal(Buffer.from(payload).toString(), 'payload')
      const [h, p, s] = token.split('.') as [string, string, string]
      const nodeAlg = alg === 'EdDSA' ? null : 'sha' + alg.slice(2)
      const dsa = alg.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}
      assert.ok(nodeVerify(nodeAlg, Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: toPublicJwk(key as Jwk) as JsonWebKey, format: 'jwk' }), ...dsa }, Buffer.from(s, 'base64url')))
      // node:crypto signs; jwkit verifies with the non-canonical public key; jose with the normalised one.
      const input = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.${Buffer.from('x').toString('base64url')}`
      const sig = nodeSign(nodeAlg, Buffer.from(input), { key: createPrivateKey({ key: key as JsonWebKey, format: 'jwk' }), ...dsa })
      const nodeToken = `${input}.${sig.toString('base64url')}`
      assert.ok(await verifyJws(nodeToken, oddPublic as Jwk))
      await assert.rejects(verifyJws(nodeToken, oddPublic as Jwk, { strict: true }), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWK_INVALID')
      assert.ok(await jose.compactVerify(nodeToken, await jose.importJWK(parseJwk(oddPublic) as jose.JWK, alg)))
    }
  })
})

/** An unsafe (two readings, or a wrong key) mutation of one member, or undefined when it does not apply. */
function mutate(key: Json, seed: number, how: string): Json | undefined {
  const { all, field } = members(key)
  const m = all[seed % all.length]!
  const text = key[m] as string
  const at = 1 + (seed % Math.max(1, text.length - 2))
  const put = (value: string) => ({ ...key, [m]: value })
  switch (how) {
    case 'whitespace': return put(text.slice(0, at) + ' ' + text.slice(at))
    case 'newline': return put(text.slice(0, at) + '\r\n' + text.slice(at))
    case 'mixed': {
      // One '+' among '-' or '_': two alphabets in one member.
      if (!/[-_]/.test(text)) return undefined
      const i = text.search(/[A-Za-z0-9]/)
      return i < 0 ? undefined : put(text.slice(0, i) + '+' + text.slice(i + 1))
    }
    case 'junk': return put(text.slice(0, at) + '%' + text.slice(at))
    case 'padding-inside': return put(text.slice(0, at) + '=' + text.slice(at))
    case 'too-much-padding': return text.length % 4 === 0 ? put(text + '=') : put(text + '===')
    case 'pad-bits': {
      if (text.length % 4 === 0) return undefined
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      return put(text.slice(0, -1) + alphabet[alphabet.indexOf(text[text.length - 1]!) | 1])
    }
    case 'longer-by-value': {
      // A field element or byte string one octet longer, the extra octet not zero.
      if (key.kty !== 'EC' && key.kty !== 'OKP') return undefined
      return put(Buffer.concat([Buffer.from([1 + (seed % 255)]), Buffer.from(text, 'base64url')]).toString('base64url'))
    }
    case 'off-curve': {
      if (key.kty !== 'EC') return undefined
      const y = Buffer.from(key.y as string, 'base64url')
      y[y.length - 1]! ^= 1 << (seed % 8)
      return { ...key, y: y.toString('base64url') }
    }
    case 'okp-length': {
      if (key.kty !== 'OKP') return undefined
      const x = Buffer.from(key.x as string, 'base64url')
      return { ...key, x: (seed % 2 === 0 ? x.subarray(1) : Buffer.concat([Buffer.alloc(1), x])).toString('base64url') }
    }
    case 'rsa-pq': {
      if (key.kty !== 'RSA' || key.p === undefined) return undefined
      return { ...key, p: key.q, q: key.p } // qi no longer inverts q mod p (and p·q still = n: refused by the CRT rules)
    }
    case 'ec-d': {
      if (key.kty !== 'EC' || key.d === undefined) return undefined
      const d = Buffer.from(key.d as string, 'base64url')
      d[d.length - 1]! ^= 1 << (seed % 8)
      return { ...key, d: d.toString('base64url') }
    }
  }
  void field
  return undefined
}
