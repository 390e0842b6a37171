/**
 * @module formats/oids
 * Object identifiers of the key algorithms and curves jwkit converts: RFC 8017 Appendix A.1
 * (rsaEncryption), RFC 5480 §2.1.1 (id-ecPublicKey and named curves), RFC 8410 §3 (Ed25519,
 * Ed448, X25519, X448), SEC 2 (secp256k1), RFC 8018 (PBES2, PBKDF2, HMAC PRFs), RFC 3565 (AES-CBC).
 */
import type { EcCurve, OkpCurve } from '../jwk/types.ts'

export const OID_RSA = '1.2.840.113549.1.1.1'
export const OID_RSA_PSS = '1.2.840.113549.1.1.10'
export const OID_EC = '1.2.840.10045.2.1'
export const OID_ED25519 = '1.3.101.112'
export const OID_ED448 = '1.3.101.113'
export const OID_X25519 = '1.3.101.110'
export const OID_X448 = '1.3.101.111'

/** RFC 5480 §2.1.1.1 named curves, plus secp256k1 (SEC 2 §2.4.1, RFC 8812). */
export const CURVE_BY_OID: Readonly<Record<string, EcCurve>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
}

export const OKP_BY_OID: Readonly<Record<string, OkpCurve>> = {
  [OID_ED25519]: 'Ed25519',
  [OID_ED448]: 'Ed448',
  [OID_X25519]: 'X25519',
  [OID_X448]: 'X448',
}

/** Algorithms recognised only to name them in a refusal. */
export const UNSUPPORTED_ALGORITHMS: Readonly<Record<string, string>> = {
  [OID_RSA_PSS]: 'RSASSA-PSS (id-RSASSA-PSS keys)',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
}

export const OID_PBES2 = '1.2.840.113549.1.5.13'
export const OID_PBKDF2 = '1.2.840.113549.1.5.12'
export const OID_HMAC_SHA1 = '1.2.840.113549.2.7'
export const OID_HMAC_SHA256 = '1.2.840.113549.2.9'

/** RFC 3565 §4.1 AES-CBC identifiers and their key lengths. */
export const AES_CBC_BY_OID: Readonly<Record<string, { cipher: string; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
}
export const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42'
