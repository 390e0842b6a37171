/**
 * @module jws/key-usage
 * Which key may do what: the caller's key turned once into a cached, checked form
 * (validated JWK, imported handle, default algorithm allowlist), and the per-operation checks
 * of RFC 7517 §4.2 (`use`), §4.3 (`key_ops`), §4.4 (`alg`), RFC 8725 §3.1 (algorithm allowlists:
 * never HMAC for an asymmetric key) and RFC 7518 (key fits the algorithm).
 */
import type { KeyLike as KeyObject } from '../crypto/key-handle.ts'
import { importPemText, isBackendKey, keyForReuse, publicKeyOf } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import { JwkitError, isJwkitError, type Problem } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { parseJwk, parseJwkReport, wasNormalized } from '../jwk/parse.ts'
import { toPublicJwk } from '../jwk/public.ts'
import { JWS_ALGORITHMS, algorithmMisfit, keyFitsAlgorithm } from '../jwk/algorithms.ts'
import { importKeyHandle } from '../crypto/import.ts'
import { exportJwk } from '../crypto/export.ts'
import type { KeyHandle } from '../crypto/key-handle.ts'
import { isBytes } from '../util/bytes.ts'
import { SnapshotCache } from '../util/snapshot-cache.ts'
import { ownSnapshot } from '../util/dict.ts'

/** What `signJws`/`verifyJws` accept as a single key. */
export type KeyInput = Jwk | KeyObject | string

/** A key made ready once: every later call with the same key object reuses it. */
export interface PreparedKey {
  /** The JWK as validated (private members included when given). */
  readonly jwk: Jwk
  /** What results report: the public JWK, or the `oct` JWK itself. */
  readonly publicJwk: Jwk
  /**
   * Imported once: the public key for verifying, the private key for signing. After
   * {@link REUSE_AFTER} verifications it may be replaced, once, by the same key in the backend's
   * form for reuse (see {@link noteVerified}).
   */
  readonly handle: KeyHandle
  /** The handle it was prepared with (a key source's own, which `handle` may have replaced). */
  readonly source: KeyHandle
  /** Successful verifications counted so far (up to {@link REUSE_AFTER}). */
  readonly uses: number
  /** The default allowlist: the key's own `alg`, or what its type and curve permit. */
  readonly algorithms: readonly string[]
  /** True when the JWK was normalised from a non-canonical form (refused where `strict` is asked). */
  readonly normalized: boolean
  /** Outcome of the usage check per mode (caller allowlist or default) and op, by alg: `null` allowed, else the error. */
  readonly checks: Readonly<Record<CheckMode, Map<string, JwkitError | null>>>
}

type CheckMode = 'defaultVerify' | 'allowlistVerify' | 'defaultSign' | 'allowlistSign'
const newChecks = (): Record<CheckMode, Map<string, JwkitError | null>> =>
  ({ defaultVerify: new Map(), allowlistVerify: new Map(), defaultSign: new Map(), allowlistSign: new Map() })

/**
 * Keys given as JWK objects, per operation: an entry holds while the object's own members are
 * those it was prepared from (util/snapshot-cache), so a JWK changed after first use is prepared
 * again, never used with its old checks. KeyObjects cannot change: cached by identity.
 */
const jwkCache = { verify: new SnapshotCache<PreparedKey>(), sign: new SnapshotCache<PreparedKey>() }
const keyObjectCache = { verify: new WeakMap<KeyObject, PreparedKey>(), sign: new WeakMap<KeyObject, PreparedKey>() }
/** PEM or JSON text keys, by their text (bounded). */
const textCache = new Map<string, { verify?: PreparedKey; sign?: PreparedKey }>()
const TEXT_CACHE_MAX = 64

/**
 * The prepared form of a key for verifying (public handle) or signing (private handle). With
 * `strict`, a JWK that is only valid once normalised (see parseJwk) is refused, as
 * `parseJwk(input, { strict: true })` refuses it.
 */
export function prepareKey(input: KeyInput, op: 'sign' | 'verify', strict = false): PreparedKey {
  const prepared = prepareAny(input, op)
  if (strict && prepared.normalized) {
    parseJwk(input as object, { strict: true }) // throws the strict refusal, member and rule
    throw new JwkitError('ERR_JWK_INVALID', 'the key is not canonical, which strict mode refuses')
  }
  return prepared
}

