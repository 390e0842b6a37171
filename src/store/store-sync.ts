/**
 * @module store/store-sync
 * How a key manager follows its store: it compares the store's change counter (`version()`) and
 * re-lists only when it moved, records reachability in a status (a failure keeps the last-known
 * records), and polls on an interval and on every `watch` callback (LISTEN/NOTIFY). A change that
 * arrives while a poll runs is not lost: the poll runs once more when it ends.
 */
import { isJwkitError } from '../errors.ts'
import type { KeyManagerStatus, KeyRecord, KeyStore } from './types.ts'

export interface StoreSync {
  /** Live status object (the manager copies it for callers). */
  readonly status: KeyManagerStatus
  records(): KeyRecord[]
  /** Loads the records when the store's version moved (always with `force`). Throws what the store throws. */
  sync(force?: boolean): Promise<void>
  /** Records a store failure in the status (ERR_STORE_UNAVAILABLE only). */
  failed(error: unknown): void
  /** One poll: sync, then `afterSync`; failures stay in the status. Coalesces calls made while it runs. */
  poll(): Promise<void>
  /** Starts the interval (ms; 0: none) and the store's watch. */
  start(pollIntervalMs: number): void
  stop(): void
}

export interface StoreSyncOptions {
  now: () => number
  /** Receives every newly loaded list. */
  onLoad: (records: KeyRecord[]) => void
  /** Runs after each poll's sync (the manager's tick). */
  afterSync?: () => Promise<unknown>
}

export function createStoreSync(store: KeyStore, options: StoreSyncOptions): StoreSync {
  const status: KeyManagerStatus = { storeReachable: true, lastError: undefined, lastSyncAt: undefined, rotations: 0, storeErrors: 0 }
  let records: KeyRecord[] = []
  let version: string | undefined
  let timer: NodeJS.Timeout | undefined
  let unwatch: (() => void) | undefined
  let running: Promise<void> | undefined
  let again = false
  let stopped = false

  const failed = (error: unknown) => {
    if (isJwkitError(error) && error.code === 'ERR_STORE_UNAVAILABLE') {
      status.storeReachable = false
      status.storeErrors++
      status.lastError = `${error.code}: ${error.message}`
    }
  }

  const sync = async (force = false) => {
    try {
      const v = await store.version()
      if (force || v !== version) {
        const list = await store.list()
        version = v
        records = list
        options.onLoad(list)
      }
      status.storeReachable = true
      status.lastSyncAt = options.now()
    } catch (error) {
      failed(error)
      throw error
    }
  }

  const poll = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    if (running) {
      again = true // a change arrived mid-poll: look once more when this one ends
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await sync()
          await options.afterSync?.()
        } catch {
          // recorded in status; the next poll retries
        }
      } while (again && !stopped)
    })().finally(() => { running = undefined })
    return running
  }

  return {
    status,
    records: () => records,
    sync,
    failed,
    poll,
    start(pollIntervalMs) {
      if (pollIntervalMs > 0) {
        timer = setInterval(() => void poll(), pollIntervalMs)
        timer.unref()
      }
      unwatch = store.watch?.(() => void poll())
    },
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      unwatch?.()
    },
  }
}
