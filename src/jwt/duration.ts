/**
 * @module jwt/duration
 * Time spans for JWT options (`expiresIn: '10m'`, `clockTolerance: 30`): a number of seconds, or
 * a number with a unit (s, m, h, d, w, y; util/duration's long names). NumericDate values are
 * seconds (RFC 7519 §2).
 */
import { LONG_UNITS, readDuration, type DurationGrammar } from '../util/duration.ts'

/** Fractions, a space before the unit and long unit names; a bare number is seconds. */
const JWT_SPAN: DurationGrammar = { units: LONG_UNITS, defaultUnit: 's', lenient: true }

/** Seconds in a span: a non-negative finite number, or text like `90`, `10m`, `2 hours`. */
export function parseDuration(span: number | string, what = 'duration'): number {
  if (typeof span === 'number') {
    if (!Number.isFinite(span) || span < 0) throw new RangeError(`${what} must be a non-negative number of seconds`)
    return span
  }
  if (typeof span !== 'string') throw new TypeError(`${what} must be a number of seconds or a string like "10m"`)
  const parts = readDuration(span.trim(), JWT_SPAN)
  if (parts === undefined) throw new TypeError(`${what} "${span.slice(0, 20)}" is not a duration like "30s", "10m", "2h", "7d"`)
  // Every unit is a whole number of seconds: unitMs / 1000 is exact.
  return parts.amount * (parts.unitMs / 1000)
}
