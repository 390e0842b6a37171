/**
 * @module backend/types
 * The crypto seam: what the portable layers (jwk, crypto, formats, jws, jwt, jwe, jwks) need
 * from a cryptography implementation, and nothing more. Two implementations export these very
 * names: `node.ts` (node:crypto with `KeyObject`s, the fast path) and `web.ts` (WebCrypto plus
 * `@noble/curves`, `@noble/hashes`, `@noble/ciphers` for what a runtime lacks). Which one a
 * program loads is decided once, by the `#backend` subpath import of package.json and the
 * runtime's conditions (`node`, `bun`, `deno`, `workerd`, `worker`, `browser`, `default`), never
 * by sniffing the runtime per call.
 *
 * Operations that WebCrypto only offers asynchronously answer `T | Promise<T>`: the Node backend
 * always answers synchronously (no microtask on the hot path), the web backend with a Promise
 * where it must. Callers use {@link settle}-style checks (`instanceof Promise`) to stay
 * synchronous when they can.
 */

/** The digests the seam offers synchronously (thumbprints, x5t, Concat KDF, OpenSSH fingerprints). */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512'

/**
 * A key the backend holds. node:crypto `KeyObject`s satisfy it as they are; the web backend's
 * keys carry the same read-only facts, so key checks read one shape on every runtime.
 */
export interface BackendKey {
  readonly type: 'secret' | 'public' | 'private'
  /** 'rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'x25519', 'x448' (node:crypto's names). */
  readonly asymmetricKeyType?: string | undefined
  readonly asymmetricKeyDetails?: { readonly namedCurve?: string | undefined; readonly modulusLength?: number | undefined; readonly hashAlgorithm?: string | undefined } | undefined
  /** Secret keys: the length in bytes. */
  readonly symmetricKeySize?: number | undefined
}

/** W3C WebCrypto §13 KeyUsage (the DOM's and node:crypto's `KeyUsage` are this union). */
export type CryptoKeyUsage = 'decrypt' | 'deriveBits' | 'deriveKey' | 'encrypt' | 'sign' | 'unwrapKey' | 'verify' | 'wrapKey'

/**
 * A WebCrypto `CryptoKey` (W3C WebCrypto §13), structurally, so the portable declarations need
 * neither the DOM library nor @types/node: the DOM's `CryptoKey` and node:crypto's
 * `webcrypto.CryptoKey` are assignable to it, and it to them.
 */
export interface CryptoKeyLike {
  readonly algorithm: { name: string }
  readonly extractable: boolean
  readonly type: 'secret' | 'public' | 'private'
  readonly usages: CryptoKeyUsage[]
}

/** The JWK members of a key, as the backend reads and writes them (already checked by jwk/). */
export type JwkMembers = Readonly<Record<string, unknown>>

/** How one signature algorithm uses its primitive (crypto/sign.ts decides which). */
export interface SignatureParams {
  readonly family: 'RSA-PKCS1' | 'RSA-PSS' | 'ECDSA' | 'EdDSA'
  readonly hash?: 'sha256' | 'sha384' | 'sha512'
  /** RSA-PSS: the salt length (RFC 7518 §3.5: the hash length). */
  readonly saltLength?: number
}

/** What a key generation asks for (crypto/generate.ts maps algorithms onto it). */
export type KeyPairSpec =
  | { readonly kind: 'rsa'; readonly modulusLength: number }
  | { readonly kind: 'ec'; readonly crv: 'P-256' | 'P-384' | 'P-521' | 'secp256k1' }
  | { readonly kind: 'okp'; readonly crv: 'Ed25519' | 'Ed448' | 'X25519' | 'X448' }

/** A parsed X.509 certificate, opaque outside the backend. */
export interface BackendCertificate {
  readonly der: Uint8Array
}

/** What `jwk inspect` and chain checks read from a certificate. */
export interface CertificateDetails {
  readonly subject: string
  readonly issuer: string
  readonly validFrom: string
  readonly validTo: string
  readonly serialNumber: string
  readonly fingerprint256: string
  /** basicConstraints cA (RFC 5280 §4.2.1.9). */
  readonly ca: boolean
}

