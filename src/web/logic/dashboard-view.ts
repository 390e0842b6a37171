/**
 * @module web/logic/dashboard-view
 * The dashboard's main region as a pure function of its state: store status, the schedule, the
 * lifecycle timeline (SVG), every stored key with its dates and actions, and the JWK Set as
 * served with its caching fields. The token form lives outside this region, so re-rendering never
 * takes the focus from it.
 */
import type { AdminKey, AdminList, ServedJwks } from './admin-client.ts'
import { actionsFor, type AdminAction } from './consequences.ts'
import { buildTimeline, timelineSvg, type Timeline } from './timeline.ts'
import { canZoom, RANGE_LABELS, windowOf, type TimelineRange, type TimelineZoom, type ZoomAction } from './timeline-zoom.ts'
import { dateAndRelative, formatDuration } from './time.ts'
import { h, type VNode } from './vnode.ts'

export type DashboardMode = 'probing' | 'disabled' | 'need-token' | 'loading' | 'ready' | 'error'

export interface DashboardState {
  mode: DashboardMode
  now: number
  error?: string
  data?: AdminList
  jwks?: ServedJwks
  /** The stretch of the timeline shown (default: all of it). */
  zoom?: TimelineZoom
}

export interface DashboardHandlers {
  /** Asks for confirmation, then acts. */
  request(action: AdminAction, target: { kid?: string; alg?: string }): void
  /** Zoom in / out, fit, or a Range choice. */
  zoom(to: ZoomAction | TimelineRange): void
}

const ENABLE_HELP = [
  'The admin API is not enabled on this server, so there is nothing to show here.',
  'To enable it, start the server with a random admin token of 16 or more characters, for example:',
]

function dateCell(at: number | null, now: number): VNode {
  return h('td', null, at === null ? '—' : h('time', { datetime: new Date(at).toISOString() }, dateAndRelative(at, now)))
}

const ACTION_LABELS: Record<AdminAction, string> = { rotate: 'Rotate', 'rotate-now': 'Rotate now', retire: 'Retire', revoke: 'Revoke' }

function keyRow(k: AdminKey, now: number, handlers: DashboardHandlers): VNode {
  return h('tr', { 'data-kid': k.kid, 'data-state': k.state },
    h('th', { scope: 'row' }, h('code', { class: 'kid' }, k.kid)),
    h('td', null, k.alg),
    h('td', null, h('span', { class: `badge badge-${k.state}` }, k.state)),
    dateCell(k.publishedAt, now), dateCell(k.activatedAt, now), dateCell(k.retiredAt, now), dateCell(k.removedAt, now),
    h('td', { class: 'actions' }, actionsFor(k.state).map((a) => h('button', {
      type: 'button', class: a === 'revoke' ? 'danger' : '', 'data-action': a,
      'aria-label': `${ACTION_LABELS[a]} key ${k.kid}`,
      onclick: () => handlers.request(a, { kid: k.kid }),
    }, ACTION_LABELS[a]))),
  )
}

function legend(): VNode {
  const item = (cls: string, text: string) => h('li', null, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text)
  return h('ul', { class: 'legend' },
    item('phase-next', 'published as next (not signing)'), item('phase-active', 'active (signing)'),
    item('phase-retired', 'retired (published for the grace period)'), item('projected', 'projected (dashed)'),
    item('now', 'now'), item('rotation', 'next scheduled rotation'), item('end', 'removed or revoked'))
}

/** [action, visible text, accessible name (holds the text), key] */
const ZOOM_BUTTONS: ReadonlyArray<[ZoomAction, string, string, string]> = [
  ['in', 'Zoom in', 'Zoom in', '+'], ['out', 'Zoom out', 'Zoom out', '-'], ['fit', 'Fit', 'Fit the whole timeline', '0'],
]

/** Zoom in / Zoom out / Fit and the Range choice; a button that cannot act says so (aria-disabled keeps its focus). */
function zoomControls(zoom: TimelineZoom, t: Timeline, handlers: DashboardHandlers): VNode {
  const can = canZoom(zoom, t)
  const enabled: Record<ZoomAction, boolean> = { in: can.in, out: can.out, fit: zoom.range !== 'all' }
  const ranges = Object.keys(RANGE_LABELS) as TimelineRange[]
  return h('div', { class: 'timeline-controls', role: 'group', 'aria-label': 'Timeline zoom' },
    ZOOM_BUTTONS.map(([action, label, name, key]) => h('button', {
      type: 'button', 'data-zoom': action, 'aria-label': name, 'aria-keyshortcuts': key, title: `${name} (key ${key})`,
      'aria-disabled': enabled[action] ? null : 'true',
      onclick: () => { if (enabled[action]) handlers.zoom(action) },
    }, label)),
    h('label', { for: 'timeline-range' }, 'Range'),
    h('select', { id: 'timeline-range', 'data-range': zoom.range, onchange: (e) => handlers.zoom((e as { target: { value: string } }).target.value as TimelineRange) },
      ranges.map((r) => h('option', { value: r, selected: zoom.range === r }, RANGE_LABELS[r])),
      zoom.range === 'custom' ? h('option', { value: 'custom', selected: true, disabled: true }, 'Zoomed') : null,
    ),
    h('span', { class: 'muted keys-hint' }, 'Keys: + zoom in, - zoom out, 0 fit'),
  )
}

