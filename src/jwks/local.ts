/**
 * @module jwks/local
 * `createLocalJwks`: a {@link KeySource} over a JWK Set held in memory (RFC 7517 §5). Keys it
 * cannot verify with are left out (unknown types, `use: "enc"`, `key_ops` without `verify`,
 * weak keys, curves with no signature algorithm). Selection follows RFC 7515 §4.1.4 and
 * RFC 8725 §3.1: by `kid` when the token has one, then by what the key's `alg`, type and curve
 * permit for the token's `alg`. Each key is imported once, when the source is built, and kept.
 */
import { JwkitError } from '../errors.ts'
import type { Jwk, JwkSet } from '../jwk/types.ts'
import { parseJwkSet } from '../jwk/set.ts'
import { toPublicJwk } from '../jwk/public.ts'
import { signatureAlgorithmsForKey } from '../jwk/algorithms.ts'
import { importKeyHandle } from '../crypto/import.ts'
import type { KeySelectionHeader, KeySource, ResolvedKey } from '../jws/key-source.ts'

/** A local key source; `jwks()` gives the public keys it kept. */
export interface LocalJwks extends KeySource {
  getKeys(header: KeySelectionHeader): readonly ResolvedKey[]
  jwks(): JwkSet
}

interface Entry {
  readonly jwk: Jwk
  readonly algorithms: ReadonlySet<string>
  readonly resolved: ResolvedKey
}

const EMPTY: readonly ResolvedKey[] = Object.freeze([])
/** Most distinct (kid, alg) selections remembered. */
const SELECTION_CACHE_MAX = 256

/** Builds a local key source from a JWK Set (object, array of JWKs, or JSON text). */
/** The set's own copy of a key, frozen with its arrays (key_ops, x5c): nobody can change it after the checks. */
function deepFreeze(jwk: Jwk): Jwk {
  for (const value of Object.values(jwk)) if (Array.isArray(value)) Object.freeze(value)
  return Object.freeze(jwk)
}

/** A caller's copy: changing it changes nothing in the set. */
function copyJwk(jwk: Jwk): Jwk {
  const out: Record<string, unknown> = { ...jwk }
  for (const [name, value] of Object.entries(out)) if (Array.isArray(value)) out[name] = [...value]
  return out as unknown as Jwk
}

export function createLocalJwks(set: JwkSet | Jwk[] | string): LocalJwks {
  const input = Array.isArray(set) ? { keys: set } : set
  const { keys, warnings } = parseJwkSet(input)
  // RFC 7517 §4.5: distinct keys of a set should have distinct kids; a duplicate makes selection
  // ambiguous (Wycheproof DuplicateKid), so the set is refused, even when one of the pair is unusable.
  const duplicate = warnings.find((w) => w.code === 'ERR_JWKS_DUPLICATE_KID')
  if (duplicate !== undefined) throw new JwkitError('ERR_JWKS_DUPLICATE_KID', 'two keys of the set share a kid', { path: duplicate.path })
  const entries: Entry[] = []
  // A set that holds public keys is a verification set: its oct keys are ignored, so a token can
  // never be checked with a secret from a set meant for asymmetric keys (RFC 8725 §2.1, §3.1).
  const asymmetric = keys.some((k) => k.kty !== 'oct')
  for (const key of keys) {
    if (asymmetric && key.kty === 'oct') continue
    // RFC 7517 §4.2, §4.3: only keys meant for signatures; they must verify (public) here.
    const algorithms = signatureAlgorithmsForKey(key)
    if (algorithms.length === 0) continue
    if (Array.isArray(key.key_ops) && !key.key_ops.includes('verify')) continue
    const jwk = deepFreeze(key.kty === 'oct' ? key : toPublicJwk(key))
    let resolved: ResolvedKey
    try {
      // Imported once, here: every later token reuses the KeyHandle.
      resolved = Object.freeze({ jwk, key: importKeyHandle(jwk) })
    } catch {
      continue // a key node:crypto cannot use is ignored like any other unusable key
    }
    entries.push({ jwk, algorithms: new Set(algorithms), resolved })
  }
  const byKid = new Map<string, Entry[]>()
  for (const e of entries) {
    if (typeof e.jwk.kid !== 'string') continue
    const list = byKid.get(e.jwk.kid)
    // RFC 7517 §4.5: keys sharing a kid must differ in kty (or use); two that could verify the
    // same algorithm make selection ambiguous, so the set is refused.
    if (list?.some((other) => [...other.algorithms].some((a) => e.algorithms.has(a)))) {
      throw new JwkitError('ERR_JWKS_DUPLICATE_KID', 'two keys of the set share a kid and an algorithm', { path: '/keys' })
    }
    if (list) list.push(e)
    else byKid.set(e.jwk.kid, [e])
  }
  const selections = new Map<string, readonly ResolvedKey[]>()

  function select(kid: string | undefined, alg: string): readonly ResolvedKey[] {
    const pool = kid === undefined ? entries : byKid.get(kid)
    if (pool === undefined) return EMPTY
    const out: ResolvedKey[] = []
    for (const e of pool) if (e.algorithms.has(alg)) out.push(e.resolved)
    return out.length === 0 ? EMPTY : Object.freeze(out)
  }

  return {
    getKeys(header: KeySelectionHeader): readonly ResolvedKey[] {
      const alg = header.alg
      const kid = header.kid
      if (typeof alg !== 'string') return EMPTY
      if (kid !== undefined && typeof kid !== 'string') throw new JwkitError('ERR_JWS_INVALID', 'JWS header member kid must be a string')
      const tag = kid === undefined ? alg : alg + '\u0000' + kid
      let hit = selections.get(tag)
      if (hit === undefined) {
        hit = select(kid, alg)
        // Only remember selections of kids the set has, so unknown kids cannot fill the cache.
        if (hit.length > 0 && selections.size < SELECTION_CACHE_MAX) selections.set(tag, hit)
      }
      return hit
    },
    jwks(): JwkSet {
      return { keys: entries.map((e) => copyJwk(e.jwk)) }
    },
  }
}
