/**
 * @module web/logic/workbench-view
 * The workbench's report region as a pure function: for keys, one card each (type, visibility,
 * kid/alg/use, thumbprint and URI with copy buttons, problems with their pointers, conversions
 * with copy and download, certificates); for a token, its headers, claims and times under an
 * UNVERIFIED label until a verification succeeded; for unreadable input, the refusal.
 */
import type { Analysis, KeyReport, TokenReport } from './analyze.ts'
import type { Problem } from './jwkit.ts'
import type { Outcome } from './verify.ts'
import { formatDate } from './time.ts'
import { h, type Child, type VNode } from './vnode.ts'

export interface WorkbenchHandlers {
  copy(text: string, what: string): void
  download(filename: string, text: string): void
  /** Selects the member at a JSON pointer in the input. */
  select(pointer: string): void
}

export interface WorkbenchState {
  analysis: Analysis
  now: number
  /** The last verification or decryption of the token shown. */
  outcome?: Outcome
}

const KIND_LABELS: Record<string, string> = {
  jwk: 'JWK', jwks: 'JWK Set', pem: 'PEM', ssh: 'OpenSSH public key', cose: 'COSE_Key', der: 'DER',
  jws: 'JWS', jwt: 'JWT', jwe: 'JWE',
}

function copyRow(label: string, value: string, handlers: WorkbenchHandlers, id: string): VNode {
  return h('div', { class: 'copy-row' },
    h('code', { 'data-value': id }, value),
    h('button', { type: 'button', 'aria-label': `Copy the ${label}`, onclick: () => handlers.copy(value, label) }, 'Copy'),
  )
}

function problemList(title: string, problems: readonly Problem[], handlers: WorkbenchHandlers, canSelect: boolean, cls: string): VNode | null {
  if (problems.length === 0) return null
  return h('div', { class: cls, 'data-problems': cls },
    h('h4', null, `${title} (${problems.length})`),
    h('ul', { class: 'problems' }, problems.map((p) => h('li', { 'data-pointer': p.path },
      canSelect
        ? h('button', { type: 'button', class: 'link', 'aria-label': `Select ${p.path || 'the whole input'} in the input`, onclick: () => handlers.select(p.path) }, h('code', null, p.path || '(whole input)'))
        : h('code', null, p.path || '(whole input)'),
      ' ', h('span', { class: 'code' }, p.code), ': ', p.message,
    ))),
  )
}

