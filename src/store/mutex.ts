/**
 * @module store/mutex
 * Serialises async critical sections: one holder at a time, in call order. A failed section
 * releases the lock like a successful one. Used by the stores (one transaction at a time per
 * connection) and the key manager (one write at a time).
 */

export class Mutex {
  #tail: Promise<void> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn)
    this.#tail = result.then(() => undefined, () => undefined)
    return result
  }
}
