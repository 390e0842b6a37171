/**
 * @module jwe/encrypt
 * `encryptJwe`: RFC 7516 §5.1 in the compact (§7.1), flattened JSON (§7.2.2) and general JSON
 * (§7.2.1, several recipients) serializations, with the key management of RFC 7518 §4 / RFC 8037
 * §3.2 and the content encryption of RFC 7518 §5. Each key must allow encryption (RFC 7517
 * §4.2–4.4) and fit its algorithm; RSA1_5 and PBES2 are never produced.
 */
import { JwkitError } from '../errors.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { latin1Encode, utf8Encode } from '#codec'
import { CONTENT_ENCRYPTION_ALGORITHMS, encryptContent, generateCek } from '../crypto/content-encryption.ts'
import { KEY_MANAGEMENT_ALGORITHMS, keyManagement, wrapKey } from '../crypto/key-management.ts'
import type { FlattenedJwe, GeneralJwe, JweRecipientJson } from './decrypt.ts'
import type { JweHeader } from './header.ts'
import { checkJweKey, prepareJweKey, type JweKey } from './key.ts'
import { deflatePlaintext } from './zip.ts'
import type { KeyInput } from '../jws/key-usage.ts'
import { ownOptions } from '../util/dict.ts'

/** One recipient of a general JWE (after the first, which is `key` and `options`). */
export interface JweRecipient {
  key: KeyInput
  /** Key management algorithm; default: the key's `alg`. */
  alg?: string
  kid?: string
  /** This recipient's unprotected header members. */
  header?: JweHeader
  /** ECDH-ES: PartyUInfo / PartyVInfo (RFC 7518 §4.6.1.2–3). */
  apu?: Uint8Array | string
  apv?: Uint8Array | string
}

export interface EncryptJweOptions {
  /** Content encryption algorithm (RFC 7518 §5.1), e.g. `A256GCM`. */
  enc: string
  /** Key management algorithm; default: the key's `alg`. */
  alg?: string
  kid?: string
  /** Extra protected header members (`typ`, `cty`, `crit` extensions, ...). */
  protectedHeader?: JweHeader
  /** Shared unprotected header (`unprotected`; JSON serializations only). */
  unprotectedHeader?: JweHeader
  /** The first recipient's unprotected header (`header`; JSON serializations only). */
  header?: JweHeader
  /** Additional authenticated data (`aad`; JSON serializations only). */
  aad?: Uint8Array | string
  /** `DEF`: compress before encrypting (RFC 7516 §4.1.3). Mind that compression leaks length. */
  zip?: 'DEF'
  apu?: Uint8Array | string
  apv?: Uint8Array | string
  serialization?: 'compact' | 'flattened' | 'general'
  /** General serialization: more recipients after the first. */
  recipients?: readonly JweRecipient[]
}

const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? utf8Encode(v) : v)

