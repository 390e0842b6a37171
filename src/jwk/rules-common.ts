/**
 * @module jwk/rules-common
 * Rules for the members every JWK may carry: RFC 7517 §4.2 (use), §4.3 (key_ops), §4.4 (alg),
 * §4.5 (kid), §4.6 (x5u), §4.8 (x5t), §4.9 (x5t#S256); and WebCrypto's `ext`.
 */
import { dict } from '../util/dict.ts'
import { algorithmMisfit, algorithmUse } from './algorithms.ts'
import { elementPointer, fail, hintFails, readBase64url, readString, warn, type CheckContext } from './check-context.ts'

/** RFC 7517 §4.3: the operations each `use` value stands for. */
const OPS_OF_USE: Readonly<Record<string, ReadonlySet<string>>> = dict({
  sig: new Set(['sign', 'verify']),
  enc: new Set(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']),
})

/** RFC 7517 §4.3 registered operations. */
export const KEY_OPERATIONS: ReadonlySet<string> = new Set([...OPS_OF_USE.sig!, ...OPS_OF_USE.enc!])

/** Bound on `key_ops` entries: there are eight registered operations. */
const MAX_KEY_OPS = 16
/** Bound on one `key_ops` entry (the registered ones have at most 10 characters). */
const MAX_KEY_OP_CHARS = 256

/** Checks kid, use, key_ops, alg, x5u, x5t, x5t#S256 and ext. `keyOk` says the key members passed. */
export function checkCommonMembers(ctx: CheckContext, keyOk: boolean): void {
  const { jwk } = ctx
  readString(ctx, 'kid', 'JWK') // RFC 7517 §4.5: kid is a case-sensitive string.
  readString(ctx, 'x5u', 'JWK') // RFC 7517 §4.6: x5u is a URI string.
  // RFC 7517 §4.8, §4.9: base64url SHA-1 / SHA-256 digests.
  const x5t = readBase64url(ctx, 'x5t', false, 'JWK')
  if (x5t !== undefined && x5t.length !== 20) hintFails(ctx, 'ERR_JWK_INVALID', 'x5t', `JWK: member x5t is ${x5t.length} bytes, a SHA-1 digest is 20`)
  const x5t256 = readBase64url(ctx, 'x5t#S256', false, 'JWK')
  if (x5t256 !== undefined && x5t256.length !== 32) hintFails(ctx, 'ERR_JWK_INVALID', 'x5t#S256', `JWK: member x5t#S256 is ${x5t256.length} bytes, a SHA-256 digest is 32`)
  if (jwk.ext !== undefined && typeof jwk.ext !== 'boolean') fail(ctx, 'ERR_JWK_INVALID', 'ext', 'JWK: member ext must be a boolean')

  // RFC 7517 §4.2: use is a case-sensitive string ("sig", "enc", or another value).
  const use = readString(ctx, 'use', 'JWK')
  const ops = readKeyOps(ctx)
  const kty = jwk.kty
  const crv = jwk.crv
  if (use !== undefined && ops !== undefined) {
    // RFC 7517 §4.3: if both are used, the information they convey MUST be consistent.
    const allowed = OPS_OF_USE[use]
    const bad = allowed === undefined ? undefined : ops.find((op) => KEY_OPERATIONS.has(op) && !allowed.has(op))
    if (bad !== undefined) fail(ctx, 'ERR_JWK_INVALID', 'key_ops', `JWK: key_ops has ${bad}, which contradicts use ${use}`)
  }
  // RFC 8037 §2/§3.2: X25519/X448 keys are for key agreement only; Ed25519/Ed448 and ML-DSA for signatures only.
  const exchangeOnly = kty === 'OKP' && (crv === 'X25519' || crv === 'X448')
  const signOnly = (kty === 'OKP' && (crv === 'Ed25519' || crv === 'Ed448')) || kty === 'AKP'
  if (exchangeOnly || signOnly) {
    const forbidden = exchangeOnly ? 'sig' : 'enc'
    if (use === forbidden) fail(ctx, 'ERR_JWK_INVALID', 'use', `JWK: a ${String(crv ?? kty)} key cannot have use ${use}`)
    const badOp = ops?.find((op) => OPS_OF_USE[forbidden]!.has(op) && !(exchangeOnly && (op === 'deriveKey' || op === 'deriveBits')))
    if (badOp !== undefined) fail(ctx, 'ERR_JWK_INVALID', 'key_ops', `JWK: a ${String(crv ?? kty)} key cannot have operation ${badOp}`)
  }

  // RFC 7517 §4.4: alg identifies the algorithm intended for use with the key.
  if (kty !== 'AKP') {
    const alg = readString(ctx, 'alg', 'JWK')
    if (alg !== undefined) checkAlg(ctx, alg, use, ops, keyOk)
  }
}

function checkAlg(ctx: CheckContext, alg: string, use: string | undefined, ops: string[] | undefined, keyOk: boolean): void {
  const algUse = algorithmUse(alg)
  if (algUse === undefined) {
    // RFC 7518 §3.1/§4.1: the registered names; "none" is never a key's algorithm (RFC 8725 §3.1).
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'alg', `JWK: algorithm ${JSON.stringify(alg).slice(0, 40)} is not supported`)
    return
  }
  // RFC 7517 §4.2 with §4.4: a signature algorithm on an encryption key (or the reverse) contradicts.
  if (use !== undefined && (use === 'sig' || use === 'enc') && use !== algUse) {
    fail(ctx, 'ERR_JWK_INVALID', 'use', `JWK: use ${use} contradicts alg ${alg}`)
  }
  if (ops !== undefined) {
    const allowed = OPS_OF_USE[algUse]!
    const bad = ops.find((op) => KEY_OPERATIONS.has(op) && !allowed.has(op))
    if (bad !== undefined) fail(ctx, 'ERR_JWK_INVALID', 'key_ops', `JWK: key_ops has ${bad}, which contradicts alg ${alg}`)
  }
  if (!keyOk) return
  const misfit = algorithmMisfit(ctx.jwk as never, alg)
  if (misfit === undefined) return
  if (misfit.kind === 'weak' && misfit.member === 'n') {
    // RFC 7518 §3.3: under 2048 bits is parsed (with a warning) and refused at use.
    warn(ctx, 'ERR_JWK_WEAK_KEY', 'alg', `JWK: ${misfit.message}`)
  } else if (misfit.kind === 'weak') {
    fail(ctx, 'ERR_JWK_WEAK_KEY', misfit.member, `JWK: ${misfit.message}`)
  } else {
    fail(ctx, 'ERR_JWK_INVALID', 'alg', `JWK: ${misfit.message}`)
  }
}

