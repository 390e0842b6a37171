/**
 * @module web/ui/dashboard-main
 * The dashboard page (`GET /dashboard`): the admin token form, then the view of
 * src/web/logic/dashboard-view.ts over the admin API. The token is kept in a variable, or in
 * sessionStorage when "remember for this tab" is ticked (never localStorage), and is sent only as
 * `Authorization: Bearer` to this page's origin.
 */
import { AdminApiError, createAdminClient, isUsableToken, type FetchLike } from '../logic/admin-client.ts'
import { consequenceOf, type AdminAction } from '../logic/consequences.ts'
import { dashboardView, type DashboardState } from '../logic/dashboard-view.ts'
import { buildTimeline } from '../logic/timeline.ts'
import { RANGE_LABELS, shortcutOf, windowOf, zoomBy, type TimelineRange, type TimelineZoom, type ZoomAction } from '../logic/timeline-zoom.ts'
import { formatDate } from '../logic/time.ts'
import { byId, mount } from './dom.ts'
import { confirmAction } from './confirm.ts'

const STORAGE_KEY = 'jwkit-admin-token'
let token: string | undefined
try {
  token = sessionStorage.getItem(STORAGE_KEY) ?? undefined
} catch {
  token = undefined
}

const form = byId<HTMLFormElement>('token-form')
const input = byId<HTMLInputElement>('admin-token')
const remember = byId<HTMLInputElement>('remember-token')
const forget = byId<HTMLButtonElement>('forget-token')
const main = byId<HTMLElement>('dashboard-main')
const notice = byId<HTMLElement>('notice')
const dialog = byId<HTMLDialogElement>('confirm')
remember.checked = token !== undefined

const client = createAdminClient(fetch.bind(globalThis) as unknown as FetchLike, location.href, () => token)
let state: DashboardState = { mode: 'probing', now: Date.now() }
/** The timeline's zoom: kept across re-renders and reloads of the data (not across page loads). */
let zoom: TimelineZoom = { range: 'all' }

/** The regions that scroll sideways on a narrow screen. */
const SIDEWAYS = ['.timeline-scroll', '.table-scroll'] as const

/**
 * Draws the state. A refresh (the clock, or the data reloaded in the same view) keeps where the
 * reader scrolled the timeline and the table; a new view or a new zoom scrolls "now" into view.
 */
function render(refresh = false): void {
  const scrolled = refresh ? SIDEWAYS.map((selector) => main.querySelector(selector)?.scrollLeft) : undefined
  state = { ...state, now: Date.now(), zoom }
  // Re-rendering replaces the region's controls: keep the keyboard focus on the same one.
  const focused = document.activeElement
  const inRegion = focused instanceof HTMLElement && main.contains(focused)
  const focusId = inRegion && focused.id !== '' ? focused.id : null
  const focusKey = inRegion ? focused.getAttribute('aria-label') : null
  mount(main, dashboardView(state, { request: (action, target) => void act(action, target), zoom: (to) => setZoom(to) }))
  if (focusId !== null) document.getElementById(focusId)?.focus()
  else if (focusKey !== null) main.querySelector<HTMLElement>(`[aria-label="${CSS.escape(focusKey)}"]`)?.focus()
  if (scrolled === undefined) showNow()
  else SIDEWAYS.forEach((selector, i) => {
    const scroller = main.querySelector(selector)
    if (scroller !== null && scrolled[i] !== undefined) scroller.scrollLeft = scrolled[i]
  })
  forget.hidden = token === undefined
}

function say(text: string): void {
  notice.textContent = text
}

/** On a narrow screen the timeline scrolls sideways: scroll it so that the "now" line is in view. */
function showNow(): void {
  const scroller = main.querySelector<HTMLElement>('.timeline-scroll')
  const line = scroller?.querySelector('.now-line')
  if (!scroller || !line || scroller.scrollWidth <= scroller.clientWidth) return
  const box = scroller.getBoundingClientRect()
  const at = line.getBoundingClientRect().left - box.left + scroller.scrollLeft
  scroller.scrollLeft = Math.max(0, at - scroller.clientWidth / 3)
}

