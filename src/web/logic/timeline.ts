/**
 * @module web/logic/timeline
 * The key lifecycle as the dashboard draws it: for each stored key, when it was (or will be)
 * published as `next`, active (signing), retired (published for `retireGrace`) and removed, with
 * the next scheduled rotation per algorithm — the schedule of src/store/rotation.ts
 * (`planRotation`): an active key is rotated once it has signed for `rotateEvery` (or at the
 * `activateAt` a requested rotation set) and the oldest `next` key has been published for
 * `prepublish` (so every cached copy of the set holds it).
 * Future instants are projections (drawn dashed); the scheduler acts at its next check after them.
 */
import { s, type VNode } from './vnode.ts'
import { formatDate, relative } from './time.ts'

export type KeyState = 'next' | 'active' | 'retired' | 'revoked' | 'removed'

/** The admin API's view of a key (GET /admin/keys), times in ms since the epoch. */
export interface TimelineKey {
  kid: string
  alg: string
  state: KeyState
  createdAt: number
  publishedAt: number | null
  activatedAt: number | null
  retiredAt: number | null
  removedAt: number | null
  /** A next key's scheduled activation (a requested rotation waiting for prepublish), if any. */
  activateAt?: number | null
}

export interface TimelinePolicy {
  rotateEvery: number
  prepublish: number
  retireGrace: number
  jwksMaxAge: number
}

export type PhaseKind = 'next' | 'active' | 'retired'

export interface Phase {
  kind: PhaseKind
  from: number
  to: number
  /** True when `to` (and, for future phases, `from`) is a projection, not a recorded date. */
  projected: boolean
}

export interface TimelineRow {
  kid: string
  alg: string
  state: KeyState
  phases: Phase[]
  /** When the key leaves (left) publication: removal after the grace, or revocation. */
  end?: { at: number; kind: 'removed' | 'revoked'; projected: boolean }
}

export interface ScheduledRotation {
  alg: string
  at: number
  /** The key that will take over (the oldest next key), when there is one. */
  successor?: string
  /** The active key that will be retired. */
  current?: string
}

export interface Timeline {
  from: number
  to: number
  now: number
  rows: TimelineRow[]
  rotations: ScheduledRotation[]
}

const published = (k: TimelineKey) => k.publishedAt ?? k.createdAt

/** The next scheduled rotation of one algorithm (planRotation's rule), or undefined without an active key. */
export function nextRotation(keys: readonly TimelineKey[], alg: string, policy: TimelinePolicy, now: number): ScheduledRotation | undefined {
  const active = keys.filter((k) => k.alg === alg && k.state === 'active').sort((a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0))[0]
  if (active === undefined) return undefined
  const next = keys.filter((k) => k.alg === alg && k.state === 'next').sort((a, b) => published(a) - published(b))[0]
  let due = (active.activatedAt ?? active.createdAt) + policy.rotateEvery
  // A requested rotation scheduled the next key's activation (planRotation: activateAt <= now).
  if (next?.activateAt != null) due = Math.min(due, next.activateAt)
  // Without a next key the scheduler first publishes one (now), which then needs prepublish.
  const ready = next === undefined ? now + policy.prepublish : published(next) + policy.prepublish
  return { alg, at: Math.max(due, ready), current: active.kid, ...(next ? { successor: next.kid } : {}) }
}

