/**
 * @module jwk/parse
 * JWK parsing and checking (RFC 7517 §4; RFC 7518 §6; RFC 8037 §2; RFC 8812 §3.1;
 * draft-ietf-cose-dilithium). `parseJwk` throws the first error with every problem attached;
 * `checkJwk` never throws and lists every problem, errors and warnings apart.
 *
 * Two modes. Unsafe or ambiguous input is refused in both. Input that is only non-canonical but
 * has exactly one reading (jwk/normalize: padding, the standard alphabet, leading zero octets,
 * EC coordinates off the field length by leading zeros, `x5t` hints that do not hold, empty
 * `x5c`/`oth`) is, by default, rewritten to its canonical form with a warning
 * (`ERR_JWK_NON_CANONICAL`); under `{ strict: true }` it is an error. Either way the key
 * returned is canonical. The canonical path costs nothing extra: the rules run once; only a key
 * they refuse is normalised and checked a second time.
 */
import { JwkitError, isJwkitError, problem, type Problem } from '../errors.ts'
import { ownSnapshot, ownOptions } from '../util/dict.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { fail, newContext, type CheckContext } from './check-context.ts'
import { KEY_TYPES, PRIVATE_KEY_MEMBERS } from './members.ts'
import { checkCommonMembers } from './rules-common.ts'
import { checkEcKey } from './rules-ec.ts'
import { checkOkpKey } from './rules-okp.ts'
import { checkRsaKey } from './rules-rsa.ts'
import { checkAkpKey, checkOctKey } from './rules-symmetric-akp.ts'
import { checkX5c, type KnownChain } from './rules-x5c.ts'
import { normalizeSnapshot } from './normalize.ts'
import type { Jwk } from './types.ts'
import { isBytes } from '../util/bytes.ts'

export interface ParseJwkOptions {
  /** Largest JSON text accepted, in bytes (default 64 KiB). */
  maxBytes?: number
  /** Deepest nesting accepted in JSON text (default 3: the key object > an array > a value). */
  maxDepth?: number
  /** Most members a key object may have (default 100). */
  maxMembers?: number
  /** Refuse private or secret members (`ERR_JWK_PRIVATE_MEMBER`); an `oct` key is refused whole. */
  requirePublic?: boolean
  /** Refuse a key without its private part (`ERR_JWK_INVALID`). */
  requirePrivate?: boolean
  /**
   * Refuse non-canonical members that have one reading (padding, the standard alphabet, leading
   * zero octets, EC coordinate lengths, `x5t` hints that do not hold, empty `x5c`/`oth`) instead
   * of normalising them with a warning (default false).
   */
  strict?: boolean
}

export interface CheckJwkResult {
  valid: boolean
  problems: Problem[]
}

export const DEFAULT_MAX_JWK_BYTES = 64 * 1024
export const DEFAULT_MAX_JWK_DEPTH = 3
export const DEFAULT_MAX_MEMBERS = 100
/** Longest string member accepted (a 16384-bit RSA modulus is 2731 characters; x5c entries are longer). */
export const MAX_MEMBER_CHARS = 64 * 1024

/**
 * Turns the caller's input into a snapshot of the key's own members (`ownSnapshot`: inherited
 * members, even of a polluted `Object.prototype`, read as undefined): JSON text
 * and bytes are parsed strictly (duplicate names refused, size and depth bounded); an object is
 * copied once, so getters run once and the prototype is ignored. Members are bounded in number
 * and string length; for an object, nesting below the known members is not traversed.
 */