function prepareAny(input: KeyInput, op: 'sign' | 'verify'): PreparedKey {
  if (typeof input === 'string') return prepareText(input, op)
  // A JSON value (null, a number, a boolean) is data, refused like any bad JWK (issue 10).
  if (input === null || typeof input === 'number' || typeof input === 'boolean') throw new JwkitError('ERR_JWK_INVALID', 'JWK: a JWK must be a JSON object', { path: '' })
  if (typeof input !== 'object' || isBytes(input)) {
    throw new TypeError('key must be a JWK object, a KeyObject, a KeySource, or PEM/JWK text (HMAC secrets as an oct JWK or a secret KeyObject)')
  }
  const cache = jwkCache[op]
  let seen: Readonly<Record<string, unknown>>
  try {
    if (isBackendKey(input)) {
      let prepared = keyObjectCache[op].get(input)
      if (prepared === undefined) keyObjectCache[op].set(input, (prepared = fromKeyObject(input, op)))
      return prepared
    }
    const hit = cache.get(input)
    if (hit !== undefined) return hit
    seen = cache.take(input)
  } catch (cause) {
    if (cause instanceof JwkitError) throw cause // fromKeyObject's own refusal
    throw new JwkitError('ERR_JWK_INVALID', 'JWK: the key object cannot be read (a getter or proxy trap threw)', { path: '', cause })
  }
  // Prepared from the snapshot, not the live object: what is cached is what a hit compares.
  const prepared = fromJwk(parseJwkReport(seen), op)
  cache.set(input, seen, prepared)
  return prepared
}

/**
 * Successful verifications after which a key is re-imported in the backend's form for reuse:
 * on Node an RSA public key decoded from SPKI verifies about 1.8 % faster than one imported from a
 * JWK, and the re-import (about 0.4 ms) pays for itself after some 500 tokens.
 */
export const REUSE_AFTER = 1024

/** Counts a successful verification with `prepared`; the {@link REUSE_AFTER}th swaps in the backend's form for reuse of the same key. */
export function noteVerified(prepared: PreparedKey): void {
  if (prepared.uses >= REUSE_AFTER) return
  const p = prepared as { uses: number; handle: KeyHandle }
  if (++p.uses === REUSE_AFTER && isBackendKey(p.handle)) {
    try {
      p.handle = keyForReuse(p.handle)
    } catch {
      // The handle in use works: keep it.
    }
  }
}

/** Metadata for a key a KeySource resolved: its default allowlist and check cache. */
const resolvedCache = new SnapshotCache<PreparedKey>()

/**
 * The prepared form of a `{ jwk, key }` a KeySource returned, cached by the JWK object while its
 * members are unchanged (jwkit's own sets hand out frozen JWKs: a hit by identity).
 */
export function prepareResolved(jwk: Jwk, handle: KeyHandle, normalized = false): PreparedKey {
  let seen: Readonly<Record<string, unknown>>
  try {
    const hit = resolvedCache.get(jwk)
    if (hit !== undefined && hit.source === handle && hit.normalized === normalized) return hit
    seen = resolvedCache.take(jwk)
  } catch (cause) {
    throw new JwkitError('ERR_JWK_INVALID', 'JWK: a key source returned a key that cannot be read', { path: '', cause })
  }
  const own = seen as unknown as Jwk
  const prepared: PreparedKey = { jwk: own, publicJwk: jwk, handle, source: handle, uses: 0, normalized, algorithms: defaultAlgorithms(own), checks: newChecks() }
  resolvedCache.set(jwk, seen, prepared)
  return prepared
}

/**
 * The JWK the usage checks read: an own-members snapshot, so that a member the key does not have
 * (`key_ops`, `use`, `alg`, `crv`, ...) reads as absent even when Object.prototype has one.
 */
const ownJwk = (jwk: Jwk): Jwk => ownSnapshot(jwk) as unknown as Jwk

function fromJwk({ jwk, warnings }: { jwk: Jwk; warnings: readonly Problem[] }, op: 'sign' | 'verify'): PreparedKey {
  const publicJwk = jwk.kty === 'oct' ? jwk : toPublicJwk(jwk)
  const handle = importKeyHandle(op === 'verify' ? publicJwk : jwk)
  const own = ownJwk(jwk)
  return { jwk: own, publicJwk, handle, source: handle, uses: 0, normalized: wasNormalized(warnings), algorithms: defaultAlgorithms(own), checks: newChecks() }
}

function fromKeyObject(key: BackendKey, op: 'sign' | 'verify'): PreparedKey {
  const jwk = exportJwk(key)
  const publicJwk = jwk.kty === 'oct' ? jwk : toPublicJwk(jwk)
  const handle = op === 'verify' && key.type === 'private' ? publicKeyOf(key) : key
  const own = ownJwk(jwk)
  return { jwk: own, publicJwk, handle, source: handle, uses: 0, normalized: false, algorithms: defaultAlgorithms(own), checks: newChecks() }
}

