/**
 * @module jws/verify-core
 * The part of JWS verification every serialization shares (RFC 7515 §5.2 steps 6–8): find the
 * candidate keys (the caller's key, or a {@link KeySource} — never a key named by the token's
 * `jwk`/`jku`/`x5u`/`x5c`, RFC 8725 §3.10), check each may verify with `alg`, and check the
 * signature. A failed signature always reads the same (`ERR_JWS_SIGNATURE_INVALID`).
 */
import { JwkitError, isJwkitError } from '../errors.ts'
import { verifyWith } from '../crypto/sign.ts'
import { isKeySource, type KeySelectionHeader, type KeySource, type ResolvedKey } from './key-source.ts'
import { checkKeyFor, noteVerified, prepareKey, prepareResolved, type KeyInput, type PreparedKey } from './key-usage.ts'
import { ownSnapshot } from '../util/dict.ts'

/** What the verifiers accept as the key. */
export type VerifyKeyInput = KeyInput | KeySource

/** Most keys a source may offer for one token without `kid` before the verifier refuses. */
export const DEFAULT_MAX_CANDIDATES = 5

/** The one message of every failed signature (STYLE §7 rule 4). */
export const SIGNATURE_INVALID_MESSAGE = 'signature verification failed'

/** The candidate keys for a header: the caller's own key, or what the source returns (bounded). */
export function resolveCandidates(
  key: VerifyKeyInput,
  header: KeySelectionHeader,
  maxCandidates: number = DEFAULT_MAX_CANDIDATES,
  strict = false,
): readonly PreparedKey[] | Promise<readonly PreparedKey[]> {
  if (!isKeySource(key)) return [prepareKey(key, 'verify', strict)]
  const own = ownSnapshot(header) as KeySelectionHeader // the source sees own header members only
  const found = key.getKeys(own)
  return isPromiseLike(found) ? Promise.resolve(found).then((list) => fromSource(key, own, list, maxCandidates)) : fromSource(key, own, found, maxCandidates)
}

function isPromiseLike(value: unknown): value is Promise<readonly ResolvedKey[]> {
  return typeof (value as { then?: unknown }).then === 'function'
}

const NO_MATCH_MESSAGE = 'no key of the key source matches the token (kid, alg, kty, crv, use, key_ops)'

function fromSource(source: KeySource, header: KeySelectionHeader, list: readonly ResolvedKey[], maxCandidates: number): readonly PreparedKey[] {
  if (list.length === 0) {
    // The source may say why (a key of that kid was skipped, and by which rule).
    let why: string | undefined
    try {
      why = typeof source.describeMiss === 'function' ? source.describeMiss(header) : undefined
    } catch {
      why = undefined
    }
    throw new JwkitError('ERR_JWKS_NO_MATCHING_KEY', why === undefined ? NO_MATCH_MESSAGE : `no key of the key source matches the token: ${why}`)
  }
  if (list.length > maxCandidates) {
    throw new JwkitError('ERR_JWKS_MULTIPLE_MATCHING_KEYS', `${list.length} keys match a token without "kid", more than the ${maxCandidates} the verifier tries`)
  }
  const out: PreparedKey[] = []
  for (const r of list) out.push(prepareResolved(r.jwk, r.key, r.normalized === true))
  return out
}

/**
 * Returns the first candidate that may verify `alg` and whose signature check passes. When no
 * candidate may be used, throws the first candidate's refusal; otherwise a failed check throws
 * `ERR_JWS_SIGNATURE_INVALID` with its fixed message. Synchronous when the backend is (Node);
 * a Promise from the first candidate whose check the backend answers asynchronously (WebCrypto).
 */
export function verifyWithCandidates(
  alg: string,
  candidates: readonly PreparedKey[],
  data: Uint8Array,
  signature: Uint8Array,
  allowlist: readonly string[] | undefined,
  strict = false,
): PreparedKey | Promise<PreparedKey> {
  // No state object unless a candidate fails: the usual token meets one key that verifies.
  let state: CandidateState | undefined
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!
    try {
      const ok = tryCandidate(candidate, alg, data, signature, allowlist, strict)
      if (ok === true) {
        noteVerified(candidate)
        return candidate
      }
      state ??= { refusal: undefined, tried: false }
      if (ok !== false) return finishAsync(ok, i, alg, candidates, data, signature, allowlist, state, strict)
      state.tried = true
    } catch (error) {
      if (!isJwkitError(error)) throw error
      state ??= { refusal: undefined, tried: false }
      state.refusal ??= error
    }
  }
  return noCandidate(state ?? { refusal: undefined, tried: false })
}

/** One candidate's answer (a Promise where the backend verifies asynchronously); throws its refusal. */
function tryCandidate(
  candidate: PreparedKey, alg: string, data: Uint8Array, signature: Uint8Array, allowlist: readonly string[] | undefined, strict: boolean,
): boolean | Promise<boolean> {
  if (strict && candidate.normalized) throw new JwkitError('ERR_JWK_INVALID', 'the key was normalised from a non-canonical form, which strict mode refuses')
  checkKeyFor(candidate, alg, 'verify', allowlist)
  return verifyWith(alg, candidate.handle, data, signature) as boolean | Promise<boolean>
}

interface CandidateState { refusal: unknown; tried: boolean }

function noCandidate(state: CandidateState): never {
  if (!state.tried && state.refusal !== undefined) throw state.refusal
  throw new JwkitError('ERR_JWS_SIGNATURE_INVALID', SIGNATURE_INVALID_MESSAGE)
}

async function finishAsync(
  pending: Promise<boolean>, at: number, alg: string, candidates: readonly PreparedKey[], data: Uint8Array, signature: Uint8Array,
  allowlist: readonly string[] | undefined, state: CandidateState, strict: boolean,
): Promise<PreparedKey> {
  for (let i = at; i < candidates.length; i++) {
    const candidate = candidates[i]!
    try {
      if (await (i === at ? pending : tryCandidate(candidate, alg, data, signature, allowlist, strict))) {
        noteVerified(candidate)
        return candidate
      }
      state.tried = true
    } catch (error) {
      if (!isJwkitError(error)) throw error
      state.refusal ??= error
    }
  }
  return noCandidate(state)
}

/** Checks the caller's allowlist shape once (a caller mistake is a TypeError). */
export function checkAllowlist(algorithms: unknown): readonly string[] | undefined {
  if (algorithms === undefined) return undefined
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((a) => typeof a === 'string')) {
    throw new TypeError('options.algorithms must be a non-empty array of algorithm names')
  }
  return algorithms as readonly string[]
}
