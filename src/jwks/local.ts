/**
 * @module jwks/local
 * `createLocalJwks`: a {@link KeySource} over a JWK Set held in memory (RFC 7517 §5). Keys it
 * cannot verify with are left out (unknown types, `use: "enc"`, `key_ops` without `verify`,
 * weak keys, curves with no signature algorithm), each remembered with why, so a token whose
 * `kid` names one hears that it was skipped and for what rule. Selection follows RFC 7515 §4.1.4
 * and RFC 8725 §3.1: by `kid` when the token has one, then by what the key's `alg`, type, curve
 * and `use` permit for the token's `alg`. A `kid` shared by several keys never rejects the set
 * (RFC 7517 §4.5's own example shares one between an EC and an RSA key; WSO2 lists one key per
 * algorithm under one `kid`): only a token for which two different keys remain is refused, as
 * ambiguous. Each key is imported once, when the source is built, and kept.
 */
import { JwkitError, problem, type Problem } from '../errors.ts'
import type { Jwk, JwkSet } from '../jwk/types.ts'
import { parseJwkSet, DEFAULT_MAX_JWKS_BYTES, DEFAULT_MAX_KEYS, type ParseJwkSetResult } from '../jwk/set.ts'
import { DEFAULT_MAX_JWK_DEPTH } from '../jwk/parse.ts'
import { toPublicJwk } from '../jwk/public.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import { jwsInfo, signatureAlgorithmsForKey } from '../jwk/algorithms.ts'
import { importKeyHandle } from '../crypto/import.ts'
import { parseJsonStrict } from '../util/json.ts'
import { ownOptions, ownSnapshot } from '../util/dict.ts'
import type { KeySelectionHeader, KeySource, ResolvedKey } from '../jws/key-source.ts'

export interface LocalJwksOptions {
  /**
   * Refuse (skip) keys with non-canonical members instead of normalising them (see parseJwk);
   * default false.
   */
  strict?: boolean
}

/** A local key source; `jwks()` gives the public keys it kept. */
export interface LocalJwks extends KeySource {
  getKeys(header: KeySelectionHeader): readonly ResolvedKey[]
  describeMiss(header: KeySelectionHeader): string | undefined
  jwks(): JwkSet
  /** One problem per key of the set left out (path `/keys/N`), with the rule that left it out. */
  skipped(): readonly Problem[]
  /** One warning per member normalised from a non-canonical form (`ERR_JWK_NON_CANONICAL`). */
  normalized(): readonly Problem[]
}

interface Entry {
  readonly jwk: Jwk
  readonly algorithms: ReadonlySet<string>
  readonly resolved: ResolvedKey
  readonly thumbprint: string
}

const EMPTY: readonly ResolvedKey[] = Object.freeze([])
/** Most distinct (kid, alg) selections remembered. */
const SELECTION_CACHE_MAX = 256
/** Longest kid quoted in a message. */
const KID_CHARS = 64

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

export function createLocalJwks(set: JwkSet | Jwk[] | string, options: LocalJwksOptions = {}): LocalJwks {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  let input: unknown = Array.isArray(set) ? { keys: set } : set
  if (typeof input === 'string') {
    // Parsed here (as parseJwkSet would) so that the kid of a skipped key can be named.
    input = parseJsonStrict(input, { maxBytes: DEFAULT_MAX_JWKS_BYTES, maxDepth: DEFAULT_MAX_JWK_DEPTH + 2, code: 'ERR_JWKS_INVALID', what: 'JWK Set' })
  }
  // The keys array is read once: the parse and the names of skipped keys see the same entries.
  let raw: unknown
  try {
    raw = typeof input === 'object' && input !== null && Object.hasOwn(input, 'keys') ? (input as { keys: unknown }).keys : undefined
  } catch {
    raw = undefined
  }
  // (An oversized array is left to parseJwkSet, which refuses it before reading its entries.)
  const list = Array.isArray(raw) && raw.length <= DEFAULT_MAX_KEYS ? [...(raw as unknown[])] : undefined
  const parsed = parseJwkSet(list === undefined ? (input as object) : { keys: list }, { strict: options.strict === true })
  return localJwksFromParsed(parsed, list ?? [])
}

