/**
 * @module formats/cose-tables
 * COSE registries jwkit maps to JOSE: key types and key parameters (RFC 9052 §7.1, RFC 9053
 * §7, RFC 8230 §4), elliptic curves (RFC 9053 §7.1, RFC 8812 §3.1), algorithms (RFC 9053 §2-§6,
 * RFC 8230 §2-§3, RFC 8812 §3.2, RFC 9864 §2) and key operations (RFC 9052 Table 5).
 */

/** RFC 9052 §7.1 common labels. */
export const LABEL = { kty: 1, kid: 2, alg: 3, key_ops: 4, base_iv: 5 } as const

/** RFC 9053 §7 / RFC 8230 §4: kty values. */
export const KTY = { OKP: 1, EC2: 2, RSA: 3, Symmetric: 4 } as const

/** RFC 9053 Table 18 and RFC 8812 §3.1: COSE crv ↔ JWK crv. */
export const CURVES: ReadonlyArray<readonly [number, string, 'EC' | 'OKP']> = [
  [1, 'P-256', 'EC'],
  [2, 'P-384', 'EC'],
  [3, 'P-521', 'EC'],
  [4, 'X25519', 'OKP'],
  [5, 'X448', 'OKP'],
  [6, 'Ed25519', 'OKP'],
  [7, 'Ed448', 'OKP'],
  [8, 'secp256k1', 'EC'],
]

/** COSE alg ↔ JOSE alg. */
export const ALGORITHMS: ReadonlyArray<readonly [number, string]> = [
  [-7, 'ES256'], // RFC 9053 §2.1
  [-35, 'ES384'],
  [-36, 'ES512'],
  [-47, 'ES256K'], // RFC 8812 §3.2
  [-8, 'EdDSA'], // RFC 9053 §2.2
  [-19, 'Ed25519'], // RFC 9864 §2.2
  [-53, 'Ed448'],
  [-257, 'RS256'], // RFC 8812 §2
  [-258, 'RS384'],
  [-259, 'RS512'],
  [-37, 'PS256'], // RFC 8230 §2
  [-38, 'PS384'],
  [-39, 'PS512'],
  [-40, 'RSA-OAEP'], // RFC 8230 §3
  [-41, 'RSA-OAEP-256'],
  [5, 'HS256'], // RFC 9053 §3.1
  [6, 'HS384'],
  [7, 'HS512'],
  [-3, 'A128KW'], // RFC 9053 §6.2.1
  [-4, 'A192KW'],
  [-5, 'A256KW'],
  [1, 'A128GCM'], // RFC 9053 §4.1
  [2, 'A192GCM'],
  [3, 'A256GCM'],
  [-29, 'ECDH-ES+A128KW'], // RFC 9053 §6.4.1
  [-30, 'ECDH-ES+A192KW'],
  [-31, 'ECDH-ES+A256KW'],
]

/** RFC 9052 Table 5: key_ops values; 9/10 (MAC create/verify) read as sign/verify. */
export const KEY_OPS: ReadonlyArray<readonly [number, string]> = [
  [1, 'sign'], [2, 'verify'], [3, 'encrypt'], [4, 'decrypt'],
  [5, 'wrapKey'], [6, 'unwrapKey'], [7, 'deriveKey'], [8, 'deriveBits'],
  [9, 'sign'], [10, 'verify'],
]

/** RFC 9053 §7.1.1 / §7.2 and RFC 8230 §4: key-type-specific labels ↔ JWK members. */
export const MEMBERS: Readonly<Record<'EC' | 'OKP' | 'RSA' | 'oct', ReadonlyArray<readonly [number, string]>>> = {
  EC: [[-2, 'x'], [-3, 'y'], [-4, 'd']],
  OKP: [[-2, 'x'], [-4, 'd']],
  RSA: [[-1, 'n'], [-2, 'e'], [-3, 'd'], [-4, 'p'], [-5, 'q'], [-6, 'dp'], [-7, 'dq'], [-8, 'qi']],
  oct: [[-1, 'k']],
}
