/**
 * @module web/logic/timeline-zoom
 * Which stretch of time the dashboard's lifecycle timeline shows: a Range choice (a day, a week,
 * a month around now, or all of it: the fitted window of buildTimeline), or a zoom (Zoom in /
 * Zoom out halve or double the span shown). A zoom is held relative to now (a span and an
 * offset of its start from now), so the picture follows the clock while the page stays open.
 * The window keeps "now" and the next scheduled rotation in view whenever its span can hold
 * them: zooming is anchored at now when now is shown, and a window is shifted (never resized) to
 * bring back an instant that was shown before.
 */
import type { Timeline } from './timeline.ts'

export type TimelineRange = 'day' | 'week' | 'month' | 'all'

/** A Range choice, or a zoom of `span` ms starting `offset` ms from now (negative: before now). */
export type TimelineZoom = { range: TimelineRange } | { range: 'custom'; span: number; offset: number }

export type ZoomAction = 'in' | 'out' | 'fit'

/** The instants [from, to] the timeline shows. */
export interface TimeWindow {
  from: number
  to: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const RANGE_SPANS: Readonly<Record<Exclude<TimelineRange, 'all'>, number>> = { day: DAY, week: 7 * DAY, month: 30 * DAY }
export const RANGE_LABELS: Readonly<Record<TimelineRange, string>> = { day: 'Day', week: 'Week', month: 'Month', all: 'All' }
/** The narrowest window: about an hour (axis ticks every 15 minutes). */
export const MIN_SPAN = HOUR
export const ZOOM_FACTOR = 2
/** The part of a window before now when a Range is chosen: most of it looks ahead. */
const BEFORE_NOW = 0.25
/** Room kept between a kept instant and the window's edge (a fraction of the span). */
const EDGE = 0.04

/** The widest window: the fitted one, or a month when that is wider. */
export function maxSpan(t: Timeline): number {
  return Math.max(t.to - t.from, RANGE_SPANS.month)
}

/** The instants to keep in view, in priority order: now, then the earliest scheduled rotation. */
export function keptInstants(t: Timeline): number[] {
  const rotations = t.rotations.map((r) => r.at).filter((at) => at >= t.now)
  return rotations.length > 0 ? [t.now, Math.min(...rotations)] : [t.now]
}

const inside = (w: TimeWindow, at: number) => at >= w.from && at <= w.to

/**
 * Shifts `w` (same span) so that it holds each of `instants` in turn, as long as it can hold it
 * together with those before it (with a small margin from the edges); an instant that does not
 * fit is left out, and so is every later one.
 */
export function keepInView(w: TimeWindow, instants: readonly number[]): TimeWindow {
  const span = w.to - w.from
  const margin = span * EDGE
  let { from } = w
  const held: number[] = []
  for (const at of instants) {
    const lo = Math.min(...held, at)
    const hi = Math.max(...held, at)
    if (hi - lo > span - 2 * margin) break
    if (at < from + margin) from = at - margin
    else if (at > from + span - margin) from = at + margin - span
    // the shift may have pushed an earlier instant out: the pair fits, so place it between them
    if (held.some((x) => !inside({ from: from + margin, to: from + span - margin }, x))) from = lo - margin
    held.push(at)
  }
  return { from, to: from + span }
}

/** The window of a zoom for this timeline. */
export function windowOf(zoom: TimelineZoom, t: Timeline): TimeWindow {
  if (zoom.range === 'all') return { from: t.from, to: t.to }
  if (zoom.range === 'custom') return { from: t.now + zoom.offset, to: t.now + zoom.offset + zoom.span }
  const span = RANGE_SPANS[zoom.range]
  const from = t.now - span * BEFORE_NOW
  return keepInView({ from, to: from + span }, keptInstants(t))
}

/** Whether Zoom in / Zoom out can change the window (the buttons say so when not). */
export function canZoom(zoom: TimelineZoom, t: Timeline): { in: boolean; out: boolean } {
  const w = windowOf(zoom, t)
  const span = w.to - w.from
  return { in: span > MIN_SPAN, out: span < maxSpan(t) }
}

/**
 * The zoom after an action: `fit` shows all; `in` halves and `out` doubles the span (bounded by
 * MIN_SPAN and maxSpan), around now when now is shown, else around the window's centre; the
 * instants of keptInstants that were shown stay shown when the new span can hold them.
 */
export function zoomBy(zoom: TimelineZoom, action: ZoomAction, t: Timeline): TimelineZoom {
  if (action === 'fit') return { range: 'all' }
  const w = windowOf(zoom, t)
  const span = w.to - w.from
  const next = Math.min(maxSpan(t), Math.max(MIN_SPAN, action === 'in' ? span / ZOOM_FACTOR : span * ZOOM_FACTOR))
  if (next === span) return zoom
  const anchor = inside(w, t.now) ? t.now : (w.from + w.to) / 2
  const ratio = (anchor - w.from) / span
  const from = anchor - ratio * next
  const shown = keptInstants(t).filter((at) => inside(w, at))
  const kept = keepInView({ from, to: from + next }, shown)
  return { range: 'custom', span: next, offset: kept.from - t.now }
}

/**
 * The zoom action of a key press on the page, or undefined: `+` (or `=`, the same key unshifted
 * on many layouts) zooms in, `-` zooms out, `0` fits. Ignored while typing in a field or with
 * Ctrl/Meta/Alt held (Ctrl + and Ctrl - zoom the whole page in browsers).
 */
export function shortcutOf(key: string, target: { tag: string; editable?: boolean }, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean } = {}): ZoomAction | undefined {
  if (mods.ctrl === true || mods.meta === true || mods.alt === true) return undefined
  const tag = target.tag.toUpperCase()
  if (target.editable === true || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return undefined
  if (key === '+' || key === '=') return 'in'
  if (key === '-' || key === '_') return 'out'
  if (key === '0') return 'fit'
  return undefined
}
