/**
 * @module guard/challenge
 * `WWW-Authenticate` values (RFC 9110 §11.6.1): the `Bearer` challenge of RFC 6750 §3 and the
 * `DPoP` challenge of RFC 9449 §7.1, one or both (RFC 9449 §7.2). Parameters are written in the
 * order given, as quoted strings (RFC 9110 §5.6.4), joined by ", ".
 */

/** One authentication parameter: name and value (written as a quoted string). */
export type ChallengeParam = readonly [name: string, value: string]

/** One challenge: its scheme and parameters, e.g. `['Bearer', [['realm', 'api']]]`. */
export interface Challenge {
  readonly scheme: 'Bearer' | 'DPoP'
  readonly params: readonly ChallengeParam[]
}

/** RFC 9110 §5.6.4: a quoted-string, with `"` and `\` escaped. */
export function quote(value: string): string {
  return '"' + value.replace(/["\\]/g, (c) => '\\' + c) + '"'
}

/** One challenge as text: `Bearer realm="x", error="invalid_token"`, or `Bearer` alone. */
export function formatChallenge(challenge: Challenge): string {
  if (challenge.params.length === 0) return challenge.scheme
  return challenge.scheme + ' ' + challenge.params.map(([name, value]) => `${name}=${quote(value)}`).join(', ')
}

/** Several challenges in one header value (RFC 9110 §11.6.1: a comma-separated list). */
export function formatChallenges(challenges: readonly Challenge[]): string {
  return challenges.map(formatChallenge).join(', ')
}