/** Encrypts a plaintext (a string is encrypted as its UTF-8 octets). */
export async function encryptJwe(plaintext: Uint8Array | string, key: KeyInput, options: EncryptJweOptions & { serialization?: 'compact' }): Promise<string>
export async function encryptJwe(plaintext: Uint8Array | string, key: KeyInput, options: EncryptJweOptions & { serialization: 'flattened' }): Promise<FlattenedJwe>
export async function encryptJwe(plaintext: Uint8Array | string, key: KeyInput, options: EncryptJweOptions & { serialization: 'general' }): Promise<GeneralJwe>
export async function encryptJwe(plaintext: Uint8Array | string, key: KeyInput, options: EncryptJweOptions): Promise<string | FlattenedJwe | GeneralJwe>
export async function encryptJwe(plaintext: Uint8Array | string, key: KeyInput, options: EncryptJweOptions): Promise<string | FlattenedJwe | GeneralJwe> {
  if (typeof options !== 'object' || options === null) throw new TypeError('encryptJwe: options are required')
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const data = bytesOf(plaintext)
  if (!(data instanceof Uint8Array)) throw new TypeError('encryptJwe: plaintext must be a string or a Uint8Array')
  const { enc } = options
  if (typeof enc !== 'string' || !CONTENT_ENCRYPTION_ALGORITHMS.includes(enc)) throw new TypeError(`encryptJwe: options.enc must be one of ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`)
  const serialization = options.serialization ?? 'compact'
  if (!['compact', 'flattened', 'general'].includes(serialization)) throw new TypeError('encryptJwe: serialization must be "compact", "flattened" or "general"')
  if (serialization === 'compact' && (options.unprotectedHeader !== undefined || options.header !== undefined || options.aad !== undefined)) {
    throw new TypeError('encryptJwe: the compact serialization has no unprotected header and no aad; use a JSON serialization')
  }
  if (serialization !== 'general' && options.recipients !== undefined) throw new TypeError('encryptJwe: several recipients need serialization "general"')
  if (options.zip !== undefined && options.zip !== 'DEF') throw new TypeError('encryptJwe: options.zip must be "DEF"')
  for (const name of ['alg', 'enc', 'zip'] as const) {
    if (options.protectedHeader?.[name] !== undefined) throw new TypeError(`encryptJwe: set ${name} with options.${name}, not protectedHeader.${name}`)
  }
  const recipients: JweRecipient[] = [{ key, alg: options.alg, kid: options.kid, header: options.header, apu: options.apu, apv: options.apv }, ...(options.recipients ?? []).map((r) => ownOptions(r, 'options.recipients[i]'))]
  const prepared = recipients.map((r) => {
    const k = prepareJweKey(r.key, 'encrypt')
    const alg = r.alg ?? defaultAlg(k, enc)
    checkJweKey(k, alg, enc, 'encrypt', undefined)
    return { r, k, alg }
  })
  const direct = prepared.some((p) => ['dir', 'ecdh-es'].includes(keyManagement(p.alg).family))
  // RFC 7516 §7.2.1 / RFC 7518 §4.5, §4.6: direct encryption or agreement fixes the CEK, so it
  // serves exactly one recipient.
  if (direct && prepared.length > 1) throw new TypeError('encryptJwe: dir and ECDH-ES (without key wrap) allow only one recipient')
  const shared = direct ? undefined : generateCek(enc)
  const wrapped = await Promise.all(prepared.map(async ({ r, k, alg }) => ({
    r,
    alg,
    // RSA-OAEP is asynchronous where WebCrypto is the backend.
    w: await wrapKey(alg, enc, k.handle, {
      ...(shared === undefined ? {} : { cek: shared }),
      ...(r.apu === undefined ? {} : { apu: bytesOf(r.apu) }),
      ...(r.apv === undefined ? {} : { apv: bytesOf(r.apv) }),
    }),
  })))
  const cek = shared ?? wrapped[0]!.w.cek
  const general = serialization === 'general'
  // Compact and flattened: everything in the protected header; general: per-recipient members
  // (alg, kid, epk, iv, tag, ...) go in each recipient's header.
  const protectedHeader: JweHeader = general ? { enc } : { alg: wrapped[0]!.alg, enc }
  if (options.zip === 'DEF') protectedHeader.zip = 'DEF'
  Object.assign(protectedHeader, options.protectedHeader)
  const recipientHeaders = wrapped.map(({ r, alg, w }) => {
    const own: JweHeader = general ? { alg } : {}
    if (r.kid !== undefined) own.kid = r.kid
    Object.assign(own, w.header)
    if (!general) {
      Object.assign(protectedHeader, own)
      return r.header
    }
    return disjoint({ ...r.header }, own)
  })
  for (const h of recipientHeaders) {
    disjoint(disjoint({ ...protectedHeader }, options.unprotectedHeader ?? {}), h ?? {})
  }
  const protectedSegment = encodeBase64url(JSON.stringify(protectedHeader))
  const aadSegment = options.aad === undefined ? undefined : encodeBase64url(bytesOf(options.aad))
  // RFC 7516 §5.1 step 14: the AAD is ASCII(BASE64URL(protected) ['.' BASE64URL(aad)]).
  const aad = latin1Encode(aadSegment === undefined ? protectedSegment : `${protectedSegment}.${aadSegment}`)
  const content = encryptContent(enc, cek, options.zip === 'DEF' ? await deflatePlaintext(data) : data, aad)
  const iv = encodeBase64url(content.iv)
  const ciphertext = encodeBase64url(content.ciphertext)
  const tag = encodeBase64url(content.tag)
  if (serialization === 'compact') return `${protectedSegment}.${encodeBase64url(wrapped[0]!.w.encryptedKey)}.${iv}.${ciphertext}.${tag}`
  const recipientJson = wrapped.map(({ w }, i): JweRecipientJson => {
    const out: JweRecipientJson = {}
    const h = recipientHeaders[i]
    if (h !== undefined && Object.keys(h).length > 0) out.header = h
    if (w.encryptedKey.length > 0) out.encrypted_key = encodeBase64url(w.encryptedKey)
    return out
  })
  const common = { protected: protectedSegment, ...(options.unprotectedHeader === undefined ? {} : { unprotected: options.unprotectedHeader }) }
  const tail = { iv, ciphertext, tag, ...(aadSegment === undefined ? {} : { aad: aadSegment }) }
  if (general) return { ...common, recipients: recipientJson, ...tail }
  return { ...common, ...recipientJson[0], ...tail }
}

/** The key's own key management `alg` (or `dir` for an oct key whose `alg` is `enc`). */
function defaultAlg(key: JweKey, enc: string): string {
  const alg = key.jwk.alg
  if (typeof alg === 'string' && KEY_MANAGEMENT_ALGORITHMS.includes(alg)) return alg
  if (key.jwk.kty === 'oct' && alg === enc) return 'dir'
  throw new TypeError('encryptJwe: options.alg is required when the key has no key management alg')
}

/** Adds `extra` to `target`, refusing a member name both have (RFC 7516 §7.2.1). */
function disjoint(target: JweHeader, extra: JweHeader): JweHeader {
  for (const name of Object.keys(extra)) {
    if (Object.hasOwn(target, name)) throw new JwkitError('ERR_JWE_INVALID', `JWE header member "${name.slice(0, 40)}" would appear in more than one header`)
    Object.defineProperty(target, name, { value: extra[name], enumerable: true, writable: true, configurable: true })
  }
  return target
}
