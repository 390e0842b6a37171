/**
 * @module store/rewrap
 * `rewrapKeys(store)`: re-seals every stored private key under the first configured KEK
 * (AES-256-GCM, the kid as associated data), in one transaction, so an old KEK can then be
 * dropped from `JWKIT_KEK`. Removed keys hold no sealed material and are skipped.
 */
import { JwkitError } from '../errors.ts'
import type { KeyStore } from './types.ts'

/** Re-seals under the first KEK every key sealed by another; returns how many were re-sealed. */
export async function rewrapKeys(store: KeyStore): Promise<number> {
  const sealer = store.sealer
  if (sealer === undefined) throw new JwkitError('ERR_KEK_MISSING', 'the key store has no sealer (open it with openKeyStore)')
  return store.transaction(async (tx) => {
    let count = 0
    for (const record of await tx.list()) {
      if (record.sealed.length === 0 || record.kekId === sealer.primaryKekId) continue
      const jwk = sealer.unseal(record.kid, record.sealed) // ERR_UNSEAL_FAILED: nothing is written
      const { sealed, kekId } = sealer.seal(record.kid, jwk)
      await tx.update(record.kid, { sealed, kekId })
      count++
    }
    return count
  })
}
