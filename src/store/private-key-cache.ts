/**
 * @module store/private-key-cache
 * The unsealed private keys a key manager holds in memory: those of the `active` and `next`
 * keys only (a retired, revoked or removed key never signs again), imported once as KeyObjects
 * (kept as JWKs where node:crypto has no KeyObject, e.g. ML-DSA). Keeping them lets signing go
 * on while the store is unreachable.
 */
import type { KeyObject } from 'node:crypto'
import { importJwk } from '../crypto/import.ts'
import { isJwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import type { StoreLogger } from './keks.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord } from './types.ts'

export interface PrivateKeyCache {
  /** Holds a private JWK (a key just generated, or just unsealed). */
  hold(kid: string, jwk: Jwk): void
  /** Keeps only the keys of records that may sign, unsealing those missing (a failure is logged; use retries). */
  follow(records: readonly KeyRecord[]): void
  /** The key that signs for a record, unsealed on a miss (throws ERR_UNSEAL_FAILED under a wrong KEK). */
  keyFor(record: KeyRecord): KeyObject | Jwk
  has(kid: string): boolean
  drop(kid: string): void
  clear(): void
  readonly size: number
}

const SIGNING_STATES = new Set(['active', 'next'])

export function createPrivateKeyCache(sealer: Sealer, logger: StoreLogger): PrivateKeyCache {
  const held = new Map<string, KeyObject | Jwk>()
  const hold = (kid: string, jwk: Jwk) => {
    let key: KeyObject | Jwk = jwk
    try {
      key = importJwk(jwk)
    } catch {
      // kept as a JWK (e.g. ML-DSA keys are not KeyObjects); the signer imports it
    }
    held.set(kid, key)
  }
  return {
    hold,
    follow(records) {
      const signing = new Set(records.filter((r) => SIGNING_STATES.has(r.state)).map((r) => r.kid))
      for (const kid of held.keys()) if (!signing.has(kid)) held.delete(kid)
      for (const r of records) {
        if (!signing.has(r.kid) || held.has(r.kid)) continue
        try {
          hold(r.kid, sealer.unseal(r.kid, r.sealed))
        } catch (error) {
          logger.warn(`jwkit: key ${r.kid} cannot be unsealed: ${isJwkitError(error) ? error.code : 'error'}`)
        }
      }
    },
    keyFor(record) {
      let key = held.get(record.kid)
      if (key === undefined) {
        hold(record.kid, sealer.unseal(record.kid, record.sealed))
        key = held.get(record.kid)!
      }
      return key
    },
    has: (kid) => held.has(kid),
    drop: (kid) => void held.delete(kid),
    clear: () => held.clear(),
    get size() {
      return held.size
    },
  }
}
