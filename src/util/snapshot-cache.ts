/**
 * @module util/snapshot-cache
 * A cache of what was prepared from a caller's object (a JWK turned into a checked, imported
 * key), keyed by the object but valid only while the object's own members are still those it was
 * prepared from: each entry keeps an immutable snapshot, and a hit compares the object's own
 * members with it (a few `===`, arrays element by element). Changing the object after first use
 * (`key_ops`, `alg`, `use`, a coordinate) therefore prepares it again instead of reusing a key and
 * checks that no longer describe it. Build the value from the snapshot {@link SnapshotCache.take}
 * returns, never from the live object, so that what is cached is what was compared. An object
 * that cannot change (frozen, data members only, arrays frozen: jwkit's own key sets) is a hit
 * by identity alone.
 */
import { ownSnapshot } from './dict.ts'

interface Entry<T> {
  readonly value: T
  readonly seen: Readonly<Record<string, unknown>>
  readonly count: number
  /** The object cannot change (frozen, data members only, arrays frozen): identity is enough. */
  readonly immutable: boolean
}

/** True when `input` can never change: frozen, no accessor, every array member frozen. */
function isImmutable(input: object): boolean {
  if (!Object.isFrozen(input)) return false
  for (const d of Object.values(Object.getOwnPropertyDescriptors(input))) {
    if (!('value' in d)) return false
    if (typeof d.value === 'object' && d.value !== null && !Object.isFrozen(d.value)) return false
  }
  return true
}

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A copy of the own members, arrays copied too, frozen: what an entry is compared against. */
function freezeCopy(input: object): Readonly<Record<string, unknown>> {
  const seen = ownSnapshot(input)
  for (const name of Object.keys(seen)) {
    const value = seen[name]
    if (Array.isArray(value)) seen[name] = Object.freeze([...value])
  }
  return Object.freeze(seen)
}

export class SnapshotCache<T> {
  readonly #entries = new WeakMap<object, Entry<T>>()

  /** The value prepared from `input`, if its own members have not changed since. Throws what `input`'s getters or traps throw. */
  get(input: object): T | undefined {
    const entry = this.#entries.get(input)
    if (entry === undefined) return undefined
    if (entry.immutable) return entry.value
    const names = Object.keys(input)
    if (names.length !== entry.count) return undefined
    const seen = entry.seen
    for (const name of names) {
      const now = (input as Record<string, unknown>)[name]
      const was = seen[name]
      if (now === was) {
        if (now === undefined && !Object.hasOwn(seen, name)) return undefined
        continue
      }
      if (!(Array.isArray(now) && Array.isArray(was) && sameArray(now, was))) return undefined
    }
    return entry.value
  }

  /** A frozen snapshot of `input` to prepare the value from. Throws what `input`'s getters or traps throw. */
  take(input: object): Readonly<Record<string, unknown>> {
    return freezeCopy(input)
  }

  /** Remembers `value`, prepared from `seen` (the {@link take} of `input`). */
  set(input: object, seen: Readonly<Record<string, unknown>>, value: T): void {
    this.#entries.set(input, { value, seen, count: Object.keys(seen).length, immutable: isImmutable(input) })
  }
}
