/**
 * @module formats
 * Key formats ↔ JWK: PEM/DER (SPKI, PKCS#8 plain and encrypted, PKCS#1, SEC1), X.509 and x5c,
 * OpenSSH public keys, COSE_Key, and format detection. Re-exports only.
 */
export { fromPem, type FromPemOptions } from './from-pem.ts'
export { toPem, toDer, type PemFormat, type ToPemOptions, type ToDerResult } from './to-pem.ts'
export { fromX509, describeX509, type FromX509Options, type X509Description, type CertificateInput } from './x509.ts'
export { fromSsh, readSsh, toSsh, sshFingerprint, type ReadSshResult } from './ssh.ts'
export { fromCose, toCose } from './cose.ts'
export { readKey, type KeyFormat, type ReadKeyOptions, type ReadKeyResult } from './detect.ts'
export { jwkFromKeyDer, type KeyFromDerOptions } from './key-import.ts'
export { decodePem, encodePem, type PemBlock } from './pem.ts'
export { DEFAULT_PBKDF2_ITERATIONS, MAX_PBKDF2_ITERATIONS } from './encrypted-pkcs8.ts'
export { readSshPrivateKey, MAX_BCRYPT_ROUNDS, type ReadSshPrivateKeyOptions, type ReadSshPrivateKeyResult } from './ssh-private.ts'
