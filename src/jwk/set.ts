/**
 * @module jwk/set
 * JWK Sets, RFC 7517 §5: a JSON object whose `keys` member is an array of JWKs. A key that is
 * not understood or breaks a rule is skipped and reported (§5: "Implementations SHOULD ignore
 * JWKs within a JWK Set that use kty values that are not understood by them"), never fatal.
 */
import { JwkitError, problem, type Problem } from '../errors.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { assertJsonInput, checkSnapshot, DEFAULT_MAX_JWK_DEPTH, jwkFromSnapshot, snapshotJwk, type ParseJwkOptions } from './parse.ts'
import { PRIVATE_KEY_MEMBERS } from './members.ts'
import { toPublicJwk } from './public.ts'
import type { Jwk, JwkSet } from './types.ts'
import { ownOptions } from '../util/dict.ts'
import { isBytes } from '../util/bytes.ts'

export interface ParseJwkSetOptions extends Omit<ParseJwkOptions, 'maxBytes' | 'requirePublic'> {
  /** Largest JSON text accepted, in bytes (default 1 MiB). */
  maxBytes?: number
  /** Most keys accepted (default 100); more is `ERR_INPUT_TOO_LARGE`. */
  maxKeys?: number
  /** The set is meant to be public: warn (`ERR_JWK_PRIVATE_MEMBER`) for each private member. */
  expectPublic?: boolean
  /** Skip (rather than warn about) keys with private members. */
  requirePublic?: boolean
}

export interface ParseJwkSetResult {
  /** The usable keys, fresh plain copies, in set order. */
  keys: Jwk[]
  /** One problem per skipped key: path `/keys/N`, the code of its first error. */
  skipped: Problem[]
  /**
   * Warnings about accepted keys: weak keys, duplicate kid, private members when expectPublic,
   * and each member normalised from a non-canonical form (`ERR_JWK_NON_CANONICAL`).
   */
  warnings: Problem[]
}

export const DEFAULT_MAX_JWKS_BYTES = 1024 * 1024
export const DEFAULT_MAX_KEYS = 100
/** The set object and its keys array add two levels to a key's own depth bound. */
const SET_LEVELS = 2

/**
 * Parses a JWK Set; each key as {@link parseJwk} would (`strict` included). Throws `ERR_JWKS_INVALID` when the input is not an object whose
 * `keys` is an array, `ERR_INPUT_TOO_LARGE` past `maxBytes` or `maxKeys`; each bad key is
 * skipped and reported in `skipped`.
 */
