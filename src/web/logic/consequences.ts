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

export type AdminAction = 'rotate' | 'rotate-now' | 'retire' | 'revoke'

export interface Consequence {
  title: string
  /** Plain sentences: what happens, then what it costs. */
  lines: string[]
  /** True for a change that verifiers may not be ready for (an emergency rotation, a revocation). */
  warning: boolean
}

const published = (k: TimelineKey) => k.publishedAt ?? k.createdAt

function oldestNext(keys: readonly TimelineKey[], alg: string, leaving: string | undefined): TimelineKey | undefined {
  return keys.filter((k) => k.alg === alg && k.state === 'next' && k.kid !== leaving).sort((a, b) => published(a) - published(b))[0]
}

/**
 * The handover of an alg's signing (src/store/rotation.ts `rotateActions`): a ready next key
 * signs now; an unready one is scheduled for when it has been published for `prepublish`, unless
 * `force` (then it signs now: an emergency); no next key: one is published and scheduled, or with
 * `force` a new key signs at once.
 */
function handover(keys: readonly TimelineKey[], alg: string, leaving: string | undefined, policy: TimelinePolicy, now: number, force: boolean): { lines: string[]; warning: boolean; scheduled: boolean } {
  const next = oldestNext(keys, alg, leaving)
  const cache = `Verifiers that cached the JWK Set (up to ${formatDuration(policy.jwksMaxAge)}) refuse its tokens until they refetch.`
  if (next === undefined) {
    if (force) return { lines: [`There is no next key for ${alg}: a new key is created and signs at once.`, `Emergency rotation: no verifier has it yet. ${cache}`], warning: true, scheduled: false }
    return { lines: [`There is no next key for ${alg}: one is published now and takes over at ${formatDate(now + policy.prepublish)} (in ${formatDuration(policy.prepublish)}), once every cached copy of the set can hold it.`], warning: false, scheduled: true }
  }
  const at = published(next)
  const age = now - at
  const ready = age >= policy.prepublish
  if (ready) {
    return { lines: [`The next key ${next.kid} activates now (published ${formatDuration(age)} ago, at ${formatDate(at)}, longer than the prepublish period: every verifier that follows the set's cache lifetime holds it).`], warning: false, scheduled: false }
  }
  if (force) {
    return {
      lines: [
        `The next key ${next.kid} activates now, at ${formatDate(now)} (published ${formatDuration(age)} ago, at ${formatDate(at)}).`,
        `Emergency rotation: it has been published for less than the prepublish period (${formatDuration(policy.prepublish)}). Verifiers that cached the JWK Set before ${formatDate(at)} refuse new tokens until they refetch (their cache lasts up to ${formatDuration(policy.jwksMaxAge)}).`,
      ],
      warning: true,
      scheduled: false,
    }
  }
  const readyAt = at + policy.prepublish
  return {
    lines: [`The next key ${next.kid} was published ${formatDuration(age)} ago: it is scheduled to activate at ${formatDate(readyAt)} (in ${formatDuration(readyAt - now)}), once it has been published for the prepublish period (${formatDuration(policy.prepublish)}). Until then the active key keeps signing.`],
    warning: false,
    scheduled: true,
  }
}

/** The confirmation text of an action; `kid` for retire and revoke, `alg` for the rotations. */
export function consequenceOf(action: AdminAction, target: { kid?: string; alg?: string }, keys: readonly TimelineKey[], policy: TimelinePolicy, now: number): Consequence {
  const grace = formatDuration(policy.retireGrace)
  if (action === 'rotate' || action === 'rotate-now') {
    const force = action === 'rotate-now'
    const alg = target.alg ?? keys.find((k) => k.state === 'active')?.alg ?? ''
    const active = keys.find((k) => k.alg === alg && k.state === 'active')
    const h = handover(keys, alg, undefined, policy, now, force)
    const lines = [
      ...(active && !h.scheduled ? [`The active ${alg} key ${active.kid} is retired: it stops signing and stays published for ${grace} (until about ${formatDate(now + policy.retireGrace)}), so tokens it signed keep verifying.`] : []),
      ...(active && h.scheduled ? [`The active ${alg} key ${active.kid} is retired then, and stays published for ${grace} after.`] : []),
      ...h.lines,
      ...(h.scheduled ? [] : ['A new next key is published to follow it.']),
    ]
    return { title: force ? `Rotate the ${alg} keys now, without waiting?` : `Rotate the ${alg} keys?`, lines, warning: h.warning }
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
    const h = handover(keys, key.alg, key.kid, policy, now, false)
    return {
      title: `Retire the active key ${key.kid}?`,
      lines: h.scheduled
        ? [...h.lines, `Then it stops signing and stays published for ${grace}; tokens it signed keep verifying.`]
        : [`It stops signing now and stays published for ${grace} (until about ${formatDate(now + policy.retireGrace)}); tokens it signed keep verifying.`, ...h.lines],
      warning: h.warning,
    }
  }
  const lines = [
    `It leaves the published JWK Set at once: tokens it signed stop verifying as soon as verifiers refetch the set (they may cache it for up to ${formatDuration(policy.jwksMaxAge)}).`,
    'This cannot be undone.',
  ]
  if (key.state === 'active') lines.push(...handover(keys, key.alg, key.kid, policy, now, true).lines)
  return { title: `Revoke the ${key.state} key ${key.kid}?`, lines, warning: true }
}

/** Which actions the dashboard offers for a key in a state. */
export function actionsFor(state: string): AdminAction[] {
  if (state === 'next' || state === 'active') return ['retire', 'revoke']
  if (state === 'retired') return ['revoke']
  return []
}
