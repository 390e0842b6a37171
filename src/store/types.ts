/**
 * @module store/types
 * The contracts of the issuer side: a key record, the key store, and the key manager that the
 * server and the CLI drive. Implementations: src/store/ (memory, SQLite, PostgreSQL).
 */
import type { Jwk, JwkSet } from '../jwk/types.ts'
import type { Sealer } from './seal.ts'

/** RFC-free lifecycle: `next` (published, not signing) → `active` (signing) → `retired` (published for grace) → removed; `revoked` leaves publication at once. */
export type KeyState = 'next' | 'active' | 'retired' | 'revoked' | 'removed'

/** One stored key. Times are milliseconds since the epoch. */
export interface KeyRecord {
  kid: string
  alg: string
  state: KeyState
  createdAt: number
  publishedAt: number | null
  activatedAt: number | null
  retiredAt: number | null
  removedAt: number | null
  /** The public JWK, built from an allowlist (never a private member). */
  publicJwk: Jwk
  /** AES-256-GCM sealed private JWK; the kid is the associated data. Opaque outside src/store/. */
  sealed: Uint8Array
  /** Identifies the KEK that sealed it (first bytes of its thumbprint), for rewrap. */
  kekId: string
  /**
   * A `next` key only: when a requested rotation makes it sign (never before `publishedAt +
   * prepublish`); the tick applies it. Absent (or null) when no rotation is pending.
   */
  activateAt?: number | null
}

/** Policy of the lifecycle; durations in milliseconds. */
export interface RotationPolicy {
  /** One lifecycle per algorithm (default `['ES256']`). */
  algorithms: string[]
  /** How long a key signs before the next one takes over (default 30 days). */
  rotateEvery: number
  /** How long a key is published before it may sign (default 2 × jwksMaxAge + margin). */
  prepublish: number
  /** How long a retired key stays published (max token lifetime + client cache + skew). */
  retireGrace: number
  /** The longest lifetime of a token this issuer signs. */
  maxTokenTtl: number
  /** `max-age` the server announces for the JWK Set, in milliseconds. */
  jwksMaxAge: number
}

/** Where keys live. All methods may throw `ERR_STORE_UNAVAILABLE` when the database is down. */
export interface KeyStore {
  readonly url: string
  list(): Promise<KeyRecord[]>
  get(kid: string): Promise<KeyRecord | undefined>
  insert(record: KeyRecord): Promise<void>
  /** Applies changes to several records atomically, re-checking under a lock (see implementations). */
  transaction<T>(fn: (tx: KeyStoreTransaction) => Promise<T>): Promise<T>
  /** A counter or timestamp that changes whenever any record changes (cheap change detection for polling). */
  version(): Promise<string>
  /** Calls back soon after another process changes the store (LISTEN/NOTIFY on PostgreSQL, polling elsewhere). */
  watch?(onChange: () => void): () => void
  /** Seals and unseals the private JWKs of this store with its KEKs (set by `openKeyStore`). */
  readonly sealer?: Sealer
  /** Where the KEKs come from (`JWKIT_KEK`, a KEK file's path, …), for messages; never a KEK value. */
  readonly kekSource?: string
  close(): Promise<void>
}

export interface KeyStoreTransaction {
  list(): Promise<KeyRecord[]>
  insert(record: KeyRecord): Promise<void>
  update(kid: string, changes: Partial<Omit<KeyRecord, 'kid'>>): Promise<void>
}

/** Health of a manager, for /readyz and metrics. */
export interface KeyManagerStatus {
  /** False while the store is unreachable and the last-known set is being served. */
  storeReachable: boolean
  lastError: string | undefined
  lastSyncAt: number | undefined
  rotations: number
  storeErrors: number
}

/** Options of `KeyManager.rotate()` (own properties only; unknown members are refused). */
export interface RotateOptions {
  /** Only this algorithm (default: every algorithm of the policy). */
  alg?: string
  /**
   * Emergency: the next key signs at once even when it was published less than `prepublish` ago.
   * Verifiers holding a cached JWK Set refuse its tokens until they refetch; logged at warn.
   */
  now?: boolean
  /** Starts a lifecycle for `alg`, which the policy does not have yet (never implicit). */
  add?: boolean
}

/** What a rotation did for one algorithm. */
export interface RotationOutcome {
  alg: string
  /**
   * `activated`: a next key published at least `prepublish` ago signs now. `scheduled`: the next
   * key was published too recently; it signs at `activateAt` (the tick applies it).
   * `forced`: `now: true` made a key sign before its prepublish time. `started`: the first keys
   * of this algorithm were created by this call (nothing to rotate yet).
   */
  outcome: 'activated' | 'scheduled' | 'forced' | 'started'
  /** The key signing now (undefined for an added algorithm whose first key waits for prepublish). */
  active: KeyRecord | undefined
  /** The key that signs next. */
  next: KeyRecord | undefined
  /** When `next` starts signing (scheduled outcomes, and added algorithms). */
  activateAt: number | undefined
}

export interface SignJwtWithManagerOptions {
  alg?: string
  typ?: string
  /** Seconds, or a duration string like `10m`; capped by the policy's maxTokenTtl. */
  expiresIn?: number | string
  audience?: string | string[]
  subject?: string
  issuer?: string
}

/** Drives one store under one policy: what the server and `jwk keys` use. */
export interface KeyManager {
  readonly policy: RotationPolicy
  /** Loads the store (creating the first keys of an empty one) and starts watching it. */
  init(): Promise<void>
  /** The active key's record for an algorithm (default: the policy's first). */
  activeKey(alg?: string): Promise<KeyRecord>
  /** The public JWK Set: active, next and retired-in-grace keys; allowlisted public members only. */
  publicJwks(): JwkSet
  /** The records as last loaded (no private material). */
  keys(): readonly KeyRecord[]
  signJwt(claims: Record<string, unknown>, options?: SignJwtWithManagerOptions): Promise<string>
  signJws(payload: Uint8Array | string, options?: { alg?: string; header?: Record<string, unknown> }): Promise<string>
  /**
   * Rotates (next → active, the active key retires, a new next): at once when the next key has
   * been published for `prepublish`, else scheduled for that moment (see `rotateKeys`). Returns
   * the record signing for each alg after the call (the old one when the rotation is scheduled).
   */
  rotate(options?: string | RotateOptions): Promise<KeyRecord[]>
  /** As `rotate`, and says per algorithm what happened and when a scheduled key signs. */
  rotateKeys(options?: string | RotateOptions): Promise<RotationOutcome[]>
  /**
   * The key stops signing: a next key leaves the queue; an active key hands over as `rotate`
   * does (scheduled when its successor is not ready, unless `now`).
   */
  retire(kid: string, options?: { now?: boolean }): Promise<KeyRecord>
  /** The key leaves publication at once (compromise); an active key hands over at once (logged at warn). */
  revoke(kid: string): Promise<KeyRecord>
  /** Applies what the policy says is due; returns the number of actions applied. */
  tick(): Promise<number>
  status(): KeyManagerStatus
  /** Called after the published set changes (local action or another process). */
  onChange(listener: (jwks: JwkSet) => void): () => void
  close(): Promise<void>
}
