/**
 * @module web/logic/analyze
 * What the workbench shows for pasted text, computed by jwkit alone (nothing leaves the page):
 * it recognises a JWK or JWK Set (RFC 7517), PEM blocks (RFC 7468: SPKI, PKCS#8, PKCS#1, SEC1,
 * certificates and chains), an OpenSSH public key line (RFC 4253 §6.6), a COSE_Key (RFC 9052 §7)
 * as hex or base64, and compact or JSON JWS/JWT (RFC 7515, 7519) and JWE (RFC 7516). For each key:
 * type, size or curve, public or private, kid/alg/use, the RFC 7638 thumbprint and RFC 9278 URI,
 * `checkJwk`'s problems with their JSON pointers (errors and warnings apart), every conversion,
 * and the x5c certificates. For a token: its headers and claims, NumericDate claims as dates —
 * all UNVERIFIED until src/web/logic/verify.ts says otherwise.
 */
import {
  checkJwk, decodeBase64url, decodePem, describeX509, encodePem, isJwkitError, isPrivateJwk, parseJwk, parseJwkSet,
  readKey, thumbprint, thumbprintUri, toCose, toPem, toPublicJwk, toSsh, type Jwk, type Problem, type X509Description,
} from './jwkit.ts'
import { dateAndRelative, formatDuration } from './time.ts'

export type InputKind = 'jwk' | 'jwks' | 'pem' | 'ssh' | 'cose' | 'der' | 'jws' | 'jwt' | 'jwe'

export interface Conversion {
  id: 'jwk' | 'public-jwk' | 'spki' | 'pkcs8' | 'pkcs1' | 'sec1' | 'ssh' | 'cose'
  label: string
  filename: string
  /** The converted text, or why this format cannot hold the key. */
  text?: string
  unavailable?: string
}

export interface KeyReport {
  /** "key", "key 2 of 3", "PEM block 1 (PUBLIC KEY)". */
  label: string
  /** JSON pointer of this key in the input, when the input is JSON ('' or /keys/N). */
  base?: string
  jwk?: Jwk
  type: string
  visibility?: 'public' | 'private' | 'secret'
  kid?: string
  alg?: string
  use?: string
  keyOps?: string[]
  thumbprint?: string
  thumbprintUri?: string
  errors: Problem[]
  warnings: Problem[]
  conversions: Conversion[]
  certificates: X509Description[]
}

export interface TimeClaim {
  claim: 'iat' | 'nbf' | 'exp'
  at: number
  text: string
  /** "expires in 5 minutes", "expired 2 hours ago", "not valid for another 3 minutes", "issued 1 hour ago". */
  status: string
  ok: boolean
}

export interface TokenReport {
  kind: 'jws' | 'jwt' | 'jwe'
  serialization: 'compact' | 'json'
  /** The protected header (of each signature / the JWE), decoded; unprotected members apart. */
  headers: Array<Record<string, unknown>>
  unprotected?: Record<string, unknown>
  claims?: Record<string, unknown>
  /** The payload as text when it is not a JSON object (JWS), or undefined for a JWE. */
  payloadText?: string
  payloadBytes?: number
  times: TimeClaim[]
  /** Notes such as "alg none", "the header carries its own key (jwk): never trust it". */
  notes: string[]
}

export type Analysis =
  | { kind: 'empty' }
  | { kind: 'keys'; input: InputKind; keys: KeyReport[]; skipped: Problem[]; notes: string[] }
  | { kind: 'token'; input: InputKind; token: TokenReport }
  | { kind: 'error'; code: string; message: string; problems: Problem[] }

const MAX_INPUT = 1024 * 1024
const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: true })

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const asRecord = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(part)
  if (bytes === undefined) return undefined
  try {
    return asRecord(JSON.parse(dec.decode(bytes)))
  } catch {
    return undefined
  }
}

/** Bits of an unsigned big-endian integer given in base64url (RSA n). */
function bitLength(b64u: string): number {
  const bytes = decodeBase64url(b64u) ?? new Uint8Array()
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!))
}

/** "EC P-256", "RSA 2048 bits", "OKP Ed25519", "oct 256 bits", "AKP ML-DSA-65". */
export function describeType(jwk: Record<string, unknown>): string {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '?'
  if (kty === 'RSA' && typeof jwk.n === 'string') return `RSA ${bitLength(jwk.n)} bits`
  if ((kty === 'EC' || kty === 'OKP') && typeof jwk.crv === 'string') return `${kty} ${jwk.crv}`
  if (kty === 'oct' && typeof jwk.k === 'string') return `oct (symmetric) ${(decodeBase64url(jwk.k)?.length ?? 0) * 8} bits`
  if (kty === 'AKP' && typeof jwk.alg === 'string') return `AKP ${jwk.alg}`
  return kty
}

