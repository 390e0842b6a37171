/**
 * Shared fixtures of the format tests: one private key of every type of the core, generated
 * once per test file (RSA kept to one 2048-bit key), and a code assertion for refusals.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { exportJwk } from '../../src/crypto/export.ts'
import type { ErrorCode } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

export interface PoolKey {
  name: string
  privateKey: KeyObject
  jwk: Jwk
}

const SPECS: ReadonlyArray<readonly [string, () => KeyObject]> = [
  ['RSA', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
  ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey],
  ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
  ['Ed448', () => generateKeyPairSync('ed448').privateKey],
  ['X25519', () => generateKeyPairSync('x25519').privateKey],
  ['X448', () => generateKeyPairSync('x448').privateKey],
]

let pool: PoolKey[] | undefined

/** One private key per type (lazily generated, shared within a test file). */
export function keyPool(): PoolKey[] {
  pool ??= SPECS.map(([name, make]) => {
    const privateKey = make()
    return { name, privateKey, jwk: exportJwk(privateKey) }
  })
  return pool
}

export function poolKey(name: string): PoolKey {
  const key = keyPool().find((k) => k.name === name)
  if (key === undefined) throw new Error(`no pool key ${name}`)
  return key
}

/** Asserts `fn` throws a JwkitError with `code`. */
export function assertCode(fn: () => unknown, code: ErrorCode, note?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.equal((error as { name?: string }).name, 'JwkitError', `${note ?? ''}: not a JwkitError: ${String(error)}`)
    assert.equal((error as { code?: string }).code, code, note)
    return true
  })
}

/** Key members only (drops metadata), for comparing conversions. */
export function keyMembers(jwk: Jwk): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of ['kty', 'crv', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y', 'k']) {
    const value = (jwk as Record<string, unknown>)[name]
    if (value !== undefined) out[name] = value
  }
  return out
}
