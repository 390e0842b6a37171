/**
 * @module store
 * `jwkit/store`, Node only: key stores (memory, SQLite, PostgreSQL) with private keys sealed at
 * rest, the rotation lifecycle and the key manager; and the file cache for remote JWK Sets.
 * Re-exports only, each name listed; test/index.test.ts pins the list.
 */
export { openKeyStore, type OpenKeyStoreOptions } from './open-key-store.ts'
export { createKeyManager, type KeyManagerOptions } from './key-manager.ts'
export { defaultPolicy, planRotation, type RotationAction } from './rotation.ts'
export { rewrapKeys } from './rewrap.ts'
export type { KeyManager, KeyManagerStatus, KeyRecord, KeyState, KeyStore, KeyStoreTransaction, RotationPolicy, SignJwtWithManagerOptions } from './types.ts'
export type { StoreLogger } from './keks.ts'
// Node-only (node:fs): a remote JWK Set's cache that survives restarts; its type is JwksCache of `jwkit`.
export { createFileCache } from '../jwks/cache-adapter.ts'
export { importKey, type ImportKeyOptions } from './import-key.ts'