/** The main region of the dashboard. */
export function dashboardView(state: DashboardState, handlers: DashboardHandlers): VNode {
  const { now } = state
  switch (state.mode) {
    case 'probing':
      return h('p', { class: 'muted' }, 'Looking for the admin API…')
    case 'disabled':
      return h('section', { class: 'card', 'data-view': 'disabled', 'aria-labelledby': 'disabled-title' },
        h('h2', { id: 'disabled-title' }, 'Admin API not enabled'),
        h('p', null, ENABLE_HELP[0]!), h('p', null, ENABLE_HELP[1]!),
        h('pre', null, h('code', null, 'JWKIT_ADMIN_TOKEN="$(openssl rand -base64 24)" jwk serve')),
        h('p', null, 'or put the token in a file readable only by the server and set ', h('code', null, 'JWKIT_ADMIN_TOKEN_FILE'), ' to its path. Then reload this page and enter the same token.'),
      )
    case 'need-token':
      return h('p', { class: 'muted', 'data-view': 'need-token' }, 'Enter the admin token above to see the stored keys. It is sent only to this server, as an Authorization: Bearer field.')
    case 'loading':
      return h('p', { class: 'muted' }, 'Loading…')
    case 'error':
      return h('p', { class: 'error', role: 'alert', 'data-view': 'error' }, state.error ?? 'The request failed.')
    case 'ready':
      break
  }
  const data = state.data!
  const { status, policy, keys } = data
  const timeline = buildTimeline(keys, policy, now)
  const zoom = state.zoom ?? { range: 'all' }
  const shown = keys.filter((k) => k.state !== 'removed')
  const removed = keys.length - shown.length
  return h('div', { 'data-view': 'ready' },
    h('section', { class: 'card', 'aria-labelledby': 'status-title' },
      h('h2', { id: 'status-title' }, 'Status'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Store'), h('dd', { 'data-fact': 'store' }, status.storeReachable ? 'reachable' : 'unreachable — serving the last-known set'),
        h('dt', null, 'Rotations'), h('dd', { 'data-fact': 'rotations' }, String(status.rotations), ' since this server started'),
        h('dt', null, 'Store errors'), h('dd', { 'data-fact': 'store-errors' }, String(status.storeErrors)),
        h('dt', null, 'Last sync'), h('dd', null, status.lastSyncAt === null ? '—' : dateAndRelative(status.lastSyncAt, now)),
        h('dt', null, 'Policy'), h('dd', null, `rotate every ${formatDuration(policy.rotateEvery)}; prepublish ${formatDuration(policy.prepublish)}; retired keys stay ${formatDuration(policy.retireGrace)}; set cached up to ${formatDuration(policy.jwksMaxAge)}`),
      ),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'schedule-title' },
      h('h2', { id: 'schedule-title' }, 'Schedule'),
      h('p', { class: 'muted' }, 'A rotation is due once the active key has signed for the rotation period (or at the time a requested rotation set) and the next key has been published for the prepublish period; the server applies it at its first scheduled check after that. "Rotate" waits for that period; "Rotate now" does not (an emergency).'),
      h('ul', { class: 'schedule' }, policy.algorithms.map((alg) => {
        const r = timeline.rotations.find((x) => x.alg === alg)
        const next = keys.filter((k) => k.alg === alg && k.state === 'next').find((k) => k.activateAt != null)
        return h('li', { 'data-alg': alg },
          h('span', null, `${alg}: next rotation `, r ? h('time', { datetime: new Date(r.at).toISOString(), 'data-next-rotation': alg }, dateAndRelative(r.at, now)) : 'when an active key exists',
            r?.successor ? ` (${r.successor} takes over)` : '', next ? ' — requested' : ''),
          ' ',
          h('button', { type: 'button', 'data-action': 'rotate', 'aria-label': `Rotate ${alg}`, onclick: () => handlers.request('rotate', { alg }) }, 'Rotate'),
          h('button', { type: 'button', class: 'danger', 'data-action': 'rotate-now', 'aria-label': `Rotate ${alg} now, without waiting (emergency)`, onclick: () => handlers.request('rotate-now', { alg }) }, 'Rotate now'),
        )
      })),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, 'Lifecycle'),
      zoomControls(zoom, timeline, handlers),
      h('div', { class: 'timeline-scroll', tabindex: '0', role: 'group', 'aria-label': 'Lifecycle timeline (scrolls sideways)' }, timelineSvg(timeline, windowOf(zoom, timeline))),
      legend(),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'keys-title' },
      h('h2', { id: 'keys-title' }, 'Keys'),
      h('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': 'Stored keys (scrolls sideways)' },
        h('table', { class: 'keys' },
          h('thead', null, h('tr', null, ['kid', 'alg', 'state', 'published', 'activated', 'retired', 'removed', 'actions'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, shown.map((k) => keyRow(k, now, handlers))),
        ),
      ),
      removed > 0 ? h('p', { class: 'muted' }, `${removed} removed key${removed === 1 ? '' : 's'} not listed (drawn on the timeline).`) : null,
    ),
    state.jwks ? h('section', { class: 'card', 'aria-labelledby': 'jwks-title' },
      h('h2', { id: 'jwks-title' }, 'JWK Set as served'),
      h('dl', { class: 'facts' },
        h('dt', null, 'URL'), h('dd', null, h('code', null, '/.well-known/jwks.json')),
        h('dt', null, 'Status'), h('dd', null, String(state.jwks.status)),
        h('dt', null, 'ETag'), h('dd', { 'data-fact': 'etag' }, h('code', null, state.jwks.etag ?? '—')),
        h('dt', null, 'Cache-Control'), h('dd', { 'data-fact': 'cache-control' }, h('code', null, state.jwks.cacheControl ?? '—')),
        h('dt', null, 'Content-Type'), h('dd', null, h('code', null, state.jwks.contentType ?? '—')),
      ),
      h('pre', { class: 'json', tabindex: '0', 'data-fact': 'jwks-body' }, prettyJson(state.jwks.body)),
    ) : null,
  )
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