/** The seam: every implementation exports exactly these names (test/backend/shape.test.ts checks both). */
export interface Backend {
  /** 'node' or 'web': which implementation the conditions picked (tests and benches print it). */
  readonly BACKEND_NAME: 'node' | 'web'
  /** Fresh random bytes from the platform's CSPRNG. */
  randomBytes(length: number): Uint8Array
  /** A synchronous digest. */
  digest(hash: HashName, data: Uint8Array | string): Uint8Array
  /** {@link digest} as base64url text (thumbprints: one call, no intermediate bytes on Node). */
  digestBase64url(hash: HashName, data: Uint8Array | string): string
  /** SHAKE256 (FIPS 202) of `outputLength` bytes (ML-DSA's at_hash / c_hash, OIDC as oidc-provider does). */
  shake256(data: Uint8Array | string, outputLength: number): Uint8Array
  /** HMAC of `data` under a secret key. */
  hmac(hash: 'sha256' | 'sha384' | 'sha512', key: BackendKey | Uint8Array, data: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** Constant-time comparison of two byte strings (false when the lengths differ). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean

  /** The uncompressed point 0x04 ‖ X ‖ Y of d·G on an EC curve (RFC 7518 §6.2.2.1 check), or undefined. */
  ecPublicPoint(crv: string, d: Uint8Array): Uint8Array | undefined
  /** The public key (base64url `x`) an OKP private key `d` (base64url) derives, or undefined (RFC 8037 §2 check). */
  okpPublicX(crv: string, d: string, x: string): string | undefined
  /** Parses a DER certificate; throws on anything that is not one. */
  parseCertificate(der: Uint8Array): BackendCertificate
  /** The subject public key of a certificate as JWK members (kty and key members), or throws. */
  certificatePublicJwk(cert: BackendCertificate): Record<string, unknown>
  /** The subject public key of a certificate as a backend key. */
  certificatePublicKey(cert: BackendCertificate): BackendKey
  /** Subject, issuer, dates, serial, fingerprint, CA flag. */
  certificateDetails(cert: BackendCertificate): CertificateDetails
  /** True when `issuer` issued `cert`: names chain, and the signature verifies with the issuer's key. */
  certificateIssuedBy(cert: BackendCertificate, issuer: BackendCertificate): boolean

  /** True for a key this backend made (a KeyObject on Node). */
  isBackendKey(value: unknown): value is BackendKey
  /** Imports checked JWK members: `public`, `private`, or (oct) `secret`. Throws when the platform refuses. */
  importJwkMembers(jwk: JwkMembers, as: 'public' | 'private'): BackendKey
  /** A PEM key (SPKI, PKCS#8, PKCS#1, SEC1 or a certificate's key) as the platform reads it; throws when refused. */
  importPemText(text: string, as: 'public' | 'private'): BackendKey
  /** A DER key (SPKI, PKCS#1 public; PKCS#8, PKCS#1 private, SEC1) as the platform reads it; throws when refused. */
  importKeyDer(der: Uint8Array, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1', as: 'public' | 'private'): BackendKey
  /** A key as DER of one structure. */
  exportKeyDer(key: BackendKey, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'): Uint8Array
  /** PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-1 or HMAC-SHA-256. */
  pbkdf2(passphrase: string | Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha1' | 'sha256'): Uint8Array
  /**
   * PBKDF2 with HMAC-SHA-2 off the calling thread where the platform can (PBES2 key files: up
   * to a million iterations): node:crypto's thread pool, WebCrypto deriveBits.
   */
  pbkdf2Async(passphrase: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha256' | 'sha384' | 'sha512'): Promise<Uint8Array>
  /** A secret key of raw bytes. */
  secretKey(bytes: Uint8Array): BackendKey
  /** The public half of a private key (the key itself when public). */
  publicKeyOf(key: BackendKey): BackendKey
  /** The JWK members of an asymmetric key (private members too for a private key). Throws when it has no JWK form. */
  exportJwkMembers(key: BackendKey): Record<string, unknown>
  /** The backend key of an extractable WebCrypto CryptoKey (refused where only an asynchronous export exists). */
  fromCryptoKey(key: CryptoKeyLike): BackendKey
  /** The bytes of a secret key. */
  exportSecret(key: BackendKey): Uint8Array
  /** A new key pair. */
  generateKeyPair(spec: KeyPairSpec): Promise<BackendKey>

  /** A fresh EC or OKP private key, synchronously (ECDH-ES ephemeral keys). */
  generateKeyPairSync(spec: Exclude<KeyPairSpec, { kind: 'rsa' }>): BackendKey

  /** AES-GCM with a 128-bit tag (RFC 7518 §5.3, §4.7). */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array }
  /** Throws on any failure (the caller turns every one into the same error). */
  aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array
  /** AES-CBC with PKCS #7 padding (RFC 7518 §5.2). */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array
  /** AES-CTR with a 128-bit counter block (OpenSSH aes*-ctr private keys); decryption and encryption are one operation. */
  aesCtrDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array
  /** AES-CBC without padding, whole blocks only (OpenSSH aes*-cbc private keys); throws on a partial block. */
  aesCbcDecryptUnpadded(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array
  /**
   * OpenBSD's bcrypt_pbkdf (OpenSSH passphrase keys). Node: the CommonJS `bcrypt-pbkdf` package,
   * loaded on first use. Web: refused with ERR_JWK_UNSUPPORTED (that package needs `require` and
   * pulls tweetnacl, which reaches for node:crypto; @noble has no bcrypt_pbkdf).
   */
  bcryptPbkdf(passphrase: Uint8Array, salt: Uint8Array, rounds: number, keyLength: number): Uint8Array
  /** AES Key Wrap (RFC 3394). */
  aesKwWrap(kek: Uint8Array, keyData: Uint8Array): Uint8Array
  aesKwUnwrap(kek: Uint8Array, wrapped: Uint8Array): Uint8Array
  /** RSAES-OAEP with MGF1 of the same hash (RFC 8017 §7.1). */
  rsaOaepEncrypt(hash: 'sha1' | 'sha256' | 'sha384' | 'sha512', key: BackendKey, data: Uint8Array): Uint8Array | Promise<Uint8Array>
  rsaOaepDecrypt(hash: 'sha1' | 'sha256' | 'sha384' | 'sha512', key: BackendKey, data: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** The ECDH shared secret Z of a private and a public key of one curve; throws when refused. */
  ecdh(privateKey: BackendKey, publicKey: BackendKey): Uint8Array

  /** Raw DEFLATE (RFC 1951) for JWE `zip: "DEF"`. */
  deflateRaw(data: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** Raw INFLATE of at most `maxBytes`; past it, throws an error whose `code` is 'ERR_BUFFER_TOO_LARGE'. */
  inflateRaw(data: Uint8Array, maxBytes: number): Uint8Array | Promise<Uint8Array>

  /** A signature (ECDSA as R ‖ S). */
  sign(params: SignatureParams, key: BackendKey, data: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** A signature check: false for any signature that does not verify. */
  verify(params: SignatureParams, key: BackendKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>
}
