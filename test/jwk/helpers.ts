/**
 * Shared fixtures for the jwk tests: keys generated once per test file with node:crypto, and
 * assertions on error codes (never on message text).
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { isJwkitError, type ErrorCode } from '../../src/errors.ts'
import { checkJwk, parseJwk, type ParseJwkOptions } from '../../src/jwk/parse.ts'
import type { Jwk } from '../../src/jwk/types.ts'

export type Json = Record<string, unknown>

/** A private JWK from node:crypto. */
export function nodeJwk(type: string, options: object = {}): Json {
  const { privateKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string })
  return privateKey.export({ format: 'jwk' }) as Json
}

/** A private AKP (ML-DSA) JWK: priv is the 32-byte seed. */
export function akpJwk(alg: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87' = 'ML-DSA-44'): Json {
  const seed = randomBytes(32)
  const impl = alg === 'ML-DSA-44' ? ml_dsa44 : alg === 'ML-DSA-65' ? ml_dsa65 : ml_dsa87
  const { publicKey } = impl.keygen(seed)
  return { kty: 'AKP', alg, pub: Buffer.from(publicKey).toString('base64url'), priv: seed.toString('base64url') }
}

/** One private key of every asymmetric type and curve, plus oct and AKP. RSA: one 2048-bit key. */
export function keyZoo(): Record<string, Json> {
  return {
    rsa: nodeJwk('rsa', { modulusLength: 2048 }),
    p256: nodeJwk('ec', { namedCurve: 'P-256' }),
    p384: nodeJwk('ec', { namedCurve: 'P-384' }),
    p521: nodeJwk('ec', { namedCurve: 'P-521' }),
    k256: nodeJwk('ec', { namedCurve: 'secp256k1' }),
    ed25519: nodeJwk('ed25519'),
    ed448: nodeJwk('ed448'),
    x25519: nodeJwk('x25519'),
    x448: nodeJwk('x448'),
    oct: { kty: 'oct', k: randomBytes(32).toString('base64url') },
    akp: akpJwk('ML-DSA-44'),
  }
}

/** Without the listed members. */
export function without(jwk: Json, ...names: string[]): Json {
  const out = { ...jwk }
  for (const n of names) delete out[n]
  return out
}

/** Asserts parseJwk refuses `input` with `code` (and `path` when given), and checkJwk agrees. */
export function assertRefused(input: unknown, code: ErrorCode, path?: string, options?: ParseJwkOptions): void {
  assert.throws(
    () => parseJwk(input as Jwk, options),
    (error: unknown) => {
      assert.ok(isJwkitError(error), 'a JwkitError')
      assert.equal(error.code, code)
      if (path !== undefined) assert.equal(error.path, path)
      return true
    },
  )
  const report = checkJwk(input, options)
  assert.equal(report.valid, false)
  assert.ok(report.problems.some((p) => p.code === code && p.severity === 'error' && (path === undefined || p.path === path)), `checkJwk reports ${code}`)
}

/** Asserts the key parses and checkJwk reports exactly these warning codes (and no error). */
export function assertAccepted(input: unknown, warnings: ErrorCode[] = [], options?: ParseJwkOptions): Jwk {
  const jwk = parseJwk(input as Jwk, options)
  const report = checkJwk(input, options)
  assert.equal(report.valid, true)
  assert.deepEqual(report.problems.map((p) => p.code).sort(), [...warnings].sort())
  assert.ok(report.problems.every((p) => p.severity === 'warning'))
  return jwk
}

/** Reads a vector file relative to test/vectors/. */
export function readVector(relative: string): unknown {
  return JSON.parse(readFileSync(new URL('../vectors/' + relative, import.meta.url), 'utf8'))
}

/** base64url of bytes, and back. */
export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}
export function unb64(text: unknown): Buffer {
  return Buffer.from(text as string, 'base64url')
}
