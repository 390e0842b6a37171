/**
 * @module cli/times
 * The JWT times (`iat`, `nbf`, `exp`: NumericDate, RFC 7519 §2) of a claims set as RFC 3339 UTC
 * strings and relative times ("in 9 min", "3 h ago"), for `jwk decode` and `jwk verify`.
 */

export interface ReadableTime {
  /** RFC 3339, UTC. */
  at: string
  /** From now: "in 10 min", "2 h ago". */
  relative: string
}

const span = (s: number) => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} days`)

/** The readable form of `iat`, `nbf` and `exp` when they are numbers; undefined when none is. */
export function readTimes(claims: Readonly<Record<string, unknown>>, now = Date.now()): Record<string, ReadableTime> | undefined {
  const out: Record<string, ReadableTime> = {}
  for (const name of ['iat', 'nbf', 'exp']) {
    const t = claims[name]
    if (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > 8.64e12) continue
    const delta = t - now / 1000
    out[name] = {
      at: new Date(Math.round(t * 1000)).toISOString().replace('.000Z', 'Z'),
      relative: Math.abs(delta) < 1 ? 'now' : delta > 0 ? `in ${span(delta)}` : `${span(-delta)} ago`,
    }
  }
  return Object.keys(out).length === 0 ? undefined : out
}
