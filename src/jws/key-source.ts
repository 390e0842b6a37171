/**
 * @module jws/key-source
 * The contract between verification (`verifyJws`, `verifyJwt`) and where keys come from: a local
 * JWK Set, a remote one, a key store. A source returns candidate keys for a protected header;
 * the verifier checks each candidate's `alg`/`use`/`key_ops` and tries them in order (bounded).
 */
import type { KeyHandle } from '../crypto/key-handle.ts'
import type { Jwk } from '../jwk/types.ts'

/** The members of a JWS protected header a key source may select on. */
export interface KeySelectionHeader {
  alg: string
  kid?: string
  [member: string]: unknown
}

/** A candidate key: the public JWK and its imported, cached key (a `KeyObject`, or an ML-DSA key for AKP). */
export interface ResolvedKey {
  readonly jwk: Jwk
  readonly key: KeyHandle
  /**
   * True when the source normalised the key from a non-canonical form (see parseJwk): a verifier
   * called with `strict: true` does not use it.
   */
  readonly normalized?: boolean
}

/** Anything `verifyJws`/`verifyJwt` accept as the key besides a JWK or `KeyObject`. */
export interface KeySource {
  /**
   * Candidate keys for this header, best first. Returns an empty list when none matches (the
   * verifier then throws `ERR_JWKS_NO_MATCHING_KEY`). Never chooses a key from `jwk`, `jku`,
   * `x5u` or `x5c` header members.
   */
  getKeys(header: KeySelectionHeader): readonly ResolvedKey[] | Promise<readonly ResolvedKey[]>
  /**
   * Optional: when `getKeys` found nothing, why, for the `ERR_JWKS_NO_MATCHING_KEY` message (e.g.
   * the key of that `kid` was skipped, and by which rule). Member names and rules only, never key
   * material.
   */
  describeMiss?(header: KeySelectionHeader): string | undefined
}

/** True for a {@link KeySource}. */
export function isKeySource(value: unknown): value is KeySource {
  if (typeof value !== 'object' || value === null) return false
  try {
    return typeof (value as KeySource).getKeys === 'function'
  } catch {
    return false // an object that cannot be read is no key source (nor a usable key: parseJwk says why)
  }
}