function attempt(make: () => string): { text: string } | { unavailable: string } {
  try {
    return { text: make() }
  } catch (error) {
    return { unavailable: isJwkitError(error) ? error.message : error instanceof Error ? error.message : 'not available' }
  }
}

/** Every output format jwkit writes, for one key (private formats only for a private key). */
export function conversionsOf(jwk: Jwk): Conversion[] {
  const priv = isPrivateJwk(jwk)
  const secret = jwk.kty === 'oct'
  const pub = secret ? undefined : toPublicJwk(jwk)
  const name = (jwk.kid ?? jwk.kty).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'key'
  const list: Array<[Conversion['id'], string, string, () => string]> = [
    ['jwk', priv ? 'JWK (private)' : 'JWK', `${name}.jwk.json`, () => JSON.stringify(jwk, null, 2)],
    ['public-jwk', 'public JWK', `${name}.pub.jwk.json`, () => {
      if (pub === undefined) throw new Error('a symmetric key has no public part')
      return JSON.stringify(pub, null, 2)
    }],
    ['spki', 'PEM SPKI (public)', `${name}.spki.pem`, () => toPem(pub ?? jwk, { format: 'spki' })],
    ['pkcs8', 'PEM PKCS#8 (private)', `${name}.pkcs8.pem`, () => {
      if (!priv || secret) throw new Error('needs a private key')
      return toPem(jwk, { format: 'pkcs8' })
    }],
    ['pkcs1', 'PEM PKCS#1 (RSA)', `${name}.pkcs1.pem`, () => toPem(jwk, { format: 'pkcs1' })],
    ['sec1', 'PEM SEC1 (EC private)', `${name}.sec1.pem`, () => {
      if (!priv) throw new Error('needs a private EC key')
      return toPem(jwk, { format: 'sec1' })
    }],
    ['ssh', 'OpenSSH public key', `${name}.pub`, () => toSsh(pub ?? jwk).trimEnd() + '\n'],
    ['cose', 'COSE_Key (hex)', `${name}.cose.hex`, () => hex(toCose(jwk))],
  ]
  return list.map(([id, label, filename, make]) => ({ id, label, filename, ...attempt(make) }))
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function certificatesOf(jwk: Record<string, unknown>): X509Description[] {
  const x5c = Array.isArray(jwk.x5c) ? jwk.x5c : []
  const out: X509Description[] = []
  for (const c of x5c) {
    if (typeof c !== 'string') continue
    try {
      out.push(describeX509(c))
    } catch {
      // checkJwk reports a bad x5c entry with its pointer
    }
  }
  return out
}

/** The report of one key: from a checked JWK, or (invalid) from the raw JSON and its problems. */
export function keyReport(label: string, raw: unknown, base?: string): KeyReport {
  const result = checkJwk(raw)
  const shift = (p: Problem): Problem => (base ? { ...p, path: base + p.path } : p)
  const errors = result.problems.filter((p) => p.severity === 'error').map(shift)
  const warnings = result.problems.filter((p) => p.severity === 'warning').map(shift)
  const rec = asRecord(typeof raw === 'string' ? safeJson(raw) : raw) ?? {}
  const report: KeyReport = { label, type: describeType(rec), errors, warnings, conversions: [], certificates: [], ...(base !== undefined ? { base } : {}) }
  for (const m of ['kid', 'alg', 'use'] as const) if (typeof rec[m] === 'string') report[m] = rec[m] as string
  if (Array.isArray(rec.key_ops)) report.keyOps = rec.key_ops.map(String)
  if (!result.valid) return report
  const jwk = parseJwk(raw as object) // normalised (canonical members)
  report.jwk = jwk
  report.type = describeType(jwk as unknown as Record<string, unknown>)
  report.visibility = jwk.kty === 'oct' ? 'secret' : isPrivateJwk(jwk) ? 'private' : 'public'
  report.thumbprint = thumbprint(jwk)
  report.thumbprintUri = thumbprintUri(jwk)
  report.conversions = conversionsOf(jwk)
  report.certificates = certificatesOf(jwk as unknown as Record<string, unknown>)
  return report
}

function failure(error: unknown): Analysis {
  if (isJwkitError(error)) return { kind: 'error', code: error.code, message: error.message, problems: [...(error.problems ?? [])] }
  return { kind: 'error', code: 'ERR_FORMAT_UNRECOGNIZED', message: error instanceof Error ? error.message : 'the input cannot be read', problems: [] }
}

function timesOf(claims: Record<string, unknown> | undefined, now: number): TimeClaim[] {
  if (claims === undefined) return []
  const out: TimeClaim[] = []
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const v = claims[claim]
    if (typeof v !== 'number' || !Number.isFinite(v)) continue
    const at = v * 1000
    const d = at - now
    let status: string
    let ok = true
    if (claim === 'exp') {
      ok = d > 0
      status = ok ? `expires in ${formatDuration(d)}` : `expired ${formatDuration(d)} ago`
    } else if (claim === 'nbf') {
      ok = d <= 0
      status = ok ? `valid since ${formatDuration(d)} ago` : `not valid for another ${formatDuration(d)}`
    } else {
      ok = d <= 60_000
      status = ok ? `issued ${formatDuration(d)} ago` : `issued in the future (${formatDuration(d)} ahead)`
    }
    out.push({ claim, at, text: dateAndRelative(at, now), status, ok })
  }
  return out
}

