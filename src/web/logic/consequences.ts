/**
 * @module web/logic/consequences
 * What the dashboard says before an admin action, from the same rules the key manager applies
 * (src/store/apply-actions.ts): a rotation retires the active key and activates the oldest next
 * one (or creates an active key when there is none); a next key published for less than
 * `prepublish` may not be in every verifier's cached copy of the set (cached up to `jwksMaxAge`),
 * so verifiers holding an old copy refuse the new tokens until they refetch.
 */
import type { TimelineKey, TimelinePolicy } from './timeline.ts'
import { formatDate, formatDuration } from './time.ts'

export type AdminAction = 'rotate' | 'retire' | 'revoke'

export interface Consequence {
  title: string
  /** Plain sentences: what happens, then what it costs. */
  lines: string[]
  /** True for a change that verifiers may not be ready for (an emergency rotation, a revocation). */
  warning: boolean
}

function handover(keys: readonly TimelineKey[], alg: string, leaving: string | undefined, policy: TimelinePolicy, now: number): { lines: string[]; warning: boolean } {
  const next = keys.filter((k) => k.alg === alg && k.state === 'next' && k.kid !== leaving)
    .sort((a, b) => (a.publishedAt ?? a.createdAt) - (b.publishedAt ?? b.createdAt))[0]
  if (next === undefined) {
    return {
      lines: [
        `There is no next key for ${alg}: a new key is created and signs at once.`,
        `Emergency rotation: no verifier has it yet. Verifiers that cached the JWK Set (up to ${formatDuration(policy.jwksMaxAge)}) refuse new tokens until they refetch.`,
      ],
      warning: true,
    }
  }
  const publishedAt = next.publishedAt ?? next.createdAt
  const age = now - publishedAt
  const lines = [`The next key ${next.kid} activates at ${formatDate(now)} (published ${formatDuration(age)} ago, at ${formatDate(publishedAt)}).`]
  const warning = age < policy.prepublish
  if (warning) {
    lines.push(`Emergency rotation: it has been published for less than the prepublish period (${formatDuration(policy.prepublish)}). Verifiers that cached the JWK Set before ${formatDate(publishedAt)} refuse new tokens until they refetch (their cache lasts up to ${formatDuration(policy.jwksMaxAge)}).`)
  } else {
    lines.push('It has been published for longer than the prepublish period: every verifier that follows the set\'s cache lifetime already holds it.')
  }
  return { lines, warning }
}

/** The confirmation text of an action; `kid` for retire and revoke, `alg` for rotate. */
export function consequenceOf(action: AdminAction, target: { kid?: string; alg?: string }, keys: readonly TimelineKey[], policy: TimelinePolicy, now: number): Consequence {
  const grace = formatDuration(policy.retireGrace)
  if (action === 'rotate') {
    const alg = target.alg ?? keys.find((k) => k.state === 'active')?.alg ?? ''
    const active = keys.find((k) => k.alg === alg && k.state === 'active')
    const h = handover(keys, alg, undefined, policy, now)
    const lines = [
      ...(active ? [`The active ${alg} key ${active.kid} is retired: it stops signing and stays published for ${grace} (until about ${formatDate(now + policy.retireGrace)}), so tokens it signed keep verifying.`] : []),
      ...h.lines,
      'A new next key is published to follow it.',
    ]
    return { title: `Rotate the ${alg} keys now?`, lines, warning: h.warning }
  }
  const key = keys.find((k) => k.kid === target.kid)
  if (key === undefined) return { title: `${action} ${target.kid ?? ''}`, lines: ['This key is not in the store any more.'], warning: true }
  if (action === 'retire') {
    if (key.state === 'next') {
      return {
        title: `Retire the next key ${key.kid}?`,
        lines: [`It will never sign. It stays published for ${grace}, then is removed.`, 'A new next key is published unless another one is queued.'],
        warning: false,
      }
    }
    const h = handover(keys, key.alg, key.kid, policy, now)
    return {
      title: `Retire the active key ${key.kid}?`,
      lines: [`It stops signing now and stays published for ${grace} (until about ${formatDate(now + policy.retireGrace)}); tokens it signed keep verifying.`, ...h.lines],
      warning: h.warning,
    }
  }
  const lines = [
    `It leaves the published JWK Set at once: tokens it signed stop verifying as soon as verifiers refetch the set (they may cache it for up to ${formatDuration(policy.jwksMaxAge)}).`,
    'This cannot be undone.',
  ]
  if (key.state === 'active') lines.push(...handover(keys, key.alg, key.kid, policy, now).lines)
  return { title: `Revoke the ${key.state} key ${key.kid}?`, lines, warning: true }
}

/** Which actions the dashboard offers for a key in a state. */
export function actionsFor(state: string): AdminAction[] {
  if (state === 'next' || state === 'active') return ['retire', 'revoke']
  if (state === 'retired') return ['revoke']
  return []
}