export function snapshotJwk(input: unknown, options: ParseJwkOptions = {}): Record<string, unknown> {
  let value: unknown = input
  if (typeof input === 'string' || isBytes(input)) {
    value = parseJsonStrict(input, {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_JWK_BYTES,
      maxDepth: options.maxDepth ?? DEFAULT_MAX_JWK_DEPTH,
      code: 'ERR_JWK_INVALID',
      what: 'JWK',
    })
  }
  // RFC 7517 §4: "A JWK is a JSON object".
  if (!isJsonObject(value)) throw new JwkitError('ERR_JWK_INVALID', 'JWK: a JWK must be a JSON object', { path: '' })
  let snap: Record<string, unknown>
  try {
    snap = ownSnapshot(value)
  } catch (cause) {
    throw new JwkitError('ERR_JWK_INVALID', 'JWK: the key object cannot be read', { path: '', cause })
  }
  const names = Object.keys(snap)
  const maxMembers = options.maxMembers ?? DEFAULT_MAX_MEMBERS
  if (names.length > maxMembers) {
    throw new JwkitError('ERR_INPUT_TOO_LARGE', `JWK: more than ${maxMembers} members`, { path: '' })
  }
  for (const name of names) {
    const member = snap[name]
    if (typeof member === 'string' && member.length > MAX_MEMBER_CHARS) {
      throw new JwkitError('ERR_INPUT_TOO_LARGE', `JWK: member ${name.slice(0, 20)} is longer than ${MAX_MEMBER_CHARS} characters`, { path: '/' + name.replace(/~/g, '~0').replace(/\//g, '~1') })
    }
  }
  return snap
}

/**
 * Runs every rule on a snapshot; `base` is the key's JSON pointer (`/keys/3` in a set). `known`
 * (internal, see {@link KnownChain}) saves re-parsing certificates the caller already holds.
 * The returned context's `jwk` is the snapshot the rules passed: `snap` itself when it is
 * canonical (or under `strict`), else a normalised copy whose warnings lead `problems`.
 */
export function checkSnapshot(snap: Record<string, unknown>, options: ParseJwkOptions = {}, base = '', known?: KnownChain): CheckContext {
  const strict = options.strict === true
  const ctx = runRules(snap, options, base, known, false, !strict)
  if (ctx.errors === 0 || strict) return ctx
  // Default mode: a key the strict rules refuse is read once more, canonical where it has one
  // reading; whatever is still wrong is refused by the same rules.
  const { snap: fixed, warnings } = normalizeSnapshot(snap, base)
  const again = runRules(fixed, options, base, known, true, false)
  for (const m of again.drop ?? []) delete fixed[m]
  if (warnings.length > 0) again.problems.unshift(...warnings)
  return again
}

/** True when a check rewrote or dropped members (a warning `ERR_JWK_NON_CANONICAL`). */
export function wasNormalized(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.code === 'ERR_JWK_NON_CANONICAL')
}

function runRules(snap: Record<string, unknown>, options: ParseJwkOptions, base: string, known: KnownChain | undefined, lenient: boolean, trial: boolean): CheckContext {
  const ctx = newContext(snap, base, lenient, trial)
  const kty = snap.kty
  if (kty === undefined) {
    // RFC 7517 §4.1: "This member MUST be present in a JWK."
    fail(ctx, 'ERR_JWK_INVALID', 'kty', 'JWK: member kty is required')
    return ctx
  }
  if (typeof kty !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', 'kty', 'JWK: member kty must be a string')
    return ctx
  }
  // RFC 7517 §4.1: kty values are case-sensitive; RFC 7517 §5: unknown types are not usable.
  if (!KEY_TYPES.has(kty)) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'kty', `JWK: key type ${JSON.stringify(kty).slice(0, 40)} is not supported (RSA, EC, OKP, oct, AKP)`)
    return ctx
  }
  let keyOk: boolean
  switch (kty) {
    case 'RSA': keyOk = checkRsaKey(ctx); break
    case 'EC': keyOk = checkEcKey(ctx); break
    case 'OKP': keyOk = checkOkpKey(ctx); break
    case 'oct': keyOk = checkOctKey(ctx); break
    default: keyOk = checkAkpKey(ctx); break
  }
  checkCommonMembers(ctx, keyOk)
  checkX5c(ctx, keyOk, known)
  const privateMembers = PRIVATE_KEY_MEMBERS[kty]!
  if (options.requirePublic === true) {
    for (const m of privateMembers) {
      if (snap[m] !== undefined) fail(ctx, 'ERR_JWK_PRIVATE_MEMBER', m, `JWK: member ${m} is private, a public key is required`)
    }
  }
  if (options.requirePrivate === true && !privateMembers.some((m) => snap[m] !== undefined)) {
    fail(ctx, 'ERR_JWK_INVALID', '', 'JWK: a private key is required')
  }
  return ctx
}

