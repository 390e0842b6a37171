/**
 * @module jwk/rules-ec
 * Rules for `kty: "EC"` keys: RFC 7518 §6.2 (P-256, P-384, P-521) and RFC 8812 §3.1 (secp256k1).
 */
import { ecPublicPoint } from '#backend'
import { equalBytes } from '../util/bytes.ts'
import { ecCurve, isOnCurve, toBigInt } from './curves.ts'
import { fail, readBase64url, type CheckContext } from './check-context.ts'

/** Checks an EC key; returns true when its public point is well-formed. */
export function checkEcKey(ctx: CheckContext): boolean {
  const crvValue = ctx.jwk.crv
  if (crvValue === undefined) {
    fail(ctx, 'ERR_JWK_INVALID', 'crv', 'EC key: member crv is required (RFC 7518 §6.2.1.1)')
    return false
  }
  if (typeof crvValue !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', 'crv', 'EC key: member crv must be a string')
    return false
  }
  // RFC 7518 §6.2.1.1, RFC 8812 §3.1: crv values are case-sensitive registered names.
  const curve = ecCurve(crvValue)
  if (curve === undefined) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'crv', `EC key: curve ${JSON.stringify(crvValue).slice(0, 40)} is not supported (P-256, P-384, P-521, secp256k1)`)
    return false
  }
  const x = readBase64url(ctx, 'x', true, 'EC key')
  const y = readBase64url(ctx, 'y', true, 'EC key')
  const d = readBase64url(ctx, 'd', false, 'EC key')
  let ok = true
  // RFC 7518 §6.2.1.2/§6.2.1.3: x and y are the full field length, leading zeros kept.
  if (x !== undefined && x.length !== curve.bytes) {
    fail(ctx, 'ERR_JWK_INVALID', 'x', `EC key: member x is ${x.length} bytes, ${curve.crv} needs ${curve.bytes}`)
    ok = false
  }
  if (y !== undefined && y.length !== curve.bytes) {
    fail(ctx, 'ERR_JWK_INVALID', 'y', `EC key: member y is ${y.length} bytes, ${curve.crv} needs ${curve.bytes}`)
    ok = false
  }
  if (x === undefined || y === undefined || !ok) return false
  // RFC 7518 §6.2.1: (x, y) is a public key, a point of the named curve.
  if (!isOnCurve(curve, toBigInt(x), toBigInt(y))) {
    fail(ctx, 'ERR_JWK_INVALID', 'x', `EC key: the point (x, y) is not on curve ${curve.crv}`)
    return false
  }
  if (d !== undefined) {
    // RFC 7518 §6.2.2.1: d MUST be ceiling(log2(n)/8) octets long (the field length for these curves).
    if (d.length !== curve.bytes) {
      fail(ctx, 'ERR_JWK_INVALID', 'd', `EC key: member d is ${d.length} bytes, ${curve.crv} needs ${curve.bytes}`)
      return ok
    }
    const scalar = toBigInt(d)
    // SEC 1 §3.2.1: a private key is an integer in [1, n-1].
    if (scalar === 0n || scalar >= curve.n) {
      fail(ctx, 'ERR_JWK_INVALID', 'd', `EC key: member d is outside [1, n-1] for ${curve.crv}`)
      return ok
    }
    // RFC 7518 §6.2.2.1: d is the private key OF the public point: d·G must equal (x, y).
    const pub = ecPublicPoint(curve.crv, d) // 0x04 ‖ X ‖ Y
    if (pub === undefined || !equalBytes(x, pub.subarray(1, 1 + curve.bytes)) || !equalBytes(y, pub.subarray(1 + curve.bytes))) {
      fail(ctx, 'ERR_JWK_INVALID', 'd', 'EC key: member d does not match the public point (x, y)')
    }
  }
  return ok
}