function headerNotes(headers: Array<Record<string, unknown>>): string[] {
  const notes: string[] = []
  for (const h of headers) {
    if (h.alg === 'none') notes.push('alg is "none": an unsecured JWS (RFC 7515 §A.5); jwkit never accepts it.')
    if (h.jwk !== undefined) notes.push('The header carries its own key (jwk): never trust a key that arrives with the token (RFC 8725 §3.10).')
    if (h.jku !== undefined || h.x5u !== undefined) notes.push('The header names a key URL (jku/x5u): the page does not fetch it; verify against a set you choose.')
  }
  return notes
}

function compactToken(text: string, now: number): Analysis | undefined {
  const parts = text.split('.')
  if (parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) {
    const header = decodeJsonPart(parts[0]!)
    if (header === undefined) return undefined
    const b64 = header.b64 !== false
    const bytes = b64 ? decodeBase64url(parts[1]!) : enc.encode(parts[1]!)
    if (bytes === undefined) return { kind: 'error', code: 'ERR_JWS_INVALID', message: 'JWS payload is not base64url', problems: [] }
    const { claims, payloadText } = readPayload(bytes)
    const token: TokenReport = {
      kind: claims ? 'jwt' : 'jws', serialization: 'compact', headers: [header], times: timesOf(claims, now), notes: headerNotes([header]),
      payloadBytes: bytes.length,
      ...(claims ? { claims } : payloadText !== undefined ? { payloadText } : {}),
    }
    return { kind: 'token', input: token.kind, token }
  }
  if (parts.length === 5 && parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) {
    const header = decodeJsonPart(parts[0]!)
    if (header === undefined) return undefined
    const token: TokenReport = { kind: 'jwe', serialization: 'compact', headers: [header], times: [], notes: [] }
    return { kind: 'token', input: 'jwe', token }
  }
  return undefined
}

/** A JWS payload as claims (a JSON object: a JWT), else as text when it is UTF-8. */
function readPayload(bytes: Uint8Array): { claims?: Record<string, unknown>; payloadText?: string } {
  let payloadText: string
  try {
    payloadText = dec.decode(bytes)
  } catch {
    return {}
  }
  try {
    const claims = asRecord(JSON.parse(payloadText))
    return claims ? { claims, payloadText } : { payloadText }
  } catch {
    return { payloadText }
  }
}

function jsonToken(value: Record<string, unknown>, now: number): Analysis | undefined {
  if (typeof value.ciphertext === 'string') {
    const header = typeof value.protected === 'string' ? decodeJsonPart(value.protected) ?? {} : {}
    const unprotected = asRecord(value.unprotected)
    const token: TokenReport = { kind: 'jwe', serialization: 'json', headers: [header], times: [], notes: [], ...(unprotected ? { unprotected } : {}) }
    return { kind: 'token', input: 'jwe', token }
  }
  if (typeof value.payload === 'string' && (typeof value.signature === 'string' || Array.isArray(value.signatures))) {
    const sigs = Array.isArray(value.signatures) ? value.signatures.map(asRecord).filter((s) => s !== undefined) : [value]
    const headers = sigs.map((s) => (typeof s.protected === 'string' ? decodeJsonPart(s.protected) ?? {} : {}))
    const bytes = decodeBase64url(value.payload)
    const { claims, payloadText } = bytes === undefined ? {} : readPayload(bytes)
    const token: TokenReport = {
      kind: claims ? 'jwt' : 'jws', serialization: 'json', headers, times: timesOf(claims, now), notes: headerNotes(headers),
      ...(bytes ? { payloadBytes: bytes.length } : {}),
      ...(claims ? { claims } : payloadText !== undefined ? { payloadText } : {}),
    }
    return { kind: 'token', input: token.kind, token }
  }
  return undefined
}

