/**
 * @module util/dict
 * Lookup tables keyed by untrusted strings: a null prototype, so `"__proto__"`, `"constructor"`
 * or `"toString"` read as absent (no inherited members, CWE-1321).
 */

/** A frozen null-prototype copy of `entries`. */
export function dict<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries))
}

/** A frozen, empty, null-prototype object: the prototype of every {@link ownSnapshot}. */
const NO_PROTOTYPE: object = Object.freeze(Object.create(null) as object)

/**
 * A one-time copy of the own enumerable members of an untrusted object (getters run once,
 * proxies are read once). Its prototype is an empty frozen null-prototype object, so a member
 * the input lacks reads as `undefined` even when `Object.prototype` has been polluted; unlike
 * `{ __proto__: null, ...x }` the copy stays a fast-mode object (about 5× cheaper to read and to
 * spread back into a plain object in V8). May throw whatever the input's getters throw.
 */
export function ownSnapshot(value: object): Record<string, unknown> {
  return { __proto__: NO_PROTOTYPE, ...value } as Record<string, unknown>
}
