/**
 * @module store/published-set
 * The JWK Set a key manager publishes (RFC 7517 §5): the `active`, `next` and `retired` keys,
 * active first, each built again from allowlisted public members. Computed once per change of
 * the records and frozen; listeners hear of a change only when the set's bytes change.
 */
import type { Jwk, JwkSet } from '../jwk/types.ts'
import { publishedJwk } from './apply-actions.ts'
import type { KeyRecord } from './types.ts'

export interface PublishedSet {
  current(): JwkSet
  /** Recomputes from records; returns true (and tells the listeners) when the set changed. */
  update(records: readonly KeyRecord[]): boolean
  onChange(listener: (jwks: JwkSet) => void): () => void
  clear(): void
}

const STATE_ORDER: Record<string, number> = { active: 0, next: 1, retired: 2 }

export function createPublishedSet(): PublishedSet {
  let jwks: JwkSet = Object.freeze({ keys: Object.freeze([]) as unknown as Jwk[] }) as JwkSet
  let text = '[]'
  const listeners = new Set<(set: JwkSet) => void>()
  return {
    current: () => jwks,
    update(records) {
      const keys = records
        .filter((r) => STATE_ORDER[r.state] !== undefined)
        .sort((a, b) => STATE_ORDER[a.state]! - STATE_ORDER[b.state]! || (b.publishedAt ?? 0) - (a.publishedAt ?? 0))
        .map((r) => publishedJwk(r.publicJwk, r.kid, r.alg))
      const next = JSON.stringify(keys)
      if (next === text) return false
      text = next
      jwks = Object.freeze({ keys: Object.freeze(keys) as unknown as Jwk[] }) as JwkSet
      for (const l of listeners) {
        try {
          l(jwks)
        } catch {
          // a listener's failure is its own
        }
      }
      return true
    },
    onChange(listener) {
      if (typeof listener !== 'function') throw new TypeError('onChange: listener must be a function')
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear: () => listeners.clear(),
  }
}