/** The kid of a raw set entry, when it has a string one (read once, never throws). */
function rawKid(entry: unknown): string | undefined {
  return rawMember(entry, 'kid') as string | undefined
}

/** A string member of a raw set entry, or undefined (read once, never throws). */
function rawMember(entry: unknown, name: string): unknown {
  try {
    if (typeof entry !== 'object' || entry === null || !Object.hasOwn(entry, name)) return undefined
    const value = (entry as Record<string, unknown>)[name]
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/** A kid for a message: JSON-quoted, bounded (it names a key, it is never key material). */
export function quoteKid(kid: string): string {
  return JSON.stringify(kid.length > KID_CHARS ? kid.slice(0, KID_CHARS) + '…' : kid)
}

/**
 * Internal (the remote source uses it on the set it fetched): a local source over what
 * `parseJwkSet` made of `raw`, the set's `keys` array as given.
 */
export function localJwksFromParsed(parsed: ParseJwkSetResult, raw: readonly unknown[]): LocalJwks {
  const skipped: Problem[] = []
  /** kid → why the (first) key of that kid was left out. */
  const skippedByKid = new Map<string, string>()
  const skip = (index: number, code: Problem['code'], reason: string): void => {
    skipped.push(problem(code, `/keys/${index}`, `key ${index} skipped: ${reason}`))
    const kid = rawKid(raw[index])
    if (kid !== undefined && !skippedByKid.has(kid)) skippedByKid.set(kid, reason)
  }
  const parseSkipped = new Set<number>()
  /** kid → the kty and alg of keys of that kid the rules refused (malformed, unsupported). */
  const refusedByKid = new Map<string, Array<{ kty: unknown; alg: unknown; reason: string }>>()
  for (const p of parsed.skipped) {
    const index = Number(/^\/keys\/(\d+)/.exec(p.path)?.[1])
    parseSkipped.add(index)
    const reason = p.message.replace(/^key \d+ skipped: /, '')
    skip(index, p.code, reason)
    const kid = rawKid(raw[index])
    if (kid !== undefined) {
      const list = refusedByKid.get(kid) ?? []
      list.push({ kty: rawMember(raw[index], 'kty'), alg: rawMember(raw[index], 'alg'), reason })
      refusedByKid.set(kid, list)
    }
  }
  // The accepted keys, in set order, with their index in the set.
  const accepted: Array<{ index: number; key: Jwk }> = []
  let next = 0
  for (let i = 0; i < raw.length && next < parsed.keys.length; i++) {
    if (!parseSkipped.has(i)) accepted.push({ index: i, key: parsed.keys[next++]! })
  }
  const warningAt = (index: number, code: Problem['code']): Problem | undefined =>
    parsed.warnings.find((w) => w.code === code && w.path.startsWith(`/keys/${index}/`))

  const entries: Entry[] = []
  // A set that holds public keys is a verification set: its oct keys are ignored, so a token can
  // never be checked with a secret from a set meant for asymmetric keys (RFC 8725 §2.1, §3.1).
  const asymmetric = parsed.keys.some((k) => k.kty !== 'oct')
  for (const { index, key } of accepted) {
    if (asymmetric && key.kty === 'oct') {
      skip(index, 'ERR_JWKS_INVALID', 'a secret (oct) key in a set of public keys is never used to verify (RFC 8725 §3.1)')
      continue
    }
    // RFC 7517 §4.2, §4.3: only keys meant for signatures; they must verify (public) here.
    // Read through own members only (a polluted Object.prototype.key_ops changes nothing).
    const own = ownSnapshot(key) as unknown as Jwk
    const algorithms = signatureAlgorithmsForKey(own)
    if (algorithms.length === 0 || (Array.isArray(own.key_ops) && !own.key_ops.includes('verify'))) {
      const weak = warningAt(index, 'ERR_JWK_WEAK_KEY')
      const reason = weak !== undefined ? weak.message
        : own.use !== undefined && own.use !== 'sig' ? `member use is ${quoteKid(String(own.use))}, not "sig" (RFC 7517 §4.2)`
          : Array.isArray(own.key_ops) && !own.key_ops.includes('verify') ? 'member key_ops does not include "verify" (RFC 7517 §4.3)'
            : typeof own.alg === 'string' ? `member alg ${quoteKid(own.alg)} is not a signature algorithm this key fits`
              : `no signature algorithm fits a ${own.kty}${typeof (own as { crv?: unknown }).crv === 'string' ? ' ' + (own as { crv?: string }).crv : ''} key`
      skip(index, weak !== undefined ? 'ERR_JWK_WEAK_KEY' : 'ERR_KEY_USAGE_FORBIDDEN', reason)
      continue
    }
    const jwk = deepFreeze(key.kty === 'oct' ? key : toPublicJwk(key))
    let resolved: ResolvedKey
    try {
      // Imported once, here: every later token reuses the KeyHandle.
      const normalized = warningAt(index, 'ERR_JWK_NON_CANONICAL') !== undefined
      resolved = Object.freeze(normalized ? { jwk, key: importKeyHandle(jwk), normalized: true } : { jwk, key: importKeyHandle(jwk) })
    } catch (error) {
      // A key node:crypto cannot use is ignored like any other unusable key.
      skip(index, 'ERR_KEY_IMPORT_FAILED', error instanceof JwkitError ? error.message : 'the key cannot be imported')
      continue
    }
    entries.push({ jwk, algorithms: new Set(algorithms), resolved, thumbprint: thumbprint(jwk) })
  }
  const byKid = new Map<string, Entry[]>()
  for (const e of entries) {
    if (typeof e.jwk.kid !== 'string') continue
    const list = byKid.get(e.jwk.kid)
    if (list) list.push(e)
    else byKid.set(e.jwk.kid, [e])
  }
  const normalized = parsed.warnings.filter((w) => w.code === 'ERR_JWK_NON_CANONICAL')
  const selections = new Map<string, readonly ResolvedKey[]>()

  function select(kid: string | undefined, alg: string): readonly ResolvedKey[] {
    const pool = kid === undefined ? entries : byKid.get(kid)
    const out: ResolvedKey[] = []
    const seen: string[] = []
    for (const e of pool ?? []) {
      if (!e.algorithms.has(alg)) continue
      // The same key listed twice under one kid is one key.
      if (kid !== undefined && seen.includes(e.thumbprint)) continue
      seen.push(e.thumbprint)
      out.push(e.resolved)
    }
    if (kid === undefined) return out.length === 0 ? EMPTY : Object.freeze(out)
    // A key of this kid that the rules refused but that could have served this token (its kty
    // and alg permit it) means two readers could pick two keys: ambiguous (Wycheproof
    // DuplicateKid), even though the set itself stays in use for its other kids.
    const info = out.length > 0 ? jwsInfo(alg) : undefined
    const rival = info === undefined ? undefined : refusedByKid.get(kid!)?.find((r) => r.kty === info.kty && (r.alg === undefined || r.alg === alg))
    if (rival !== undefined) {
      throw new JwkitError('ERR_JWKS_MULTIPLE_MATCHING_KEYS', `kid ${quoteKid(kid!)} names a usable key and another that was skipped (${rival.reason}): ambiguous (RFC 7517 §4.5)`)
    }
    if (out.length > 1) {
      // RFC 7517 §4.5: a kid names one key; two different keys that both fit the token are ambiguous.
      throw new JwkitError('ERR_JWKS_MULTIPLE_MATCHING_KEYS', `kid ${quoteKid(kid)} names ${out.length} different keys that fit algorithm ${alg.slice(0, 20)} (RFC 7517 §4.5)`)
    }
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
    describeMiss(header: KeySelectionHeader): string | undefined {
      const kid = header.kid
      if (typeof kid !== 'string') return undefined
      const why = skippedByKid.get(kid)
      const usable = byKid.get(kid)
      if (usable !== undefined) {
        return `key ${quoteKid(kid)} is in the set but does not permit algorithm ${String(header.alg).slice(0, 20)} (its alg, kty or crv)${why === undefined ? '' : `; another key of that kid was skipped: ${why}`}`
      }
      return why === undefined ? undefined : `key ${quoteKid(kid)} was in the set but skipped: ${why}`
    },
    jwks(): JwkSet {
      return { keys: entries.map((e) => copyJwk(e.jwk)) }
    },
    skipped: () => skipped,
    normalized: () => normalized,
  }
}
