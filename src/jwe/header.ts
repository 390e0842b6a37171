/**
 * @module jwe/header
 * The JOSE header of a JWE (RFC 7516 §4, §7.2.1): strict parsing of the protected header, the
 * union of protected, shared unprotected and per-recipient headers (member names disjoint), the
 * member types of the registered parameters (RFC 7516 §4.1, RFC 7518 §4.6.1, §4.7.1), `zip`
 * (RFC 7516 §4.1.3) and `crit` (RFC 7516 §4.1.13, as RFC 7515 §4.1.11).
 */
import { JwkitError } from '../errors.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { MAX_HEADER_BYTES, MAX_JSON_DEPTH, safe } from '../jws/header.ts'
import { ownSnapshot, readOwn } from '../util/dict.ts'

/** A JWE JOSE header as parsed: member names kept as the RFCs spell them. */
export interface JweHeader {
  alg?: string
  enc?: string
  zip?: string
  kid?: string
  typ?: string
  cty?: string
  crit?: string[]
  epk?: Record<string, unknown>
  apu?: string
  apv?: string
  iv?: string
  tag?: string
  [member: string]: unknown
}

/** RFC 7516 §4.1.13 / RFC 7515 §4.1.11: crit must not name parameters the specifications define. */
const REGISTERED = new Set([
  'alg', 'enc', 'zip', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit',
  'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c',
])

const STRING_MEMBERS = ['alg', 'enc', 'zip', 'kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256', 'apu', 'apv', 'iv', 'tag', 'p2s'] as const

/** Decodes and strictly parses a protected header segment (non-empty canonical base64url JSON object). */
export function parseJweProtectedHeader(segment: string): JweHeader {
  const bytes = decodeBase64url(segment)
  // RFC 7516 §5.2 steps 2–3: canonical base64url of a JSON object; duplicates refused.
  if (bytes === undefined || segment.length === 0) throw new JwkitError('ERR_JWE_INVALID', 'JWE protected header is not canonical base64url')
  if (bytes.length > MAX_HEADER_BYTES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `JWE protected header is ${bytes.length} bytes, the limit is ${MAX_HEADER_BYTES}`)
  const value = parseJsonStrict(bytes, { maxBytes: MAX_HEADER_BYTES, maxDepth: MAX_JSON_DEPTH, code: 'ERR_JWE_INVALID', what: 'JWE protected header' })
  if (!isJsonObject(value)) throw new JwkitError('ERR_JWE_INVALID', 'JWE protected header is not a JSON object')
  return value as JweHeader
}

/** What the checks of a joined header give the decrypter. */
export interface CheckedJweHeader {
  readonly alg: string
  readonly enc: string
  readonly zip: 'DEF' | undefined
  /** The union of the three headers (RFC 7516 §5.2 step 5). */
  readonly joined: JweHeader
}

/**
 * Checks and joins the headers of one recipient (RFC 7516 §5.2 steps 4–5): disjoint member names,
 * member types, `alg` and `enc` present, `zip` protected and `DEF`, `crit` protected and understood.
 */
