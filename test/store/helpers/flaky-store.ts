/**
 * @module test/store/helpers/flaky-store
 * Wraps a KeyStore so a test can take it "down": every call then fails with
 * ERR_STORE_UNAVAILABLE, as a real backend does when its database is unreachable.
 */
import { JwkitError } from '../../../src/errors.ts'
import type { KeyStore } from '../../../src/store/types.ts'

export function flakyStore(inner: KeyStore): { store: KeyStore; setDown: (down: boolean) => void } {
  let down = false
  const check = () => {
    if (down) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'test: the store is down')
  }
  const store: KeyStore = {
    url: inner.url,
    sealer: inner.sealer,
    list: async () => (check(), inner.list()),
    get: async (kid) => (check(), inner.get(kid)),
    insert: async (r) => (check(), inner.insert(r)),
    transaction: async (fn) => (check(), inner.transaction(fn)),
    version: async () => (check(), inner.version()),
    close: () => inner.close(),
  }
  return { store, setDown: (d) => { down = d } }
}