export function parseJwkSet(input: string | Uint8Array | object, options: ParseJwkSetOptions = {}): ParseJwkSetResult {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  assertJsonInput(input, 'parseJwkSet')
  let value: unknown = input
  if (typeof input === 'string' || isBytes(input)) {
    value = parseJsonStrict(input, {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_JWKS_BYTES,
      maxDepth: (options.maxDepth ?? DEFAULT_MAX_JWK_DEPTH) + SET_LEVELS,
      code: 'ERR_JWKS_INVALID',
      what: 'JWK Set',
    })
  }
  // RFC 7517 §5: "A JWK Set is a JSON object that represents a set of JWKs."
  if (!isJsonObject(value)) throw new JwkitError('ERR_JWKS_INVALID', 'JWK Set: must be a JSON object', { path: '' })
  let keys: unknown
  let list: unknown[]
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS
  try {
    keys = Object.hasOwn(value, 'keys') ? value.keys : undefined
    // RFC 7517 §5.1: "The value of the "keys" member is an array of JWK values." (REQUIRED)
    if (!Array.isArray(keys)) throw new JwkitError('ERR_JWKS_INVALID', 'JWK Set: member keys must be an array', { path: '/keys' })
    if (keys.length > maxKeys) {
      throw new JwkitError('ERR_INPUT_TOO_LARGE', `JWK Set: ${keys.length} keys, the limit is ${maxKeys}`, { path: '/keys' })
    }
    list = [...(keys as unknown[])] // read once
  } catch (cause) {
    if (cause instanceof JwkitError) throw cause
    throw new JwkitError('ERR_JWKS_INVALID', 'JWK Set: member keys cannot be read', { path: '/keys', cause })
  }
  const keyOptions: ParseJwkOptions = ownOptions({ ...options, maxBytes: undefined, requirePublic: options.requirePublic === true })
  const out: Jwk[] = []
  const skipped: Problem[] = []
  const warnings: Problem[] = []
  const kids = new Map<string, number>()
  let privateCount = 0
  for (let i = 0; i < list.length; i++) {
    const base = `/keys/${i}`
    let snap: Record<string, unknown>
    const entry = list[i]
    if (!isJsonObject(entry) || isBytes(entry)) {
      // RFC 7517 §5.1: each member of "keys" is a JWK, i.e. a JSON object (not JSON text).
      skipped.push(problem('ERR_JWK_INVALID', base, `key ${i} skipped: a JWK must be a JSON object`))
      continue
    }
    try {
      snap = snapshotJwk(entry, keyOptions)
    } catch (error) {
      const e = error as JwkitError
      skipped.push(problem(e.code ?? 'ERR_JWK_INVALID', base, `key ${i} skipped: ${e.message}`))
      continue
    }
    if (typeof snap.kid === 'string') {
      // RFC 7517 §4.5: "different keys within the JWK Set SHOULD use distinct "kid" values".
      // Counted over every entry, skipped ones too: a kid that names two keys is ambiguous.
      const prev = kids.get(snap.kid)
      if (prev !== undefined) warnings.push(problem('ERR_JWKS_DUPLICATE_KID', `${base}/kid`, `key ${i} has the same kid as key ${prev}`, 'warning'))
      else kids.set(snap.kid, i)
    }
    const ctx = checkSnapshot(snap, keyOptions, base)
    if (ctx.errors > 0) {
      const first = ctx.problems.find((p) => p.severity === 'error')!
      skipped.push(problem(first.code, base, `key ${i} skipped: ${first.message} (at ${first.path})`))
      continue
    }
    for (const p of ctx.problems) warnings.push(p)
    const checked = ctx.jwk // canonical: normalised when it was not
    if (options.expectPublic === true) {
      for (const m of PRIVATE_KEY_MEMBERS[checked.kty as string]!) {
        if (checked[m] !== undefined) warnings.push(problem('ERR_JWK_PRIVATE_MEMBER', `${base}/${m}`, `key ${i}: member ${m} is private in a set meant to be public`, 'warning'))
      }
    }
    if (PRIVATE_KEY_MEMBERS[checked.kty as string]!.some((m) => checked[m] !== undefined)) privateCount++
    out.push(jwkFromSnapshot(checked))
  }
  if (privateCount > 0 && privateCount < out.length) {
    // A set that mixes public keys with private or secret ones has no single purpose (publish
    // or sign); Wycheproof "MixedKeySet" expects such sets refused. Reported, for the caller to decide.
    warnings.push(problem('ERR_JWKS_INVALID', '/keys', 'JWK Set: mixes public keys with private or secret keys', 'warning'))
  }
  return { keys: out, skipped, warnings }
}

/**
 * The public projection of a set: every asymmetric key through {@link toPublicJwk}; `oct` keys
 * (which have no public form) dropped. Other members of the set object are not copied.
 */
export function toPublicJwkSet(set: JwkSet | { keys: Jwk[] }): JwkSet {
  if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) {
    throw new TypeError('toPublicJwkSet: set must be an object with a keys array')
  }
  const keys: Jwk[] = []
  for (const key of set.keys) {
    if (typeof key === 'object' && key !== null && (key as { kty?: unknown }).kty === 'oct') continue
    keys.push(toPublicJwk(key))
  }
  return { keys }
}
