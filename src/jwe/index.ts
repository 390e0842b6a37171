/**
 * @module jwe
 * JWE (RFC 7516): compact, flattened and general serializations.
 */
export { encryptJwe, type EncryptJweOptions, type JweRecipient } from './encrypt.ts'
export { decryptJwe, type DecryptJweOptions, type DecryptJweResult, type FlattenedJwe, type GeneralJwe, type JweRecipientJson } from './decrypt.ts'
export type { JweHeader } from './header.ts'
