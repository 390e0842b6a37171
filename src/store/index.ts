/**
 * @module store
 * The issuer side: key stores (memory, SQLite, PostgreSQL), sealing of private keys at rest,
 * the rotation lifecycle and the key manager. Re-exports only.
 */
export type { KeyManager, KeyManagerStatus, KeyRecord, KeyState, KeyStore, KeyStoreTransaction, RotationPolicy, SignJwtWithManagerOptions } from './types.ts'
export { openKeyStore, DEFAULT_STORE_URL, type OpenKeyStoreOptions } from './open-key-store.ts'
export { createKeyManager, type KeyManagerOptions } from './key-manager.ts'
export { defaultPolicy, validatePolicy, planRotation, isReady, MANAGED_ALGORITHMS, type RotationAction } from './rotation.ts'
export { rewrapKeys } from './rewrap.ts'
export { createSealer, kekFromBytes, parseKekList, generateKekText, type Kek, type Sealer } from './seal.ts'
export type { StoreLogger } from './keks.ts'
export { LATEST_SCHEMA_VERSION } from './migrations.ts'
export { importKey, type ImportKeyOptions } from './import-key.ts'
