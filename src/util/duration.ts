/**
 * @module util/duration
 * Time spans written as text (`10m`, `2 hours`, `500ms`): one reader for every caller, each with
 * its own grammar (units, whether a bare number or a fraction is accepted) and its own unit of
 * result. JWT options count in seconds (NumericDate, RFC 7519 §2), the server configuration in
 * milliseconds: the reader returns the amount and the unit apart so that neither rounds.
 */

/** Unit names → milliseconds. */
export type DurationUnits = Readonly<Record<string, number>>

/** The units of `jwk serve` configuration: `ms`, `s`, `m`, `h`, `d`, `w`. */
export const SHORT_UNITS: DurationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** The units of JWT options: seconds to (Julian) years, with long names; no `ms`. */
export const LONG_UNITS: DurationUnits = {
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  y: 31_557_600_000, yr: 31_557_600_000, yrs: 31_557_600_000, year: 31_557_600_000, years: 31_557_600_000,
}

export interface DurationGrammar {
  /** Units accepted (names are matched exactly, or lower-cased when `lenient`). */
  units: DurationUnits
  /** The unit of a bare number; absent: a unit is required. */
  defaultUnit?: string
  /**
   * Lenient: any number of digits with an optional fraction (`1.5h`), one optional space before
   * the unit, any letter case. Strict: 1 to 9 digits, then the unit at once.
   */
  lenient?: boolean
}

/** A span as written: `amount` of a unit of `unitMs` milliseconds. */
export interface DurationParts {
  amount: number
  unitMs: number
}

const LENIENT = /^(\d+(?:\.\d+)?) ?([a-z]+)?$/i
const STRICT = /^(\d{1,9})([a-z]+)?$/

/**
 * Reads `text` (not trimmed: callers decide) by `grammar`; undefined when it does not match.
 * The caller turns the parts into its unit: `amount * unitMs` milliseconds, or
 * `amount * (unitMs / 1000)` seconds (exact for every unit of a second or more).
 */
export function readDuration(text: string, grammar: DurationGrammar): DurationParts | undefined {
  const m = (grammar.lenient === true ? LENIENT : STRICT).exec(text)
  if (m === null) return undefined
  const written = m[2] ?? grammar.defaultUnit
  if (written === undefined) return undefined
  const unit = grammar.lenient === true ? written.toLowerCase() : written
  if (!Object.hasOwn(grammar.units, unit)) return undefined
  return { amount: Number(m[1]), unitMs: grammar.units[unit]! }
}