/** RFC 7517 §4.3: key_ops is an array of distinct strings. */
function readKeyOps(ctx: CheckContext): string[] | undefined {
  const value = ctx.jwk.key_ops
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    fail(ctx, 'ERR_JWK_INVALID', 'key_ops', 'JWK: member key_ops must be an array of strings')
    return undefined
  }
  if (value.length > MAX_KEY_OPS) {
    fail(ctx, 'ERR_INPUT_TOO_LARGE', 'key_ops', `JWK: member key_ops has more than ${MAX_KEY_OPS} entries`)
    return undefined
  }
  const seen = new Set<string>()
  for (let i = 0; i < value.length; i++) {
    const op: unknown = value[i]
    if (typeof op !== 'string') {
      fail(ctx, 'ERR_JWK_INVALID', elementPointer('key_ops', i), 'JWK: key_ops entries must be strings')
      return undefined
    }
    if (op.length > MAX_KEY_OP_CHARS) {
      fail(ctx, 'ERR_INPUT_TOO_LARGE', elementPointer('key_ops', i), `JWK: key_ops entry is longer than ${MAX_KEY_OP_CHARS} characters`)
      return undefined
    }
    // RFC 7517 §4.3: "Duplicate key operation values MUST NOT be present in the array."
    if (seen.has(op)) {
      fail(ctx, 'ERR_JWK_INVALID', elementPointer('key_ops', i), `JWK: key_ops has ${op.slice(0, 20)} twice`)
      return undefined
    }
    seen.add(op)
  }
  return [...seen]
}