function prepareText(text: string, op: 'sign' | 'verify'): PreparedKey {
  const entry = textCache.get(text)
  const hit = entry?.[op]
  if (hit !== undefined) return hit
  const trimmed = text.trimStart()
  let prepared: PreparedKey
  if (trimmed.startsWith('{')) {
    prepared = fromJwk(parseJwkReport(text), op)
  } else if (trimmed.startsWith('-----BEGIN ')) {
    // PEM text is always an asymmetric key here: never an HMAC secret (RFC 8725 §2.1, §3.1).
    let key: BackendKey
    try {
      key = importPemText(text, /PRIVATE KEY-----/.test(trimmed) ? 'private' : 'public')
    } catch (cause) {
      if (isJwkitError(cause)) throw cause
      throw new JwkitError('ERR_KEY_IMPORT_FAILED', 'PEM key text cannot be imported', { cause })
    }
    prepared = fromKeyObject(key, op)
  } else {
    throw new TypeError('a string key must be PEM or JWK JSON text; give HMAC secrets as an oct JWK or a secret KeyObject')
  }
  if (textCache.size >= TEXT_CACHE_MAX) textCache.delete(textCache.keys().next().value!)
  textCache.set(text, { ...entry, [op]: prepared })
  return prepared
}

function defaultAlgorithms(jwk: Jwk): readonly string[] {
  // RFC 8725 §3.1: the key's own alg; else only what its type and curve permit (so never an
  // HMAC algorithm for an RSA, EC, OKP or AKP key).
  return Object.freeze(typeof jwk.alg === 'string' ? [jwk.alg] : JWS_ALGORITHMS.filter((a) => keyFitsAlgorithm(jwk, a)))
}

/**
 * Throws unless `prepared` may do `op` with `alg`: allowlist (the caller's, else the key's
 * default), the key fitting the algorithm, `use`, `key_ops`, `alg`. Cached per key and alg.
 */
export function checkKeyFor(prepared: PreparedKey, alg: string, op: 'sign' | 'verify', allowlist: readonly string[] | undefined): void {
  if (allowlist !== undefined && !allowlist.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} is not in the algorithms allowlist`)
  // What remains depends only on the key, the operation, the algorithm and whether the caller
  // gave an allowlist: cached per key, so a steady stream of tokens pays one map lookup.
  const checks = prepared.checks[allowlist === undefined ? (op === 'verify' ? 'defaultVerify' : 'defaultSign') : (op === 'verify' ? 'allowlistVerify' : 'allowlistSign')]
  let outcome = checks.get(alg)
  if (outcome === undefined) {
    outcome = usageProblem(prepared, alg, op, allowlist)
    if (checks.size < 32) checks.set(alg, outcome)
  }
  if (outcome !== null) throw outcome
}

function usageProblem(prepared: PreparedKey, alg: string, op: 'sign' | 'verify', allowlist: readonly string[] | undefined): JwkitError | null {
  const jwk = prepared.jwk
  const misfit = algorithmMisfit(jwk, alg)
  if (misfit !== undefined) {
    // RFC 7518 §3.2, §3.3: HMAC keys shorter than the hash, RSA keys under 2048 bits.
    if (misfit.kind === 'weak') return new JwkitError('ERR_JWK_WEAK_KEY', misfit.message)
    // RFC 8725 §3.1: never an algorithm the key's type or curve does not permit (no HS* with RSA).
    return new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} does not fit the key: ${misfit.message}`)
  }
  if (allowlist === undefined && !prepared.algorithms.includes(alg)) {
    return new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} is not allowed for this key (allowed: ${prepared.algorithms.join(', ') || 'none'})`)
  }
  // RFC 7517 §4.2: "sig" is the only use that signs or verifies.
  if (jwk.use !== undefined && jwk.use !== 'sig') return new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's use "${String(jwk.use).slice(0, 20)}" forbids ${op}`)
  // RFC 7517 §4.3: key_ops, when present, must list the operation.
  if (jwk.key_ops !== undefined && !jwk.key_ops.includes(op)) return new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's key_ops do not include "${op}"`)
  // RFC 7517 §4.4: a key with alg is for that algorithm only.
  if (jwk.alg !== undefined && jwk.alg !== alg) return new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's alg forbids ${alg}`)
  return null
}
