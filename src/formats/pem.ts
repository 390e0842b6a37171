/**
 * @module formats/pem
 * PEM text (RFC 7468): `-----BEGIN LABEL-----`, a standard base64 body, `-----END LABEL-----`.
 * Several blocks may follow one another. jwkit is strict where RFC 7468 §2 lets parsers be lax:
 * nothing but whitespace may surround the blocks, the END label must match the BEGIN label, the
 * body must be canonical base64, and RFC 1421 headers (legacy `Proc-Type: 4,ENCRYPTED`) are refused.
 */
import { JwkitError } from '../errors.ts'
import { decodeBase64, encodeBase64 } from '../util/base64url.ts'
import type { DerKind } from './key-der.ts'

export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `PUBLIC KEY`. */
  readonly label: string
  readonly der: Uint8Array
}

/** Most text read as PEM (a long certificate chain fits easily). */
export const MAX_PEM_CHARS = 1024 * 1024
const MAX_BLOCKS = 32

/** RFC 7468 §3: labels are printable ASCII without `-`, words separated by single spaces. */
const BEGIN = /^-----BEGIN ((?:[\x21-\x2c\x2e-\x7e](?:[ ]?[\x21-\x2c\x2e-\x7e])*)?)-----$/
const END = /^-----END ((?:[\x21-\x2c\x2e-\x7e](?:[ ]?[\x21-\x2c\x2e-\x7e])*)?)-----$/

/** What each key label must contain (RFC 7468 §10-§13, RFC 8017, RFC 5915). */
export const KIND_BY_LABEL: Readonly<Record<string, DerKind>> = {
  'PUBLIC KEY': 'spki',
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
  'RSA PRIVATE KEY': 'pkcs1-private',
  'RSA PUBLIC KEY': 'pkcs1-public',
  'EC PRIVATE KEY': 'sec1',
  CERTIFICATE: 'certificate',
}

export const LABEL_BY_KIND: Readonly<Record<DerKind, string>> = Object.fromEntries(
  Object.entries(KIND_BY_LABEL).map(([label, kind]) => [kind, label]),
) as Record<DerKind, string>

const fail = (message: string): never => {
  throw new JwkitError('ERR_PEM_INVALID', message)
}

/** True when the text holds a PEM BEGIN line (a cheap test for format detection). */
export function looksLikePem(text: string): boolean {
  return /^\s*-----BEGIN /.test(text)
}

/** Decodes every PEM block of the text, in order. */
export function decodePem(text: string): PemBlock[] {
  if (typeof text !== 'string') throw new TypeError('PEM input must be a string')
  if (text.length > MAX_PEM_CHARS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `PEM text is ${text.length} characters, the limit is ${MAX_PEM_CHARS}`)
  const lines = text.split(/\r?\n/)
  const blocks: PemBlock[] = []
  let label: string | undefined
  let body: string[] = []
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/[ \t]+$/, '')
    const at = `line ${index + 1}`
    if (label === undefined) {
      if (line.trim() === '') continue
      const begin = BEGIN.exec(line)
      // RFC 7468 §2 allows text outside blocks; jwkit refuses it so garbage is never ignored.
      if (begin === null) fail(`${at}: text outside a PEM block`)
      label = begin![1]!
      body = []
      continue
    }
    const end = END.exec(line)
    if (end !== null) {
      if (end[1] !== label) fail(`${at}: END label does not match BEGIN label "${label}"`)
      if (body.length === 0) fail(`${at}: PEM block "${label}" has no body`)
      const der = decodeBase64(body.join(''))
      if (der === undefined || der.length === 0) fail(`PEM block "${label}" body is not canonical standard base64`)
      blocks.push({ label, der: der! })
      if (blocks.length > MAX_BLOCKS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `PEM text has more than ${MAX_BLOCKS} blocks`)
      label = undefined
      continue
    }
    if (line.includes(':')) {
      // RFC 7468 §5.2: no headers; RFC 1421 encrypted PEM is not supported.
      throw new JwkitError('ERR_JWK_UNSUPPORTED', `${at}: PEM headers (legacy RFC 1421 encryption) are not supported; use encrypted PKCS#8`)
    }
    const trimmed = line.trim()
    if (!/^[A-Za-z0-9+/=]*$/.test(trimmed)) fail(`${at}: PEM body has characters outside base64`)
    body.push(trimmed)
  }
  if (label !== undefined) fail(`PEM block "${label}" has no END line`)
  if (blocks.length === 0) fail('no PEM block found')
  return blocks
}

/** Encodes DER as one PEM block with 64-character lines (RFC 7468 §2). */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = encodeBase64(der)
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
