/**
 * @module jwe
 * JWE (RFC 7516): compact, flattened and general serializations.
 */
export { encryptJwe, type EncryptJweOptions, type JweRecipient } from './encrypt.ts'
export { decryptJwe, type DecryptJweOptions, type DecryptJweResult, type FlattenedJwe, type GeneralJwe, type JweRecipientJson } from './decrypt.ts'
export type { JweHeader } from './header.ts'
export { encryptJwk, decryptJwk, decryptKeyFile, DEFAULT_P2C, MAX_P2C, MIN_P2C, PBES2_ALGORITHMS, type EncryptJwkOptions, type DecryptJwkOptions, type DecryptedKeyFile } from './encrypted-jwk.ts'