/** A plain-object copy of a checked snapshot: arrays copied, other members kept untouched. */
export function jwkFromSnapshot(snap: Record<string, unknown>): Jwk {
  const out: Record<string, unknown> = { ...snap }
  if (Array.isArray(snap.key_ops)) out.key_ops = [...(snap.key_ops as unknown[])] // read from the snapshot: own members only
  if (Array.isArray(snap.x5c)) out.x5c = [...(snap.x5c as unknown[])]
  return out as unknown as Jwk
}

/** The error a failed check throws: the first error's code and path, with every problem. */
export function errorFromProblems(problems: readonly Problem[]): JwkitError {
  const first = problems.find((p) => p.severity === 'error')!
  return new JwkitError(first.code, first.message, { path: first.path, problems })
}

/**
 * A caller mistake JSON cannot produce (a missing argument, a function, a symbol, a bigint) is a
 * `TypeError`; every JSON value (null, a number, a boolean, an array, text that is not JSON) is
 * data, refused with a `JwkitError` further on.
 */
export function assertJsonInput(input: unknown, what: string): void {
  const type = typeof input
  if (type === 'undefined' || type === 'function' || type === 'symbol' || type === 'bigint') {
    throw new TypeError(`${what}: input must be JSON text, bytes or an object`)
  }
}

/**
 * Parses and checks a JWK given as JSON text, UTF-8 bytes or an object (see the module comment
 * for the two modes). Returns a fresh plain-object copy in canonical form (members the RFCs do
 * not define kept untouched); throws `JwkitError` with the first error's `code` and JSON-pointer
 * `path`, and every problem in `problems`. Warnings (a 1024-bit RSA key, `ERR_JWK_WEAK_KEY`; a
 * normalised member, `ERR_JWK_NON_CANONICAL`) do not throw.
 */
export function parseJwk(input: string | Uint8Array | object, options: ParseJwkOptions = {}): Jwk {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  assertJsonInput(input, 'parseJwk')
  const ctx = checkSnapshot(snapshotJwk(input, options), options)
  if (ctx.errors > 0) throw errorFromProblems(ctx.problems)
  return jwkFromSnapshot(ctx.jwk)
}

/** Internal: {@link parseJwk} and its warnings (key-usage tells normalised keys apart with them). */
export function parseJwkReport(input: unknown, options: ParseJwkOptions = {}): { jwk: Jwk; warnings: readonly Problem[] } {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  assertJsonInput(input, 'parseJwk')
  const snap = snapshotJwk(input, options)
  const ctx = checkSnapshot(snap, options)
  if (ctx.errors > 0) throw errorFromProblems(ctx.problems)
  return { jwk: jwkFromSnapshot(ctx.jwk), warnings: ctx.problems }
}

/**
 * Internal (for formats/x509, not exported by the package): {@link parseJwk} of a JWK whose
 * `x5c` the caller built from certificates it has parsed and whose key it read from the first
 * one. Every rule runs; the chain only spares parsing the same DER twice (see {@link KnownChain}).
 */
export function parseJwkWithKnownChain(input: object, known: KnownChain): Jwk {
  const snap = snapshotJwk(input)
  // Strict: the caller built this key itself from certificates, so it is canonical or wrong.
  const ctx = checkSnapshot(snap, { strict: true }, '', known)
  if (ctx.errors > 0) throw errorFromProblems(ctx.problems)
  return jwkFromSnapshot(ctx.jwk)
}

/** Checks a JWK and reports every problem, errors and warnings apart. Never throws. */
export function checkJwk(input: unknown, options: ParseJwkOptions = {}): CheckJwkResult {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  try {
    const ctx = checkSnapshot(snapshotJwk(input, options), options)
    return { valid: ctx.errors === 0, problems: ctx.problems }
  } catch (error) {
    if (isJwkitError(error)) {
      return { valid: false, problems: [problem(error.code, error.path ?? '', error.message)] }
    }
    return { valid: false, problems: [problem('ERR_JWK_INVALID', '', 'JWK: the input cannot be checked')] }
  }
}