export function joinJweHeaders(
  protectedHeader: JweHeader,
  shared: JweHeader | undefined,
  recipient: JweHeader | undefined,
  crit: readonly string[] | undefined,
): CheckedJweHeader {
  // Own members only, of each header: a polluted Object.prototype.zip or .epk is no member.
  protectedHeader = readOwn(protectedHeader, 'ERR_JWE_INVALID', 'the JWE protected header') as JweHeader
  if (shared !== undefined) shared = readOwn(shared, 'ERR_JWE_INVALID', 'the JWE shared unprotected header') as JweHeader
  if (recipient !== undefined) recipient = readOwn(recipient, 'ERR_JWE_INVALID', 'the JWE per-recipient header') as JweHeader
  const joined: JweHeader = ownSnapshot(protectedHeader) as JweHeader // own members only: an inherited crit or zip is none
  for (const [part, where] of [[shared, 'shared unprotected'], [recipient, 'per-recipient']] as const) {
    if (part === undefined) continue
    checkTypes(part, where)
    for (const name of Object.keys(part)) {
      // RFC 7516 §7.2.1: the member names of the three headers must be disjoint.
      if (Object.hasOwn(joined, name)) throw new JwkitError('ERR_JWE_INVALID', `JWE header member "${safe(name)}" appears in more than one header`)
      // defineProperty: a member named "__proto__" stays a plain member, never a prototype.
      Object.defineProperty(joined, name, { value: part[name], enumerable: true, writable: true, configurable: true })
    }
  }
  checkTypes(protectedHeader, 'protected')
  const { alg, enc } = joined
  if (typeof alg !== 'string' || alg.length === 0) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member alg is missing or not a string')
  if (typeof enc !== 'string' || enc.length === 0) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member enc is missing or not a string')
  let zip: 'DEF' | undefined
  if (joined.zip !== undefined) {
    // RFC 7516 §4.1.3: zip MUST be integrity protected; RFC 7518 §7.3: "DEF" is the one value.
    if (!Object.hasOwn(protectedHeader, 'zip')) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member zip must be in the protected header')
    if (joined.zip !== 'DEF') throw new JwkitError('ERR_JWE_INVALID', `JWE header member zip ${JSON.stringify(safe(String(joined.zip)))} is not supported (only DEF)`)
    zip = 'DEF'
  }
  if (joined.crit !== undefined) checkCrit(protectedHeader, joined.crit, crit)
  return { alg, enc, zip, joined }
}

function checkCrit(protectedHeader: JweHeader, value: unknown, understood: readonly string[] | undefined): void {
  // RFC 7516 §4.1.13 (RFC 7515 §4.1.11): crit is integrity protected, a non-empty array of
  // distinct names, none registered, each understood and present in the protected header.
  if (!Object.hasOwn(protectedHeader, 'crit')) throw new JwkitError('ERR_JWE_CRIT_UNSUPPORTED', 'JWE header member crit must be in the protected header')
  if (!Array.isArray(value) || value.length === 0) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member crit must be a non-empty array of names')
  const seen = new Set<string>()
  for (const name of value) {
    if (typeof name !== 'string' || name.length === 0 || seen.has(name)) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member crit must list distinct non-empty names')
    seen.add(name)
    if (REGISTERED.has(name)) throw new JwkitError('ERR_JWE_INVALID', `JWE header member crit names the registered parameter "${name}"`)
    if (!(understood ?? []).includes(name)) throw new JwkitError('ERR_JWE_CRIT_UNSUPPORTED', `JWE header crit names extension "${safe(name)}", which is not understood`)
    if (!Object.hasOwn(protectedHeader, name)) throw new JwkitError('ERR_JWE_CRIT_UNSUPPORTED', `JWE header crit names "${safe(name)}", which is not in the protected header`)
  }
}

function checkTypes(header: JweHeader, where: string): void {
  for (const name of STRING_MEMBERS) {
    if (header[name] !== undefined && typeof header[name] !== 'string') throw new JwkitError('ERR_JWE_INVALID', `JWE ${where} header member ${name} must be a string`)
  }
  if (header.epk !== undefined && !isJsonObject(header.epk)) throw new JwkitError('ERR_JWE_INVALID', `JWE ${where} header member epk must be a JSON object`)
  if (header.jwk !== undefined && !isJsonObject(header.jwk)) throw new JwkitError('ERR_JWE_INVALID', `JWE ${where} header member jwk must be a JSON object`)
  if (header.x5c !== undefined && !(Array.isArray(header.x5c) && header.x5c.every((c) => typeof c === 'string'))) {
    throw new JwkitError('ERR_JWE_INVALID', `JWE ${where} header member x5c must be an array of strings`)
  }
}

/** Decodes an optional base64url header member (`apu`, `apv`, `iv`, `tag`); refuses non-canonical text. */
export function headerBytes(header: JweHeader, name: 'apu' | 'apv' | 'iv' | 'tag'): Uint8Array | undefined {
  const value = header[name]
  if (value === undefined) return undefined
  const bytes = typeof value === 'string' ? decodeBase64url(value) : undefined
  if (bytes === undefined) throw new JwkitError('ERR_JWE_INVALID', `JWE header member ${name} is not canonical base64url`)
  return bytes
}