/** The timeline of a store's keys at `now`. */
export function buildTimeline(keys: readonly TimelineKey[], policy: TimelinePolicy, now: number): Timeline {
  const rotations: ScheduledRotation[] = []
  for (const alg of [...new Set(keys.map((k) => k.alg))].sort()) {
    const r = nextRotation(keys, alg, policy, now)
    if (r !== undefined) rotations.push(r)
  }
  const rotationOf = new Map(rotations.map((r) => [r.alg, r]))
  const rows: TimelineRow[] = []
  const order: Record<KeyState, number> = { active: 0, next: 1, retired: 2, revoked: 3, removed: 4 }
  const sorted = [...keys].sort((a, b) => (a.alg < b.alg ? -1 : a.alg > b.alg ? 1 : 0) || order[a.state] - order[b.state] || published(a) - published(b))
  for (const k of sorted) {
    const phases: Phase[] = []
    const rotation = rotationOf.get(k.alg)
    const start = published(k)
    let end: TimelineRow['end']
    const retireAndRemove = (retiredAt: number, projected: boolean) => {
      const removeAt = k.removedAt ?? retiredAt + policy.retireGrace
      phases.push({ kind: 'retired', from: retiredAt, to: removeAt, projected: projected || k.removedAt === null })
      end = { at: removeAt, kind: 'removed', projected: projected || k.removedAt === null }
    }
    switch (k.state) {
      case 'next': {
        // The oldest next key takes over at the scheduled rotation; a later one a period after.
        const queue = keys.filter((o) => o.alg === k.alg && o.state === 'next').sort((a, b) => published(a) - published(b))
        const place = queue.findIndex((o) => o.kid === k.kid)
        const activate = Math.max((rotation?.at ?? start + policy.prepublish) + place * policy.rotateEvery, start + policy.prepublish)
        phases.push({ kind: 'next', from: start, to: activate, projected: true })
        phases.push({ kind: 'active', from: activate, to: activate + policy.rotateEvery, projected: true })
        retireAndRemove(activate + policy.rotateEvery, true)
        break
      }
      case 'active': {
        const activatedAt = k.activatedAt ?? start
        if (activatedAt > start) phases.push({ kind: 'next', from: start, to: activatedAt, projected: false })
        const retireAt = rotation?.current === k.kid ? rotation.at : activatedAt + policy.rotateEvery
        phases.push({ kind: 'active', from: activatedAt, to: Math.max(retireAt, now), projected: true })
        retireAndRemove(Math.max(retireAt, now), true)
        break
      }
      case 'retired':
      case 'removed':
      case 'revoked': {
        const activatedAt = k.activatedAt
        const retiredAt = k.retiredAt ?? k.removedAt ?? now
        if (activatedAt !== null) {
          if (activatedAt > start) phases.push({ kind: 'next', from: start, to: activatedAt, projected: false })
          phases.push({ kind: 'active', from: activatedAt, to: retiredAt, projected: false })
        } else {
          phases.push({ kind: 'next', from: start, to: retiredAt, projected: false })
        }
        if (k.state === 'revoked') {
          // A revoked key leaves publication at once (retiredAt is set when it was not retired before).
          end = { at: retiredAt, kind: 'revoked', projected: false }
        } else if (activatedAt !== null || k.state === 'retired' || k.removedAt !== null) {
          retireAndRemove(retiredAt, false)
        }
        break
      }
    }
    rows.push({ kid: k.kid, alg: k.alg, state: k.state, phases, ...(end ? { end } : {}) })
  }
  // The window: from the oldest publication shown to past the furthest projected removal (bounded).
  let from = now - policy.rotateEvery / 4
  let to = now + policy.rotateEvery / 4
  for (const r of rows) {
    for (const p of r.phases) {
      from = Math.min(from, p.from)
      to = Math.max(to, p.to)
    }
  }
  for (const r of rotations) to = Math.max(to, r.at)
  const maxSpan = 4 * policy.rotateEvery + 2 * policy.retireGrace
  from = Math.max(from, now - maxSpan)
  to = Math.min(to, now + maxSpan)
  const margin = (to - from) * 0.02
  return { from: from - margin, to: to + margin, now, rows, rotations }
}

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 24 * HOUR
const TICK_STEPS = [15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 4 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY]

/** Axis ticks: about `count` round instants (UTC hours or days) across [from, to]. */
export function ticks(from: number, to: number, count = 6): number[] {
  const step = TICK_STEPS.find((t) => (to - from) / t <= count) ?? TICK_STEPS[TICK_STEPS.length - 1]!
  const out: number[] = []
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t)
  return out
}

function tickLabel(at: number, step: number): string {
  const iso = new Date(at).toISOString()
  return step < DAY ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10)
}

const PHASE_NAMES: Record<PhaseKind, string> = { next: 'published (next)', active: 'active (signing)', retired: 'retired (published for grace)' }

/** The SVG picture of a timeline (a VNode tree; width 1000 user units, one 28-unit row per key),
 * showing the window `view` (default: the whole timeline). What falls outside the window is not
 * drawn; a "now" or a next rotation outside it is named at the edge it lies beyond. */