function setZoom(to: ZoomAction | TimelineRange): void {
  if (state.mode !== 'ready' || state.data === undefined) return
  const timeline = buildTimeline(state.data.keys, state.data.policy, Date.now())
  zoom = to === 'in' || to === 'out' || to === 'fit' ? zoomBy(zoom, to, timeline) : { range: to }
  render()
  const w = windowOf(zoom, timeline)
  const what = zoom.range === 'custom' ? 'zoomed' : RANGE_LABELS[zoom.range].toLowerCase()
  say(`Timeline (${what}): ${formatDate(w.from)} to ${formatDate(w.to)}.`)
}

// + / - / 0 zoom the timeline, unless typing in a field (or with Ctrl/Meta/Alt: the browser's own zoom).
document.addEventListener('keydown', (event) => {
  if (state.mode !== 'ready' || dialog.open) return
  const target = event.target instanceof HTMLElement ? event.target : document.body
  const action = shortcutOf(event.key, { tag: target.tagName, editable: target.isContentEditable }, { ctrl: event.ctrlKey, meta: event.metaKey, alt: event.altKey })
  if (action === undefined) return
  event.preventDefault()
  setZoom(action)
})

async function load(): Promise<void> {
  if (token === undefined) {
    state = { mode: 'need-token', now: Date.now() }
    render()
    return
  }
  const reload = state.mode === 'ready'
  state = { ...state, mode: reload ? 'ready' : 'loading' }
  try {
    const [data, jwks] = await Promise.all([client.list(), client.jwks()])
    state = { mode: 'ready', now: Date.now(), data, jwks }
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 401) {
      state = { mode: 'error', now: Date.now(), error: 'The server refused this admin token (401). Check it and try again.' }
    } else {
      state = { mode: 'error', now: Date.now(), error: error instanceof Error ? error.message : 'the request failed' }
    }
  }
  render(reload && state.mode === 'ready')
}

async function act(action: AdminAction, target: { kid?: string; alg?: string }): Promise<void> {
  if (state.data === undefined) return
  const consequence = consequenceOf(action, target, state.data.keys, state.data.policy, Date.now())
  const label = action === 'rotate' ? 'Rotate' : action === 'rotate-now' ? 'Rotate now' : action === 'retire' ? 'Retire' : 'Revoke'
  if (!(await confirmAction(dialog, consequence, label))) {
    say('Cancelled; nothing changed.')
    return
  }
  try {
    if (action === 'rotate' || action === 'rotate-now') await client.rotate(target.alg, action === 'rotate-now')
    else if (action === 'retire') await client.retire(target.kid!)
    else await client.revoke(target.kid!)
    say(action === 'rotate' ? `Rotation of ${target.alg ?? ''} requested.` : action === 'rotate-now' ? `Rotated ${target.alg ?? ''} now.` : `Key ${target.kid} ${action}d.`)
  } catch (error) {
    say(`The ${action} failed: ${error instanceof Error ? error.message : 'error'}`)
  }
  await load()
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const value = input.value.trim()
  if (!isUsableToken(value)) {
    say('An admin token is 16 or more characters of A–Z, a–z, 0–9 and -._~+/.')
    input.focus()
    return
  }
  token = value
  input.value = ''
  try {
    if (remember.checked) sessionStorage.setItem(STORAGE_KEY, value)
    else sessionStorage.removeItem(STORAGE_KEY)
  } catch {
    // storage refused (private mode): the token stays in memory only
  }
  say('Token set.')
  void load()
})

remember.addEventListener('change', () => {
  try {
    if (!remember.checked) sessionStorage.removeItem(STORAGE_KEY)
    else if (token !== undefined) sessionStorage.setItem(STORAGE_KEY, token)
  } catch {
    // ignore
  }
})

forget.addEventListener('click', () => {
  token = undefined
  try {
    sessionStorage.removeItem(STORAGE_KEY)
  } catch {
    // ignore
  }
  remember.checked = false
  say('Token forgotten.')
  void load()
})

render()
client.probe().then(
  (found) => {
    if (found === 'disabled') {
      state = { mode: 'disabled', now: Date.now() }
      form.hidden = true
      render()
    } else {
      void load()
    }
  },
  (error: unknown) => {
    state = { mode: 'error', now: Date.now(), error: `The server cannot be reached: ${error instanceof Error ? error.message : 'error'}` }
    render()
  },
)
// Relative times stay true while the page is open.
setInterval(() => { if (state.mode === 'ready' && dialog.open === false) render(true) }, 30_000)
