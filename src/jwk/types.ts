/**
 * @module jwk/types
 * The JWK model: RFC 7517 §4 common members, RFC 7518 §6 (EC, RSA, oct), RFC 8037 (OKP),
 * draft-ietf-cose-dilithium (AKP). Wire member names are kept exactly as the RFCs spell them.
 */

export type KeyType = 'RSA' | 'EC' | 'OKP' | 'oct' | 'AKP'
export type EcCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1'
export type OkpCurve = 'Ed25519' | 'Ed448' | 'X25519' | 'X448'
export type AkpAlgorithm = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87'
export type KeyUse = 'sig' | 'enc'
/** RFC 7517 §4.3 key operations. */
export type KeyOperation =
  | 'sign' | 'verify' | 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey' | 'deriveKey' | 'deriveBits'
export type HashName = 'sha256' | 'sha384' | 'sha512'

/** RFC 7517 §4 members every key may carry. Members the RFCs do not define are kept untouched. */
export interface JwkCommon {
  kty: KeyType
  kid?: string
  alg?: string
  use?: KeyUse | (string & {})
  key_ops?: Array<KeyOperation | (string & {})>
  x5u?: string
  /** Standard base64 DER certificates, leaf first (RFC 7517 §4.7). */
  x5c?: string[]
  x5t?: string
  'x5t#S256'?: string
  /** WebCrypto's extractable flag (W3C Web Cryptography API). */
  ext?: boolean
  [member: string]: unknown
}

export interface RsaJwk extends JwkCommon {
  kty: 'RSA'
  n: string
  e: string
  d?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
}

export interface EcJwk extends JwkCommon {
  kty: 'EC'
  crv: EcCurve
  x: string
  y: string
  d?: string
}

export interface OkpJwk extends JwkCommon {
  kty: 'OKP'
  crv: OkpCurve
  x: string
  d?: string
}

export interface OctJwk extends JwkCommon {
  kty: 'oct'
  k: string
}

/** draft-ietf-cose-dilithium: `alg` is required and fixes the parameter set; `priv` is the 32-byte seed. */
export interface AkpJwk extends JwkCommon {
  kty: 'AKP'
  alg: AkpAlgorithm
  pub: string
  priv?: string
}

export type Jwk = RsaJwk | EcJwk | OkpJwk | OctJwk | AkpJwk

/** A JWK Set, RFC 7517 §5. */
export interface JwkSet {
  keys: Jwk[]
  [member: string]: unknown
}

/** `generateJwk` spec when not given as an algorithm name. */
export interface KeySpec {
  kty: KeyType
  /** EC or OKP curve. */
  crv?: EcCurve | OkpCurve
  /** Key size in bits: the RSA modulus, or the oct secret. */
  size?: number
  /** AKP parameter set. */
  alg?: string
}
