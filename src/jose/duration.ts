/**
 * @module jose/duration
 * Time spans for JWT options (`expiresIn: '10m'`, `clockTolerance: 30`): a number of seconds, or
 * a number with a unit (s, m, h, d, w, y). NumericDate values are seconds (RFC 7519 §2).
 */

const UNITS: Readonly<Record<string, number>> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
  y: 31557600, yr: 31557600, yrs: 31557600, year: 31557600, years: 31557600,
}

const PATTERN = /^(\d+(?:\.\d+)?) ?([a-z]+)?$/i

/** Seconds in a span: a non-negative finite number, or text like `90`, `10m`, `2 hours`. */
export function parseDuration(span: number | string, what = 'duration'): number {
  if (typeof span === 'number') {
    if (!Number.isFinite(span) || span < 0) throw new RangeError(`${what} must be a non-negative number of seconds`)
    return span
  }
  if (typeof span !== 'string') throw new TypeError(`${what} must be a number of seconds or a string like "10m"`)
  const m = PATTERN.exec(span.trim())
  const unit = m?.[2]?.toLowerCase() ?? 's'
  if (m === null || !Object.hasOwn(UNITS, unit)) throw new TypeError(`${what} "${span.slice(0, 20)}" is not a duration like "30s", "10m", "2h", "7d"`)
  return Number(m[1]) * UNITS[unit]!
}