export function timelineSvg(t: Timeline, view: { from: number; to: number } = { from: t.from, to: t.to }): VNode {
  const LABEL = 200
  const WIDTH = 1000
  const ROW = 28
  const TOP = 48
  const height = TOP + t.rows.length * ROW + 16
  const span = Math.max(1, view.to - view.from)
  const shown = (at: number) => at >= view.from && at <= view.to
  const overlaps = (from: number, to: number) => to >= view.from && from <= view.to
  const x = (at: number) => LABEL + ((Math.min(Math.max(at, view.from), view.to) - view.from) / span) * (WIDTH - LABEL - 10)
  const axis = ticks(view.from, view.to)
  const step = axis.length > 1 ? axis[1]! - axis[0]! : DAY
  const now = t.now
  const summary = t.rows.map((r) => `${r.kid} ${r.state}`).join('; ')
  const nowWhere = shown(now) ? '' : now < view.from ? ' (before the range shown)' : ' (after the range shown)'
  // Markers beyond the window: one note per edge ("◀ now", "rotation ES256 ▶").
  const beyond = (side: 'before' | 'after') => [
    ...(side === 'before' ? now < view.from : now > view.to) ? ['now'] : [],
    ...t.rotations.filter((r) => (side === 'before' ? r.at < view.from : r.at > view.to)).map((r) => `rotation ${r.alg} ${relative(r.at, now)}`),
  ]
  const before = beyond('before')
  const after = beyond('after')
  return s('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'timeline',
    'data-from': new Date(view.from).toISOString(), 'data-to': new Date(view.to).toISOString(),
    'aria-label': `Key lifecycle timeline: ${t.rows.length} keys (${summary}); showing ${formatDate(view.from)} to ${formatDate(view.to)}; now ${formatDate(now)}${nowWhere}`,
  },
  s('g', { class: 'axis' },
    axis.map((at) => s('g', null,
      s('line', { x1: x(at), x2: x(at), y1: TOP - 6, y2: height - 10, class: 'tick' }),
      s('text', { x: x(at), y: TOP - 12, 'text-anchor': 'middle', class: 'tick-label' }, tickLabel(at, step)),
    )),
  ),
  before.length > 0 ? s('text', { x: LABEL, y: 14, class: 'offscreen', 'data-offscreen': 'before' }, `◀ ${before.join(', ')}`) : null,
  after.length > 0 ? s('text', { x: WIDTH - 10, y: 14, 'text-anchor': 'end', class: 'offscreen', 'data-offscreen': 'after' }, `${after.join(', ')} ▶`) : null,
  t.rows.map((r, i) => {
    const y = TOP + i * ROW
    return s('g', { class: `row state-${r.state}`, 'data-kid': r.kid },
      s('text', { x: 4, y: y + 18, class: 'row-label' }, `${r.kid.slice(0, 12)}${r.kid.length > 12 ? '…' : ''} ${r.alg} ${r.state}`),
      r.phases.filter((p) => overlaps(p.from, p.to)).map((p) => {
        const x1 = x(p.from)
        const w = Math.max(3, x(p.to) - x1)
        // A phase that starts in the future is projected entirely; one in progress is solid up to now.
        const solidTo = p.projected ? Math.min(Math.max(now, p.from), p.to) : p.to
        const solidW = Math.max(0, x(solidTo) - x1)
        return s('g', { class: `phase phase-${p.kind}`, 'data-phase': p.kind },
          s('title', null, `${r.kid}: ${PHASE_NAMES[p.kind]} from ${formatDate(p.from)} to ${formatDate(p.to)}${p.projected ? ' (projected)' : ''}`),
          s('rect', { x: Math.min(x1, WIDTH - 10 - w), y: y + 6, width: w, height: 16, class: 'bar projected' }),
          solidW > 0 ? s('rect', { x: x1, y: y + 6, width: solidW, height: 16, class: 'bar' }) : null,
        )
      }),
      r.end && shown(r.end.at) ? s('g', { class: `end end-${r.end.kind}`, 'data-end': r.end.kind },
        s('title', null, `${r.kid}: ${r.end.kind} ${r.end.projected ? 'at about' : 'at'} ${formatDate(r.end.at)}`),
        s('path', { d: `M${x(r.end.at) - 5} ${y + 9} l10 10 m0 -10 l-10 10`, class: 'end-mark' }),
      ) : null,
    )
  }),
  t.rotations.filter((r) => shown(r.at)).map((r) => s('g', { class: 'rotation', 'data-alg': r.alg },
    s('title', null, `next scheduled rotation of ${r.alg}: ${formatDate(r.at)} (${relative(r.at, now)})`),
    s('path', { d: `M${x(r.at)} ${TOP - 4} l6 6 l-6 6 l-6 -6 z`, class: 'rotation-mark' }),
  )),
  shown(now) ? s('g', { class: 'now' },
    s('line', { x1: x(now), x2: x(now), y1: TOP - 8, y2: height - 6, class: 'now-line' }),
    s('text', { x: Math.min(x(now) + 4, WIDTH - 34), y: height - 4, class: 'now-label' }, 'now'),
  ) : null,
  )
}