function pemKeys(text: string): Analysis {
  const blocks = decodePem(text).filter((b) => b.label !== 'EC PARAMETERS')
  const keyBlocks = blocks.filter((b) => b.label !== 'CERTIFICATE')
  if (keyBlocks.length <= 1) {
    // one key (with or without its chain) or a certificate chain: jwkit reads them together
    const { jwk } = readKey(text)
    const label = keyBlocks.length === 0 ? `certificate${blocks.length > 1 ? ` chain (${blocks.length} certificates)` : ''}` : `PEM ${keyBlocks[0]!.label}`
    return { kind: 'keys', input: 'pem', keys: [keyReport(label, jwk)], skipped: [], notes: [] }
  }
  // Several keys: each block on its own.
  const keys = blocks.map((b, i) => {
    try {
      return keyReport(`PEM block ${i + 1} (${b.label})`, readKey(encodePem(b.label, b.der)).jwk)
    } catch (error) {
      const message = isJwkitError(error) ? `${error.code}: ${error.message}` : 'cannot be read'
      return { label: `PEM block ${i + 1} (${b.label})`, type: 'unreadable', errors: [{ code: 'ERR_PEM_INVALID', path: '', message, severity: 'error' } as Problem], warnings: [], conversions: [], certificates: [] }
    }
  })
  return { kind: 'keys', input: 'pem', keys, skipped: [], notes: [`${blocks.length} PEM blocks, read one by one.`] }
}

/** Analyses pasted text at `now` (ms). Never throws: an unreadable input is an `error` analysis. */
export function analyze(input: string, now: number): Analysis {
  const text = input.trim()
  if (text === '') return { kind: 'empty' }
  if (text.length > MAX_INPUT) return { kind: 'error', code: 'ERR_INPUT_TOO_LARGE', message: `the input is ${text.length} characters, the limit is ${MAX_INPUT}`, problems: [] }
  try {
    if (text.startsWith('{')) {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        // let jwkit's strict parser say what is wrong, with its position
        return failure(tryStrict(text))
      }
      const rec = asRecord(value) ?? {}
      const token = jsonToken(rec, now)
      if (token) return token
      if (Object.hasOwn(rec, 'keys')) return jwkSet(text, rec)
      // duplicate members and the rest: checkJwk of the text itself
      return { kind: 'keys', input: 'jwk', keys: [keyReport('key', text, '')], skipped: [], notes: [] }
    }
    if (text.includes('-----BEGIN ')) return pemKeys(text)
    const compact = compactToken(text, now)
    if (compact) return compact
    const { jwk, jwks, format, comment } = readKey(text)
    if (jwks) return { kind: 'keys', input: 'jwks', keys: jwks.keys.map((k, i) => keyReport(`key ${i + 1} of ${jwks.keys.length}`, k)), skipped: [], notes: [] }
    const input: InputKind = format === 'ssh' ? 'ssh' : format === 'cose' ? 'cose' : format === 'der' ? 'der' : 'jwk'
    const label = format === 'ssh' ? 'OpenSSH public key' : format === 'cose' ? 'COSE_Key' : 'key'
    return { kind: 'keys', input, keys: [keyReport(label, jwk)], skipped: [], notes: comment ? [`SSH comment: ${comment}`] : [] }
  } catch (error) {
    return failure(error)
  }
}

function tryStrict(text: string): unknown {
  try {
    checkJwk(text)
    parseJwk(text)
    return new Error('the input is not JSON')
  } catch (error) {
    return error
  }
}

function jwkSet(text: string, rec: Record<string, unknown>): Analysis {
  const list = Array.isArray(rec.keys) ? rec.keys : undefined
  if (list === undefined) return failure(tryParseSet(text))
  // Each member checked on its own, so every problem of every key shows, with its /keys/N pointer;
  // what a relying party would skip (RFC 7517 §5) is said as well.
  let skipped: Problem[] = []
  const notes: string[] = []
  try {
    skipped = [...parseJwkSet(text).skipped]
  } catch (error) {
    if (isJwkitError(error)) notes.push(`As a set: ${error.code}: ${error.message}`)
  }
  if (skipped.length > 0) notes.push(`A verifier reading this set skips ${skipped.length} of its ${list.length} keys (RFC 7517 §5).`)
  const keys = list.map((k, i) => keyReport(`key ${i + 1} of ${list.length}`, k, `/keys/${i}`))
  return { kind: 'keys', input: 'jwks', keys, skipped, notes }
}

function tryParseSet(text: string): unknown {
  try {
    parseJwkSet(text)
    return new Error('not a JWK Set')
  } catch (error) {
    return error
  }
}
