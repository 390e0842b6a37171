/**
 * @module jwk/check-context
 * The collector the JWK rules report into (RFC 7517 §4 member checks), and the member readers
 * they share: strict base64url (RFC 7515 §2, RFC 4648 §5) and typed optional members.
 */
import { problem, type ErrorCode, type Problem } from '../errors.ts'
import { base64urlDecodedLength, decodeBase64url, isBase64url } from '../util/base64url.ts'
import { base64urlDefect } from '../util/base64-lenient.ts'

/** What the rules of one key write to: every problem found, and the key under check. */
export interface CheckContext {
  /** A snapshot of the key's own members (`ownSnapshot` from util/dict: inherited members read as undefined). */
  readonly jwk: Record<string, unknown>
  /** JSON pointer of the key itself (`''`, or `/keys/3` inside a set). */
  readonly base: string
  readonly problems: Problem[]
  errors: number
  /**
   * The default (non-strict) mode, on a snapshot already normalised (jwk/normalize): rules for
   * hints that are never trusted (`x5t`, `x5t#S256`) warn and drop the member instead of failing.
   */
  readonly lenient: boolean
  /**
   * The first, strict pass of the default mode: its problems are never reported (a key it
   * refuses is normalised and checked again), so messages that cost work are not built.
   */
  readonly trial: boolean
  /** Members a lenient rule dropped from the key it returns (made when the first is dropped). */
  drop: string[] | undefined
}

export function newContext(jwk: Record<string, unknown>, base = '', lenient = false, trial = false): CheckContext {
  return { jwk, base, problems: [], errors: 0, lenient, trial, drop: undefined }
}

/** Why text is not canonical base64url, for a message (not worked out in a trial pass). */
function defect(ctx: CheckContext, value: string): string {
  return ctx.trial ? 'is not' : base64urlDefect(value)
}

/**
 * A hint that does not hold: in the default mode a warning and the member dropped from the key
 * (`ERR_JWK_NON_CANONICAL`); under `strict` an error with `code`.
 */
export function hintFails(ctx: CheckContext, code: ErrorCode, member: string, message: string): void {
  if (!ctx.lenient) {
    fail(ctx, code, member, message)
    return
  }
  ctx.drop ??= []
  if (ctx.drop.includes(member)) return // one report per member
  warn(ctx, 'ERR_JWK_NON_CANONICAL', member, `${message}; dropped (a hint, never trusted or used to select)`)
  ctx.drop.push(member)
}

/** Records an error. */
export function fail(ctx: CheckContext, code: ErrorCode, member: string, message: string): void {
  ctx.problems.push(problem(code, pointer(ctx.base, member), message, 'error'))
  ctx.errors++
}

/** Records a warning: the key is accepted. */
export function warn(ctx: CheckContext, code: ErrorCode, member: string, message: string): void {
  ctx.problems.push(problem(code, pointer(ctx.base, member), message, 'warning'))
}

/**
 * JSON pointer (RFC 6901) of `member` below `base`. `member` is a relative pointer already
 * escaped: a registered member name (none holds `~` or `/`) or {@link elementPointer}'s result.
 */
export function pointer(base: string, member: string): string {
  return member === '' ? base : base + '/' + member
}

/** JSON pointer of an array element. */
export function elementPointer(member: string, index: number): string {
  return member.replace(/~/g, '~0').replace(/\//g, '~1') + '/' + index
}

/**
 * Reads a base64url member (RFC 7515 §2: URL alphabet, no padding, no whitespace, canonical last
 * character). Reports a missing required member or a malformed one; returns the bytes or undefined.
 */
export function readBase64url(ctx: CheckContext, member: string, required: boolean, what: string): Uint8Array | undefined {
  const value = ctx.jwk[member]
  if (value === undefined) {
    if (required) fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} is required`)
    return undefined
  }
  if (typeof value !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} must be a string`)
    return undefined
  }
  // RFC 7515 §2 / RFC 4648 §5: only the canonical unpadded URL-safe form is accepted.
  const bytes = decodeBase64url(value)
  if (bytes === undefined) {
    fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} is not canonical unpadded base64url: it ${defect(ctx, value)}`)
    return undefined
  }
  return bytes
}

/**
 * Like {@link readBase64url} where only the decoded length matters (no bytes are made); returns
 * the length, or -1 when the member is absent or malformed (reported).
 */
export function readBase64urlLength(ctx: CheckContext, member: string, required: boolean, what: string): number {
  const value = ctx.jwk[member]
  if (value === undefined) {
    if (required) fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} is required`)
    return -1
  }
  if (typeof value !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} must be a string`)
    return -1
  }
  if (!isBase64url(value)) {
    fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} is not canonical unpadded base64url: it ${defect(ctx, value)}`)
    return -1
  }
  return base64urlDecodedLength(value)
}

/** Reads an optional string member; reports another type. */
export function readString(ctx: CheckContext, member: string, what: string): string | undefined {
  const value = ctx.jwk[member]
  if (value === undefined) return undefined
  if (typeof value !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', member, `${what}: member ${member} must be a string`)
    return undefined
  }
  return value
}
