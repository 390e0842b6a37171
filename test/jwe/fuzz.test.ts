import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { encryptJwe } from '../../src/jwe/encrypt.ts'
import { decryptJwe, type FlattenedJwe } from '../../src/jwe/decrypt.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { settle } from '../util/settle.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const ec = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const x = exportJwk(generateKeyPairSync('x25519').privateKey)
const kw: Jwk = { kty: 'oct', k: randomBytes(16).toString('base64url') } as Jwk
const gcmkw: Jwk = { kty: 'oct', k: randomBytes(32).toString('base64url') } as Jwk
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64url')

const seeds: Array<[string, Jwk]> = [
  [await encryptJwe('payload one', kw, { alg: 'A128KW', enc: 'A128CBC-HS256' }), kw],
  [await encryptJwe('payload two', gcmkw, { alg: 'A256GCMKW', enc: 'A256GCM', zip: 'DEF' }), gcmkw],
  [await encryptJwe('payload three', toPublicJwk(ec), { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }), ec],
  [await encryptJwe('payload four', toPublicJwk(x), { alg: 'ECDH-ES', enc: 'A256CBC-HS512' }), x],
]


test('fuzz: character mutations of compact JWEs give a plaintext or a JwkitError', async () => {
  const alphabet = 'ABCDEFabcdef0123456789-_.=+/ {}"'
  await fc.assert(
    fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 }), async (i, edits) => {
      const [seed, key] = seeds[i]!
      let s = seed
      for (const [pos, ch, op] of edits) {
        const at = pos % (s.length + 1)
        s = op === 'set' ? s.slice(0, at) + ch + s.slice(at + 1) : op === 'insert' ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + s.slice(at + 1)
      }
      const got = await settle(decryptJwe(s, key))
      // Mutations that leave the JWE intact are the only ones that may decrypt.
      if (got === 'ok') assert.equal(s, seed)
    }),
    { numRuns: 300 },
  )
})

test('fuzz: arbitrary JSON in the protected header members gives a JwkitError', async () => {
  const member = fc.constantFrom('alg', 'enc', 'zip', 'crit', 'epk', 'apu', 'apv', 'iv', 'tag', 'kid', 'jwk', 'x5c')
  await fc.assert(
    fc.asyncProperty(fc.nat(seeds.length - 1), member, fc.jsonValue({ maxDepth: 3 }), async (i, name, value) => {
      const [seed, key] = seeds[i]!
      const parts = seed.split('.')
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString())
      header[name] = value
      parts[0] = b64(JSON.stringify(header))
      const got = await settle(decryptJwe(parts.join('.'), key))
      assert.notEqual(got, 'ok', 'a changed protected header is authenticated data: it never decrypts')
    }),
    { numRuns: 300 },
  )
})

test('fuzz: arbitrary values in a flattened JWE object give a plaintext or a JwkitError', async () => {
  const flat = await encryptJwe('flat', kw, { alg: 'A128KW', enc: 'A128GCM', serialization: 'flattened', aad: 'x' }) as FlattenedJwe
  const member = fc.constantFrom('protected', 'unprotected', 'header', 'encrypted_key', 'iv', 'ciphertext', 'tag', 'aad', 'recipients')
  await fc.assert(
    fc.asyncProperty(member, fc.jsonValue({ maxDepth: 3 }), async (name, value) => {
      const mutated = { ...flat, [name]: value } as unknown as FlattenedJwe
      const got = await settle(decryptJwe(mutated, kw))
      // Only the unauthenticated headers may change and still decrypt (RFC 7516 §7.2.1).
      if (got === 'ok' && !['unprotected', 'header'].includes(name)) assert.deepEqual(value, (flat as unknown as Record<string, unknown>)[name])
    }),
    { numRuns: 300 },
  )
})

test('fuzz: random five-segment strings give a JwkitError', async () => {
  const seg = fc.string({ maxLength: 40 })
  await fc.assert(
    fc.asyncProperty(fc.tuple(seg, seg, seg, seg, seg), fc.nat(seeds.length - 1), async (segments, i) => {
      const got = await settle(decryptJwe(segments.join('.'), seeds[i]![1]))
      assert.notEqual(got, 'ok')
    }),
    { numRuns: 200 },
  )
})
