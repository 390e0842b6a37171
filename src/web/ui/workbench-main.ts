/**
 * @module web/ui/workbench-main
 * The workbench page (`GET /`): the "Input" textarea (paste, type, drop or open a file), the
 * report of src/web/logic/workbench-view.ts, key generation, and the token actions. Nothing is
 * stored (no localStorage, no sessionStorage) and nothing is fetched except on "Fetch and verify".
 */
import { analyze, type Analysis } from '../logic/analyze.ts'
import { GENERATE_CHOICES, generateChoice } from '../logic/generate.ts'
import { pointerRange } from '../logic/pointer.ts'
import { REASON_NAMES } from '../logic/remote-failure.ts'
import { decryptWithKeyText, verifyWithKeyText, verifyWithRemote, type Outcome } from '../logic/verify.ts'
import { h } from '../logic/vnode.ts'
import { summarize, workbenchView, type WorkbenchHandlers } from '../logic/workbench-view.ts'
import { byId, mount } from './dom.ts'

const input = byId<HTMLTextAreaElement>('input')
const file = byId<HTMLInputElement>('file')
const report = byId<HTMLElement>('report')
const notice = byId<HTMLElement>('notice')
const kind = byId<HTMLSelectElement>('generate-kind')
const actions = byId<HTMLElement>('token-actions')
const verifyKey = byId<HTMLTextAreaElement>('verify-key')
const verifyButton = byId<HTMLButtonElement>('verify')
const decryptButton = byId<HTMLButtonElement>('decrypt')
const remote = byId<HTMLInputElement>('remote')
const remoteKind = byId<HTMLSelectElement>('remote-kind')
const remoteBlock = byId<HTMLElement>('remote-block')

let analysis: Analysis = { kind: 'empty' }
let outcome: Outcome | undefined

const say = (text: string) => { notice.textContent = text }

const handlers: WorkbenchHandlers = {
  copy(text, what) {
    navigator.clipboard.writeText(text).then(() => say(`Copied the ${what}.`), () => say('The browser refused to copy; select the text and copy it.'))
  },
  download(filename, text) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }))
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
    say(`Saved ${filename}.`)
  },
  select(pointer) {
    const range = pointerRange(input.value, pointer)
    if (range === undefined) {
      say(`${pointer} is not found in the input.`)
      return
    }
    input.focus()
    input.setSelectionRange(range.start, range.end)
    // bring the selection into view: place the caret line near the top
    const before = input.value.slice(0, range.start).split('\n').length - 1
    input.scrollTop = Math.max(0, before * 20 - 40)
    say(`Selected ${pointer || 'the whole input'} in the input.`)
  },
}

function render(): void {
  mount(report, workbenchView({ analysis, now: Date.now(), ...(outcome ? { outcome } : {}) }, handlers))
  const token = analysis.kind === 'token' ? analysis.token : undefined
  actions.hidden = token === undefined
  verifyButton.hidden = token?.kind === 'jwe'
  remoteBlock.hidden = token?.kind === 'jwe'
  decryptButton.hidden = token?.kind !== 'jwe'
}

let timer: ReturnType<typeof setTimeout> | undefined
let analyses = 0
function update(): void {
  clearTimeout(timer)
  timer = setTimeout(() => {
    analysis = analyze(input.value, Date.now())
    outcome = undefined
    render()
    report.setAttribute('data-analysed-chars', String(input.value.length))
    report.setAttribute('data-analyses', String(++analyses)) // lets tests wait for this very analysis
    say(summarize(analysis))
    report.setAttribute('data-complete', String(analyses)) // every conversion is written synchronously: this analysis is complete
  }, 120)
}

input.addEventListener('input', update)

function bytesToText(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text
  } catch {
    // binary
  }
  // DER or CBOR: as base64, which the input recognises
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

async function load(f: File): Promise<void> {
  if (f.size > 1024 * 1024) {
    say(`${f.name} is over 1 MiB; not read.`)
    return
  }
  input.value = bytesToText(new Uint8Array(await f.arrayBuffer()))
  say(`Read ${f.name} (${f.size} bytes) in this page.`)
  update()
}

input.addEventListener('dragover', (e) => { e.preventDefault(); input.classList.add('dragging') })
input.addEventListener('dragleave', () => input.classList.remove('dragging'))
input.addEventListener('drop', (e) => {
  e.preventDefault()
  input.classList.remove('dragging')
  const f = e.dataTransfer?.files[0]
  if (f) void load(f)
})
file.addEventListener('change', () => {
  const f = file.files?.[0]
  if (f) void load(f)
  file.value = ''
})
byId<HTMLButtonElement>('clear').addEventListener('click', () => {
  input.value = ''
  verifyKey.value = ''
  update()
  input.focus()
})

mount(kind, GENERATE_CHOICES.map((c) => h('option', { value: c.id }, c.label)))
byId<HTMLButtonElement>('generate').addEventListener('click', () => {
  const id = kind.value
  say(`Generating ${id}…`)
  generateChoice(id).then(
    (jwk) => {
      input.value = JSON.stringify(jwk, null, 2)
      say(`Generated a ${id} key in this page.`)
      update()
    },
    (error: unknown) => say(`Cannot generate ${id}: ${error instanceof Error ? error.message : 'error'}`),
  )
})

function act(run: () => Promise<Outcome>): void {
  say('Working…')
  run().then((o) => {
    outcome = o
    render()
    say(o.ok ? o.message : `Refused: ${o.code}${o.reason ? `: ${REASON_NAMES[o.reason]}` : ''}`)
  }, (error: unknown) => say(error instanceof Error ? error.message : 'failed'))
}

const isJwt = () => analysis.kind === 'token' && analysis.token.kind === 'jwt'
verifyButton.addEventListener('click', () => act(() => verifyWithKeyText(input.value, verifyKey.value, isJwt(), Date.now())))
decryptButton.addEventListener('click', () => act(() => decryptWithKeyText(input.value, verifyKey.value)))
byId<HTMLButtonElement>('verify-remote').addEventListener('click', () => {
  const address = remote.value.trim()
  if (address === '') {
    say('Enter a JWKS URL or an issuer.')
    remote.focus()
    return
  }
  const source = remoteKind.value === 'issuer' ? { issuer: address } : { url: address }
  act(() => verifyWithRemote(input.value, source, isJwt(), Date.now(), (url, init) => fetch(url, { ...init, credentials: 'omit', referrerPolicy: 'no-referrer' }), location.origin))
})

render()
