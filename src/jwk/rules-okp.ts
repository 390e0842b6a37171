/**
 * @module jwk/rules-okp
 * Rules for `kty: "OKP"` keys: RFC 8037 §2 (Ed25519, Ed448, X25519, X448).
 */
import { dict } from '../util/dict.ts'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { fail, readBase64url, type CheckContext } from './check-context.ts'

interface OkpCurveInfo {
  /** RFC 8037 §2 / RFC 8032 §5.1.5, §5.2.5 / RFC 7748 §5: raw key lengths. */
  readonly bytes: number
  /** PKCS#8 PrivateKeyInfo prefix (RFC 8410 §7) for a raw `d` of this curve. */
  readonly pkcs8Prefix: Buffer
}

const OKP: Readonly<Record<string, OkpCurveInfo>> = dict({
  Ed25519: { bytes: 32, pkcs8Prefix: Buffer.from('302e020100300506032b657004220420', 'hex') },
  Ed448: { bytes: 57, pkcs8Prefix: Buffer.from('3047020100300506032b6571043b0439', 'hex') },
  X25519: { bytes: 32, pkcs8Prefix: Buffer.from('302e020100300506032b656e04220420', 'hex') },
  X448: { bytes: 56, pkcs8Prefix: Buffer.from('3046020100300506032b656f043a0438', 'hex') },
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
  const x = readBase64url(ctx, 'x', true, 'OKP key')
  const d = readBase64url(ctx, 'd', false, 'OKP key')
  // RFC 8037 §2: x is the public key in its RFC 8032 / RFC 7748 encoding, of fixed length.
  if (x !== undefined && x.length !== info.bytes) {
    fail(ctx, 'ERR_JWK_INVALID', 'x', `OKP key: member x is ${x.length} bytes, ${crvValue} needs ${info.bytes}`)
    return false
  }
  if (d !== undefined) {
    // RFC 8037 §2: d is the private key, of the same fixed length.
    if (d.length !== info.bytes) {
      fail(ctx, 'ERR_JWK_INVALID', 'd', `OKP key: member d is ${d.length} bytes, ${crvValue} needs ${info.bytes}`)
    } else if (x !== undefined) {
      // RFC 8037 §2: x is the public key derived from d.
      const derived = derivePublic(info, d)
      if (derived === undefined || !derived.equals(x)) {
        fail(ctx, 'ERR_JWK_INVALID', 'd', 'OKP key: member d does not match member x')
      }
    }
  }
  return x !== undefined
}

function derivePublic(info: OkpCurveInfo, d: Buffer): Buffer | undefined {
  try {
    const priv = createPrivateKey({ key: Buffer.concat([info.pkcs8Prefix, d]), format: 'der', type: 'pkcs8' })
    const jwk = createPublicKey(priv).export({ format: 'jwk' })
    return typeof jwk.x === 'string' ? Buffer.from(jwk.x, 'base64url') : undefined
  } catch {
    return undefined
  }
}
