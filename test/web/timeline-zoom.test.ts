/**
 * The timeline's zoom in Node: the Range windows (a day, a week, a month, all), Zoom in / Zoom out
 * (half and double, bounded, anchored at now, keeping now and the next rotation shown when the
 * span can hold them), the key shortcuts, the SVG of a window (its axis, what it leaves out, the
 * markers named beyond its edges) and the dashboard's controls.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTimeline, timelineSvg, type TimelineKey } from '../../src/web/logic/timeline.ts'
import {
  canZoom, keepInView, keptInstants, maxSpan, MIN_SPAN, RANGE_SPANS, shortcutOf, windowOf, zoomBy, type TimelineZoom,
} from '../../src/web/logic/timeline-zoom.ts'
import { dashboardView } from '../../src/web/logic/dashboard-view.ts'
import type { AdminList } from '../../src/web/logic/admin-client.ts'
import { findAll, textOf, type VNode } from '../../src/web/logic/vnode.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const now = Date.UTC(2026, 11, 2, 16, 30)
const policy = { rotateEvery: 10 * DAY, prepublish: 3 * HOUR, retireGrace: 2 * DAY, jwksMaxAge: HOUR }
// active for 6 days: the rotation is due in 4 days; an older key retired 6 days ago, removed 4 days ago
const keys: TimelineKey[] = [
  { kid: 'active-1', alg: 'ES256', state: 'active', createdAt: now - 6 * DAY, publishedAt: now - 6 * DAY, activatedAt: now - 6 * DAY, retiredAt: null, removedAt: null },
  { kid: 'next-1', alg: 'ES256', state: 'next', createdAt: now - 6 * DAY, publishedAt: now - 6 * DAY, activatedAt: null, retiredAt: null, removedAt: null },
  { kid: 'old-1', alg: 'ES256', state: 'removed', createdAt: now - 16 * DAY, publishedAt: now - 16 * DAY, activatedAt: now - 16 * DAY, retiredAt: now - 6 * DAY, removedAt: now - 4 * DAY },
]
const t = buildTimeline(keys, policy, now)
const rotation = t.rotations[0]!.at
const span = (z: TimelineZoom) => { const w = windowOf(z, t); return w.to - w.from }
const holds = (z: TimelineZoom, at: number) => { const w = windowOf(z, t); return at >= w.from && at <= w.to }

test('Range windows: a day, a week, a month around now; all is the fitted window', () => {
  assert.equal(rotation, now + 4 * DAY)
  assert.deepEqual(windowOf({ range: 'all' }, t), { from: t.from, to: t.to })
  for (const range of ['day', 'week', 'month'] as const) {
    assert.equal(span({ range }), RANGE_SPANS[range])
    assert.ok(holds({ range }, now), `${range} shows now`)
  }
  assert.equal(holds({ range: 'day' }, rotation), false, 'a day cannot hold a rotation 4 days ahead')
  assert.ok(holds({ range: 'week' }, rotation), 'a week is shifted to show the rotation 4 days ahead')
  assert.ok(holds({ range: 'month' }, rotation))
  // a day: mostly ahead of now
  const day = windowOf({ range: 'day' }, t)
  assert.equal(now - day.from, DAY / 4)
})

test('keepInView shifts, never resizes, and keeps the earlier instants first', () => {
  const w = { from: 0, to: 100 }
  assert.deepEqual(keepInView(w, [50]), w, 'already shown: unchanged')
  const right = keepInView(w, [150])
  assert.equal(right.to - right.from, 100)
  assert.ok(150 > right.from && 150 < right.to)
  const both = keepInView(w, [-30, 40])
  assert.ok(both.from < -30 && both.to > 40)
  const tooFar = keepInView(w, [50, 500])
  assert.ok(50 >= tooFar.from && 50 <= tooFar.to && 500 > tooFar.to, 'the second does not fit with the first: left out')
  assert.deepEqual(keptInstants(t), [now, rotation])
})

test('Zoom in halves, Zoom out doubles, anchored at now, bounded; Fit shows all', () => {
  const all: TimelineZoom = { range: 'all' }
  const fitted = span(all)
  const in1 = zoomBy(all, 'in', t)
  assert.equal(in1.range, 'custom')
  assert.equal(span(in1), fitted / 2)
  // now stays where it was drawn (same fraction of the width) and the rotation stays shown
  const ratio = (z: TimelineZoom) => { const w = windowOf(z, t); return (now - w.from) / (w.to - w.from) }
  assert.ok(holds(in1, now) && holds(in1, rotation))
  const week = zoomBy({ range: 'week' }, 'in', t)
  assert.equal(span(week), 3.5 * DAY)
  assert.ok(holds(week, now))
  const out = zoomBy(in1, 'out', t)
  assert.equal(span(out), fitted)
  assert.ok(Math.abs(ratio(zoomBy({ range: 'day' }, 'in', t)) - ratio({ range: 'day' })) < 1e-9, 'anchored at now')
  // the bounds: never narrower than MIN_SPAN, never wider than maxSpan
  let z: TimelineZoom = all
  for (let i = 0; i < 30; i++) z = zoomBy(z, 'in', t)
  assert.equal(span(z), MIN_SPAN)
  assert.ok(holds(z, now), 'the narrowest window still shows now')
  assert.deepEqual(canZoom(z, t), { in: false, out: true })
  assert.deepEqual(zoomBy(z, 'in', t), z, 'at the bound, nothing changes')
  for (let i = 0; i < 30; i++) z = zoomBy(z, 'out', t)
  assert.equal(span(z), maxSpan(t))
  assert.deepEqual(canZoom(z, t), { in: true, out: false })
  assert.deepEqual(zoomBy(z, 'fit', t), all)
  // a zoom follows the clock: the same zoom an hour later is the window an hour later
  const later = buildTimeline(keys, policy, now + HOUR)
  assert.equal(windowOf(in1, later).from - windowOf(in1, t).from, HOUR)
})

test('a window far from now: zooming is around its centre', () => {
  const away: TimelineZoom = { range: 'custom', span: 2 * DAY, offset: -12 * DAY }
  assert.equal(holds(away, now), false)
  const w = windowOf(away, t)
  const z = zoomBy(away, 'in', t)
  const w2 = windowOf(z, t)
  assert.equal((w2.from + w2.to) / 2, (w.from + w.to) / 2)
})

test('shortcuts: + (or =) zoom in, - out, 0 fit; not while typing, not with Ctrl/Meta/Alt', () => {
  assert.equal(shortcutOf('+', { tag: 'BODY' }), 'in')
  assert.equal(shortcutOf('=', { tag: 'button' }), 'in')
  assert.equal(shortcutOf('-', { tag: 'DIV' }), 'out')
  assert.equal(shortcutOf('0', { tag: 'DIV' }), 'fit')
  assert.equal(shortcutOf('1', { tag: 'DIV' }), undefined)
  for (const tag of ['INPUT', 'TEXTAREA', 'SELECT']) assert.equal(shortcutOf('+', { tag }), undefined, tag)
  assert.equal(shortcutOf('+', { tag: 'DIV', editable: true }), undefined)
  assert.equal(shortcutOf('+', { tag: 'DIV' }, { ctrl: true }), undefined)
  assert.equal(shortcutOf('-', { tag: 'DIV' }, { meta: true }), undefined)
  assert.equal(shortcutOf('0', { tag: 'DIV' }, { alt: true }), undefined)
})

const tickLabels = (svg: VNode) => findAll(svg, (n) => n.attrs.class === 'tick-label').map(textOf)

test('the SVG of a window: its axis, only what overlaps it, and the markers beyond its edges named', () => {
  const all = timelineSvg(t, windowOf({ range: 'all' }, t))
  assert.ok(tickLabels(all).every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l)), tickLabels(all).join())
  assert.equal(findAll(all, (n) => n.attrs.class === 'now-line').length, 1)
  assert.equal(findAll(all, (n) => n.attrs.class === 'rotation').length, 1)
  assert.equal(findAll(all, (n) => n.attrs['data-offscreen'] !== undefined).length, 0)

  const day = timelineSvg(t, windowOf({ range: 'day' }, t))
  const labels = tickLabels(day)
  assert.ok(labels.length >= 3 && labels.every((l) => /^\d{2}-\d{2} \d{2}:\d{2}$/.test(l)), labels.join())
  assert.notDeepEqual(labels, tickLabels(all))
  assert.equal(day.attrs['data-from'], new Date(now - DAY / 4).toISOString())
  assert.match(String(day.attrs['aria-label']), /showing 2026-12-02 10:30:00 UTC to 2026-12-03 10:30:00 UTC/)
  assert.equal(findAll(day, (n) => n.attrs.class === 'now-line').length, 1, 'now is in the day')
  assert.equal(findAll(day, (n) => n.attrs.class === 'rotation').length, 0, 'the rotation is beyond it')
  assert.match(textOf(findAll(day, (n) => n.attrs['data-offscreen'] === 'after')[0]!), /^rotation ES256 in 4 days ▶$/)
  // the removed key's phases all ended before the day: none drawn, nor its removal
  const old = findAll(day, (n) => n.attrs['data-kid'] === 'old-1')[0]!
  assert.equal(findAll(old, (n) => n.attrs['data-phase'] !== undefined).length, 0)
  assert.equal(findAll(old, (n) => n.attrs['data-end'] !== undefined).length, 0)
  for (const rect of findAll(day, (n) => n.tag === 'rect')) {
    assert.ok(Number(rect.attrs.x) >= 200 && Number(rect.attrs.x) + Number(rect.attrs.width) <= 990, JSON.stringify(rect.attrs))
  }

  // a window in the past: now and the rotation are both named beyond its right edge
  const past = timelineSvg(t, { from: now - 14 * DAY, to: now - 10 * DAY })
  assert.equal(findAll(past, (n) => n.attrs.class === 'now-line').length, 0)
  assert.match(textOf(findAll(past, (n) => n.attrs['data-offscreen'] === 'after')[0]!), /^now, rotation ES256 in 4 days ▶$/)
  assert.match(String(past.attrs['aria-label']), /\(after the range shown\)$/)
})

test('the dashboard: Zoom in / Zoom out / Fit with their names and keys, the Range choice, the window drawn', () => {
  const data: AdminList = {
    status: { storeReachable: true, rotations: 0, storeErrors: 0, lastSyncAt: now },
    policy: { ...policy, algorithms: ['ES256'] },
    keys: keys.map((k) => ({ ...k, activateAt: null })),
  } as unknown as AdminList
  const asked: string[] = []
  const handlers = { request() {}, zoom: (z: string) => { asked.push(z) } }
  const view = (zoom?: TimelineZoom) => dashboardView({ mode: 'ready', now, data, ...(zoom ? { zoom } : {}) }, handlers)
  const v = view()
  const buttons = findAll(v, (n) => n.attrs['data-zoom'] !== undefined)
  assert.deepEqual(buttons.map((b) => [b.attrs['aria-label'], b.attrs['aria-keyshortcuts'], textOf(b)]), [
    ['Zoom in', '+', 'Zoom in'], ['Zoom out', '-', 'Zoom out'], ['Fit the whole timeline', '0', 'Fit'],
  ])
  assert.ok(maxSpan(t) === span({ range: 'all' }), 'the fitted window is over a month here')
  assert.deepEqual(buttons.map((b) => b.attrs['aria-disabled']), [null, 'true', 'true'], 'all is shown: neither Zoom out nor Fit can act')
  for (const b of buttons) (b.attrs.onclick as () => void)()
  assert.deepEqual(asked, ['in'], 'a disabled button does not act')
  const select = findAll(v, (n) => n.tag === 'select')[0]!
  assert.equal(select.attrs.id, 'timeline-range')
  assert.equal(findAll(v, (n) => n.tag === 'label' && n.attrs.for === 'timeline-range').length, 1)
  assert.deepEqual(findAll(select, (n) => n.tag === 'option').map((o) => [o.attrs.value, o.attrs.selected]), [['day', false], ['week', false], ['month', false], ['all', true]])
  ;(select.attrs.onchange as (e: unknown) => void)({ target: { value: 'week' } })
  assert.deepEqual(asked.slice(1), ['week'])
  // the window drawn follows the zoom
  const svgOf = (x: VNode) => findAll(x, (n) => n.tag === 'svg')[0]!
  assert.equal(svgOf(view({ range: 'week' })).attrs['data-from'], new Date(windowOf({ range: 'week' }, t).from).toISOString())
  const zoomed = view(zoomBy({ range: 'all' }, 'in', t))
  assert.ok(findAll(zoomed, (n) => n.tag === 'option' && n.attrs.value === 'custom' && n.attrs.selected === true).length === 1)
  assert.equal(findAll(zoomed, (n) => n.attrs['data-zoom'] === 'fit')[0]!.attrs['aria-disabled'], null)
})
