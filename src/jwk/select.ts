/**
 * @module jwk/select
 * Key selection (RFC 7515 §4.1.4 kid, RFC 7517 §4.2–4.4 use, key_ops, alg): which keys of a set
 * may serve a given operation. A key that leaves a criterion open (no `use`, `key_ops` or `alg`)
 * is not excluded by it; a key that states something else is.
 */
import { algorithmUse, keyFitsAlgorithm } from './algorithms.ts'
import type { Jwk, KeyOperation, KeyType, KeyUse } from './types.ts'
import { ownMember, ownOptions } from '../util/dict.ts'

export interface KeySelection {
  kid?: string
  kty?: KeyType | (string & {})
  /** The algorithm: the key's `alg` must equal it when present, and the key must fit it. */
  alg?: string
  use?: KeyUse | (string & {})
  crv?: string
  /** Every listed operation must be allowed by the key's `key_ops` (when it has one). */
  key_ops?: KeyOperation | Array<KeyOperation | (string & {})> | (string & {})
}

const SIG_OPS: ReadonlySet<string> = new Set(['sign', 'verify'])
const ENC_OPS: ReadonlySet<string> = new Set(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits'])

/** The keys matching every given criterion, in their order. */
export function selectKeys(keys: readonly Jwk[], criteria: KeySelection = {}): Jwk[] {
  criteria = ownOptions(criteria) // own properties only (a polluted Object.prototype changes nothing)
  if (!Array.isArray(keys)) throw new TypeError('selectKeys: keys must be an array')
  const wantOps = criteria.key_ops === undefined ? [] : Array.isArray(criteria.key_ops) ? criteria.key_ops : [criteria.key_ops]
  // The use an alg or key_ops criterion implies (RFC 7517 §4.3, §4.4).
  const wantUse = criteria.use ?? (criteria.alg !== undefined ? algorithmUse(criteria.alg) : undefined)
    ?? (wantOps.some((op) => SIG_OPS.has(op)) ? 'sig' : wantOps.some((op) => ENC_OPS.has(op)) ? 'enc' : undefined)
  return keys.filter((key) => {
    if (typeof key !== 'object' || key === null) return false
    // Own members only: a key without kid, use, key_ops, ... must not pick one up from Object.prototype.
    const member = (name: string) => ownMember(key, name)
    if (criteria.kid !== undefined && member('kid') !== criteria.kid) return false
    if (criteria.kty !== undefined && member('kty') !== criteria.kty) return false
    if (criteria.crv !== undefined && member('crv') !== criteria.crv) return false
    if (criteria.alg !== undefined) {
      const alg = member('alg')
      if (alg !== undefined && alg !== criteria.alg) return false
      if (!keyFitsAlgorithm(key, criteria.alg)) return false
    }
    const use = member('use')
    if (wantUse !== undefined && use !== undefined && use !== wantUse) return false
    const ops = member('key_ops') as unknown
    if (Array.isArray(ops)) {
      for (const op of wantOps) if (!ops.includes(op)) return false
      if (wantUse === 'sig' && !ops.some((op) => SIG_OPS.has(op))) return false
      if (wantUse === 'enc' && !ops.some((op) => ENC_OPS.has(op))) return false
    }
    return true
  })
}