function keyCard(k: KeyReport, handlers: WorkbenchHandlers, json: boolean, now: number): VNode {
  const facts: Array<[string, Child, string?]> = [['Type', k.type, 'type']]
  if (k.visibility) facts.push(['Key', k.visibility, 'visibility'])
  if (k.kid !== undefined) facts.push(['kid', h('code', null, k.kid), 'kid'])
  if (k.alg !== undefined) facts.push(['alg', k.alg, 'alg'])
  if (k.use !== undefined) facts.push(['use', k.use, 'use'])
  if (k.keyOps) facts.push(['key_ops', k.keyOps.join(', '), 'key_ops'])
  const available = k.conversions.filter((c) => c.text !== undefined)
  const unavailable = k.conversions.filter((c) => c.text === undefined)
  return h('section', { class: 'card key', 'data-key': k.label, 'aria-label': k.label },
    h('h3', null, k.label, k.errors.length > 0 ? h('span', { class: 'error' }, ' — invalid') : null),
    h('dl', { class: 'facts' }, facts.map(([name, value, id]) => [h('dt', null, name), h('dd', { 'data-fact': id }, value)])),
    k.thumbprint ? h('div', null,
      h('h4', null, 'RFC 7638 thumbprint (SHA-256)'), copyRow('thumbprint', k.thumbprint, handlers, 'thumbprint'),
      h('h4', null, 'RFC 9278 thumbprint URI'), copyRow('thumbprint URI', k.thumbprintUri!, handlers, 'thumbprint-uri'),
    ) : null,
    problemList('Errors', k.errors, handlers, json, 'errors'),
    problemList('Warnings', k.warnings, handlers, json, 'warnings'),
    k.errors.length === 0 && k.warnings.length === 0 ? h('p', { class: 'ok', 'data-problems': 'none' }, 'checkJwk: no problem found.') : null,
    k.certificates.length > 0 ? h('div', { 'data-certificates': String(k.certificates.length) },
      h('h4', null, `Certificates (x5c, ${k.certificates.length})`),
      h('ol', null, k.certificates.map((c) => {
        const status = now < Date.parse(c.notBefore) ? ' — not yet valid' : now > Date.parse(c.notAfter) ? ' — expired' : ''
        return h('li', { 'data-cert': c.subject },
          h('dl', { class: 'facts' },
            h('dt', null, 'Subject'), h('dd', { 'data-fact': 'subject' }, c.subject),
            h('dt', null, 'Issuer'), h('dd', { 'data-fact': 'issuer' }, c.issuer),
            h('dt', null, 'Valid'), h('dd', { 'data-fact': 'validity' }, `${formatDate(Date.parse(c.notBefore))} to ${formatDate(Date.parse(c.notAfter))}${status}`),
            h('dt', null, 'SHA-256'), h('dd', null, h('code', null, c.fingerprint256)),
          ))
      })),
    ) : null,
    available.length > 0 ? h('div', null,
      h('h4', null, 'Conversions'),
      available.map((c) => h('div', { class: 'conversion', 'data-conversion': c.id },
        h('div', { class: 'row' }, h('strong', null, c.label),
          h('button', { type: 'button', 'aria-label': `Copy ${c.label}`, onclick: () => handlers.copy(c.text!, c.label) }, 'Copy'),
          h('button', { type: 'button', 'aria-label': `Download ${c.label} as ${c.filename}`, onclick: () => handlers.download(c.filename, c.text!) }, 'Download'),
        ),
        h('pre', { tabindex: '0', 'aria-label': c.label }, c.text!),
      )),
      unavailable.length > 0 ? h('p', { class: 'muted' }, 'Not available for this key: ', unavailable.map((c, i) => [i ? '; ' : '', `${c.label} (${c.unavailable})`])) : null,
    ) : null,
  )
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

function tokenCard(t: TokenReport, outcome: Outcome | undefined): VNode {
  const verified = outcome?.ok === true
  const verdict = t.kind === 'jwe'
    ? (verified ? h('span', { class: 'verdict verified', 'data-verdict': 'decrypted' }, 'DECRYPTED') : h('span', { class: 'verdict unverified', 'data-verdict': 'encrypted' }, 'ENCRYPTED'))
    : verified
      ? h('span', { class: 'verdict verified', 'data-verdict': 'verified' }, 'VERIFIED')
      : h('span', { class: 'verdict unverified', 'data-verdict': 'unverified' }, 'UNVERIFIED')
  return h('section', { class: 'card token', 'aria-label': KIND_LABELS[t.kind] ?? t.kind },
    h('h3', null, `${KIND_LABELS[t.kind]} (${t.serialization} serialization) `, verdict),
    t.kind !== 'jwe' && !verified ? h('p', { class: 'warning-text' }, 'Decoded, not verified: nothing below can be trusted until the signature is verified with a key you chose.') : null,
    outcome ? h('p', { class: outcome.ok ? 'ok' : 'error', role: 'status', 'data-outcome': outcome.ok ? 'ok' : 'failed', 'data-reason': outcome.reason },
      outcome.ok ? `${outcome.message}${outcome.kid ? ` with the key kid ${outcome.kid}` : ''}${outcome.thumbprint ? ` (thumbprint ${outcome.thumbprint})` : ''}${outcome.alg ? `, alg ${outcome.alg}` : ''}.` : `Refused: ${outcome.code}: ${outcome.message}`,
    ) : null,
    t.notes.length > 0 ? h('ul', { class: 'notes' }, t.notes.map((n) => h('li', { class: 'warning-text' }, n))) : null,
    t.headers.map((hd, i) => [h('h4', null, t.headers.length > 1 ? `Protected header ${i + 1}` : 'Protected header'), h('pre', { tabindex: '0', 'data-part': 'header' }, json(hd))]),
    t.unprotected ? [h('h4', null, 'Shared unprotected header'), h('pre', { tabindex: '0' }, json(t.unprotected))] : null,
    t.claims ? [h('h4', null, 'Claims'), h('pre', { tabindex: '0', 'data-part': 'claims' }, json(t.claims))] : null,
    t.payloadText !== undefined ? [h('h4', null, `Payload (${t.payloadBytes} bytes)`), h('pre', { tabindex: '0', 'data-part': 'payload' }, t.payloadText)] : null,
    t.times.length > 0 ? h('dl', { class: 'facts', 'data-part': 'times' }, t.times.map((x) => [
      h('dt', null, x.claim), h('dd', { 'data-time': x.claim, class: x.ok ? '' : 'error' }, `${x.text} — ${x.status}`),
    ])) : null,
    outcome?.ok && outcome.plaintext !== undefined ? [h('h4', null, `Plaintext (${outcome.plaintextBytes} bytes)`), h('pre', { tabindex: '0', 'data-part': 'plaintext' }, outcome.plaintext)] : null,
  )
}

/** The report region. */
export function workbenchView(state: WorkbenchState, handlers: WorkbenchHandlers): VNode {
  const a = state.analysis
  switch (a.kind) {
    case 'empty':
      return h('p', { class: 'muted', 'data-view': 'empty' }, 'Paste a key, a JWK Set, PEM, a certificate chain, an OpenSSH public key, a COSE_Key (hex or base64) or a JWS/JWT/JWE — or generate a key. Everything is computed in this page; nothing is sent anywhere.')
    case 'error':
      return h('div', { class: 'card', 'data-view': 'error', role: 'alert' },
        h('h3', null, 'Not readable'),
        h('p', { class: 'error' }, h('span', { 'data-code': a.code }, a.code), ': ', a.message),
        a.problems.length > 0 ? h('ul', { class: 'problems' }, a.problems.map((p) => h('li', null, h('code', null, p.path || '(whole input)'), ' ', p.message))) : null,
      )
    case 'token':
      return h('div', { 'data-view': 'token', 'data-kind': a.token.kind }, tokenCard(a.token, state.outcome))
    case 'keys': {
      const isJson = a.input === 'jwk' || a.input === 'jwks'
      return h('div', { 'data-view': 'keys', 'data-kind': a.input },
        h('p', { class: 'muted', 'data-detected': a.input }, `Recognised: ${KIND_LABELS[a.input] ?? a.input}${a.keys.length > 1 ? `, ${a.keys.length} keys` : ''}.`),
        a.notes.map((n) => h('p', { class: 'muted' }, n)),
        a.keys.map((k) => keyCard(k, handlers, isJson, state.now)),
      )
    }
  }
}

/** One sentence for the live status region after each analysis (screen readers hear what changed). */
export function summarize(a: Analysis): string {
  switch (a.kind) {
    case 'empty':
      return ''
    case 'error':
      return `Not readable: ${a.code}.`
    case 'token': {
      const t = a.token
      return `Recognised: ${KIND_LABELS[t.kind]} (${t.serialization}), ${t.kind === 'jwe' ? 'encrypted' : 'unverified'}.`
    }
    case 'keys': {
      const bad = a.keys.filter((k) => k.errors.length > 0).length
      const n = a.keys.length
      return `Recognised: ${KIND_LABELS[a.input] ?? a.input}, ${n} key${n === 1 ? '' : 's'}${bad > 0 ? `, ${bad} with errors` : ', no errors'}.`
    }
  }
}
