/**
 * @module web/logic/time
 * Dates as the page shows them: ISO 8601 in UTC (RFC 3339 §5.6, to the minute or second) and
 * relative phrases ("in 3 days", "2 hours ago") for NumericDate claims (RFC 7519 §2) and key dates.
 */

const UNITS: ReadonlyArray<[string, number]> = [
  ['year', 365 * 86_400_000], ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000],
]

/** A duration in ms as the largest whole unit, e.g. "3 days", "1 hour", "less than a second". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  for (const [unit, size] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size)
      return `${n} ${unit}${n === 1 ? '' : 's'}`
    }
  }
  return 'less than a second'
}

/** "in 3 days" for a future instant, "3 days ago" for a past one (relative to now). */
export function relative(at: number, now: number): string {
  const d = at - now
  if (Math.abs(d) < 1000) return 'now'
  return d > 0 ? `in ${formatDuration(d)}` : `${formatDuration(d)} ago`
}

/** ISO 8601 UTC to the second, e.g. "2026-12-02 06:30:00 UTC". */
export function formatDate(at: number): string {
  if (!Number.isFinite(at)) return 'invalid date'
  const iso = new Date(at).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

/** A date with its relative phrase: "2026-12-02 06:30:00 UTC (in 3 days)". */
export function dateAndRelative(at: number, now: number): string {
  return `${formatDate(at)} (${relative(at, now)})`
}
