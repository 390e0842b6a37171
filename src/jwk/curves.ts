/**
 * @module jwk/curves
 * Short-Weierstrass curve constants for the EC key type: P-256, P-384, P-521 (RFC 7518 §6.2.1.1,
 * SEC 2 / FIPS 186-4 D.1.2) and secp256k1 (RFC 8812 §3.1, SEC 2 §2.4.1), and the on-curve test
 * RFC 7518 §6.2.1 implies (a public key is a point of the named curve).
 */

/** Domain parameters of y² = x³ + a·x + b over GF(p), with group order n and field length in bytes. */
import { toHex } from '#codec'
import { dict } from '../util/dict.ts'
export interface CurveParams {
  readonly crv: string
  /** Field element length in bytes: the exact length of `x`, `y` and `d` (RFC 7518 §6.2.1.2, §6.2.2.1). */
  readonly bytes: number
  readonly p: bigint
  readonly a: bigint
  readonly b: bigint
  readonly n: bigint
  /** OpenSSL / node:crypto curve name. */
  readonly nodeName: string
}

const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
const P384_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn
const P521_P = (1n << 521n) - 1n // P = 2^521 - 1
const K256_P = (1n << 256n) - (1n << 32n) - 977n // P = 2^256 - 2^32 - 977

export const EC_CURVES: Readonly<Record<string, CurveParams>> = dict({
  'P-256': {
    crv: 'P-256', bytes: 32, nodeName: 'prime256v1', p: P256_P, a: P256_P - 3n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  'P-384': {
    crv: 'P-384', bytes: 48, nodeName: 'secp384r1', p: P384_P, a: P384_P - 3n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  'P-521': {
    crv: 'P-521', bytes: 66, nodeName: 'secp521r1', p: P521_P, a: P521_P - 3n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    n: 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
  secp256k1: {
    crv: 'secp256k1', bytes: 32, nodeName: 'secp256k1', p: K256_P, a: 0n, b: 7n,
    n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
  },
})

/** The curve parameters for a JWK `crv` (case-sensitive, RFC 7518 §6.2.1.1), or undefined. */
export function ecCurve(crv: unknown): CurveParams | undefined {
  return typeof crv === 'string' ? EC_CURVES[crv] : undefined
}

/** Big-endian bytes to a bigint (no copy of the bytes beyond the hex string). */
export function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes))
}

/**
 * True when (x, y) is an affine point of the curve: both coordinates are field elements (< p)
 * and y² ≡ x³ + a·x + b (mod p). The point at infinity has no affine form, so it never passes.
 */
export function isOnCurve(curve: CurveParams, x: bigint, y: bigint): boolean {
  const { p, a, b } = curve
  if (x < 0n || y < 0n || x >= p || y >= p) return false
  // x³ + a·x + b = (x² + a)·x + b: one reduction for the right side (all terms non-negative).
  return (y * y) % p === ((x * x + a) * x + b) % p
}
