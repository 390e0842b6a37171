/**
 * @module jwk/rules-okp
 * Rules for `kty: "OKP"` keys: RFC 8037 §2 (Ed25519, Ed448, X25519, X448).
 */
import { dict, JWK_EXPORT } from '../util/dict.ts'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { fail, readBase64urlLength, type CheckContext } from './check-context.ts'

interface OkpCurveInfo {
  /** RFC 8037 §2 / RFC 8032 §5.1.5, §5.2.5 / RFC 7748 §5: raw key lengths. */
  readonly bytes: number
}

const OKP: Readonly<Record<string, OkpCurveInfo>> = dict({
  Ed25519: { bytes: 32 },
  Ed448: { bytes: 57 },
  X25519: { bytes: 32 },
  X448: { bytes: 56 },
})

/** Raw key length of an OKP curve, or undefined. */
export function okpKeyBytes(crv: unknown): number | undefined {
  return typeof crv === 'string' ? OKP[crv]?.bytes : undefined
}

/** Checks an OKP key; returns true when its public member is well-formed. */
export function checkOkpKey(ctx: CheckContext): boolean {
  const crvValue = ctx.jwk.crv
  if (crvValue === undefined) {
    fail(ctx, 'ERR_JWK_INVALID', 'crv', 'OKP key: member crv is required (RFC 8037 §2)')
    return false
  }
  if (typeof crvValue !== 'string') {
    fail(ctx, 'ERR_JWK_INVALID', 'crv', 'OKP key: member crv must be a string')
    return false
  }
  // RFC 8037 §2: crv is one of the registered, case-sensitive subtypes.
  const info = OKP[crvValue]
  if (info === undefined) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'crv', `OKP key: curve ${JSON.stringify(crvValue).slice(0, 40)} is not supported (Ed25519, Ed448, X25519, X448)`)
    return false
  }
  const xLength = readBase64urlLength(ctx, 'x', true, 'OKP key')
  const dLength = readBase64urlLength(ctx, 'd', false, 'OKP key')
  // RFC 8037 §2: x is the public key in its RFC 8032 / RFC 7748 encoding, of fixed length.
  if (xLength >= 0 && xLength !== info.bytes) {
    fail(ctx, 'ERR_JWK_INVALID', 'x', `OKP key: member x is ${xLength} bytes, ${crvValue} needs ${info.bytes}`)
    return false
  }
  if (dLength >= 0) {
    // RFC 8037 §2: d is the private key, of the same fixed length.
    if (dLength !== info.bytes) {
      fail(ctx, 'ERR_JWK_INVALID', 'd', `OKP key: member d is ${dLength} bytes, ${crvValue} needs ${info.bytes}`)
    } else if (xLength >= 0) {
      // RFC 8037 §2: x is the public key derived from d (both canonical, so text compares).
      if (derivePublic(crvValue, ctx.jwk.d as string, ctx.jwk.x as string) !== ctx.jwk.x) {
        fail(ctx, 'ERR_JWK_INVALID', 'd', 'OKP key: member d does not match member x')
      }
    }
  }
  return xLength >= 0
}

/**
 * The public key node:crypto derives from `d`: its JWK import builds an OKP private key from `d`
 * alone (x must be present but is not used; the test "d matches x" would catch a change), about
 * 10× faster than importing the same bytes as PKCS#8 DER.
 */
function derivePublic(crv: string, d: string, x: string): string | undefined {
  try {
    const priv = createPrivateKey({ key: { kty: 'OKP', crv, d, x }, format: 'jwk' })
    return createPublicKey(priv).export(JWK_EXPORT).x
  } catch {
    return undefined
  }
}
