/**
 * @module store/memory-store
 * `memory:` — a key store in one process's memory, for tests and throwaway servers. Same rules
 * as the SQL backends: unique kid, at most one active key per algorithm, transactions that see
 * their own writes and are all-or-nothing, serialised one after the other.
 */
import { JwkitError } from '../errors.ts'
import { Mutex } from './mutex.ts'
import { checkChanges, checkRecord, copyRecord, quoteKid, sortRecords } from './records.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord, KeyStore, KeyStoreTransaction } from './types.ts'


/** Checks the one-active-per-alg rule over a working set (the SQL backends hold it by a unique index). */
function checkOneActive(rows: Map<string, KeyRecord>): void {
  const seen = new Set<string>()
  for (const r of rows.values()) {
    if (r.state !== 'active') continue
    if (seen.has(r.alg)) throw new JwkitError('ERR_STORE_STATE_INVALID', `a second active key for ${r.alg} is not allowed`)
    seen.add(r.alg)
  }
}

export function createMemoryStore(sealer: Sealer, url = 'memory:'): KeyStore {
  let rows = new Map<string, KeyRecord>()
  let change = 0
  let closed = false
  const mutex = new Mutex()
  const watchers = new Set<() => void>()
  const live = () => {
    if (closed) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the key store is closed')
  }
  const notify = () => {
    for (const w of watchers) queueMicrotask(w)
  }
  const store: KeyStore = {
    url,
    sealer,
    async list() {
      live()
      return sortRecords([...rows.values()].map(copyRecord))
    },
    async get(kid) {
      live()
      const r = rows.get(kid)
      return r && copyRecord(r)
    },
    async insert(record) {
      await store.transaction(async (tx) => tx.insert(record))
    },
    transaction(fn) {
      return mutex.run(async () => {
        live()
        const work = new Map([...rows].map(([k, v]) => [k, copyRecord(v)]))
        let dirty = false
        const tx: KeyStoreTransaction = {
          async list() {
            return sortRecords([...work.values()].map(copyRecord))
          },
          async insert(record) {
            checkRecord(record)
            if (work.has(record.kid)) throw new JwkitError('ERR_STORE_KID_CONFLICT', `a key with kid ${quoteKid(record.kid)} already exists`)
            work.set(record.kid, copyRecord(record))
            checkOneActive(work)
            dirty = true
          },
          async update(kid, changes) {
            checkChanges(changes)
            const current = work.get(kid)
            if (!current) throw new JwkitError('ERR_STORE_NOT_FOUND', `no key with kid ${quoteKid(kid)}`)
            const next = copyRecord({ ...current, ...stripUndefined(changes), kid })
            work.set(kid, next)
            checkOneActive(work)
            dirty = true
          },
        }
        const result = await fn(tx)
        live()
        if (dirty) {
          rows = work
          change++
          notify()
        }
        return result
      })
    },
    async version() {
      live()
      return String(change)
    },
    watch(onChange) {
      watchers.add(onChange)
      return () => watchers.delete(onChange)
    },
    async close() {
      closed = true
      watchers.clear()
    },
  }
  return store
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
