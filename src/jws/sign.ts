/**
 * @module jws/sign
 * `signJws`: RFC 7515 §5.1 in the compact (§7.1), flattened (§7.2.2) and general (§7.2.1)
 * serializations, detached content (Appendix F) and unencoded payloads (RFC 7797). The key must
 * allow signing (RFC 7517 §4.2–4.4) and fit the algorithm; `alg: none` is never produced.
 */
import type { KeyLike as KeyObject } from '../crypto/key-handle.ts'
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { latin1Encode, utf8Decode, utf8Encode } from '#codec'
import { concatBytes } from '../util/bytes.ts'
import { signBytes, signWith } from '../crypto/sign.ts'
import type { JwsHeader } from './header.ts'
import { checkKeyFor, prepareKey } from './key-usage.ts'
import type { FlattenedJws, GeneralJws } from './verify.ts'
import { ownOptions } from '../util/dict.ts'

/** One signer of a general JWS. */
export interface JwsSigner {
  key: Jwk | KeyObject | string
  /** Default: the key's `alg`. */
  alg?: string
  kid?: string
  /** Extra protected header members. */
  protectedHeader?: JwsHeader
  /** Unprotected header members (JSON serializations only). */
  header?: JwsHeader
}

export interface SignJwsOptions {
  /** The algorithm; default: the key's `alg`. */
  alg?: string
  kid?: string
  /** Extra members of the protected header (e.g. `typ`, `cty`, `crit` extensions). */
  protectedHeader?: JwsHeader
  /** The unprotected header (flattened and general serializations only). */
  header?: JwsHeader
  serialization?: 'compact' | 'flattened' | 'general'
  /** Leave the payload out of the output (RFC 7515 Appendix F). */
  detached?: boolean
  /** `false`: RFC 7797 unencoded payload (adds `b64: false` and `crit: ["b64"]`). Default true. */
  b64?: boolean
  /** General serialization: more signers after the first (`key`, `alg`, ...). */
  signers?: readonly JwsSigner[]
}

/** Signs a payload; a string is signed as its UTF-8 octets. */
export async function signJws(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions & { serialization?: 'compact' }): Promise<string>
export async function signJws(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions & { serialization: 'flattened' }): Promise<FlattenedJws>
export async function signJws(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions & { serialization: 'general' }): Promise<GeneralJws>
export async function signJws(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions): Promise<string | FlattenedJws | GeneralJws>
export async function signJws(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions): Promise<string | FlattenedJws | GeneralJws> {
  return signJwsCore(payload, key, options, false)
}

/** {@link signJws}, synchronously: `ERR_JWK_UNSUPPORTED` where the runtime signs only asynchronously (WebCrypto). */
export function signJwsSync(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions): string | FlattenedJws | GeneralJws {
  return signJwsCore(payload, key, options, true) as string | FlattenedJws | GeneralJws
}

type Signed = { protected: string; header?: JwsHeader; signature: string }

/** The core of {@link signJws} (signJwt uses it too): synchronous where the backend is. */
export function signJwsCore(payload: Uint8Array | string, key: Jwk | KeyObject | string, options: SignJwsOptions, sync: boolean): string | FlattenedJws | GeneralJws | Promise<string | FlattenedJws | GeneralJws> {
  if (typeof options !== 'object' || options === null) throw new TypeError('signJws: options are required')
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const bytes = typeof payload === 'string' ? utf8Encode(payload) : payload
  if (!(bytes instanceof Uint8Array)) throw new TypeError('signJws: payload must be a string or a Uint8Array')
  const serialization = options.serialization ?? 'compact'
  const b64 = options.b64 ?? true
  if (serialization === 'compact' && options.header !== undefined) throw new TypeError('signJws: the compact serialization has no unprotected header; use protectedHeader')
  if (serialization !== 'general' && options.signers !== undefined) throw new TypeError('signJws: several signers need serialization "general"')
  const encodedPayload = b64 ? encodeBase64url(bytes) : utf8Decode(bytes)
  // RFC 7797 §5.2: an unencoded compact payload cannot contain a period (unless detached).
  if (!b64 && serialization === 'compact' && !options.detached && encodedPayload.includes('.')) {
    throw new JwkitError('ERR_JWS_INVALID', 'an unencoded (b64: false) compact payload cannot contain "."')
  }
  const payloadOctets = b64 ? latin1Encode(encodedPayload) : new Uint8Array(bytes)
  const signers: JwsSigner[] = [{ key, alg: options.alg, kid: options.kid, protectedHeader: options.protectedHeader, header: options.header }, ...(options.signers ?? []).map((s) => ownOptions(s, 'options.signers[i]'))]
  const pending = signers.map((s) => signOne(s, b64, payloadOctets, sync))
  if (pending.some((s) => s instanceof Promise)) return Promise.all(pending).then((all) => assemble(all, serialization, encodedPayload, options))
  return assemble(pending as Signed[], serialization, encodedPayload, options)
}

function assemble(signatures: Signed[], serialization: string, encodedPayload: string, options: SignJwsOptions): string | FlattenedJws | GeneralJws {
  if (serialization === 'compact') {
    const s = signatures[0]!
    return `${s.protected}.${options.detached ? '' : encodedPayload}.${s.signature}`
  }
  if (serialization === 'flattened') {
    const s = signatures[0]!
    return options.detached ? s : { payload: encodedPayload, ...s }
  }
  if (serialization !== 'general') throw new TypeError('signJws: serialization must be "compact", "flattened" or "general"')
  return options.detached ? { signatures } : { payload: encodedPayload, signatures }
}

function signOne(signer: JwsSigner, b64: boolean, payloadOctets: Uint8Array, sync: boolean): Signed | Promise<Signed> {
  // Own members only, of the signer and of its header (a polluted Object.prototype.alg or .kid is neither).
  signer = ownOptions({ ...signer, ...(signer.protectedHeader === undefined ? {} : { protectedHeader: ownOptions(signer.protectedHeader, 'options.protectedHeader') }) })
  const prepared = prepareKey(signer.key, 'sign')
  const alg = signer.alg ?? signer.protectedHeader?.alg ?? (typeof prepared.jwk.alg === 'string' ? prepared.jwk.alg : undefined)
  if (typeof alg !== 'string') throw new TypeError('signJws: options.alg is required when the key has no alg')
  if (alg.toLowerCase() === 'none') throw new JwkitError('ERR_ALG_NONE', 'alg "none" (unsecured JWS) is never produced')
  if (signer.protectedHeader?.alg !== undefined && signer.protectedHeader.alg !== alg) throw new TypeError('signJws: protectedHeader.alg differs from alg')
  if (signer.protectedHeader?.b64 !== undefined) throw new TypeError('signJws: set the unencoded payload option with options.b64, not protectedHeader.b64')
  const header: JwsHeader = ownOptions({ alg, ...signer.protectedHeader })
  header.alg = alg
  const kid = signer.kid ?? signer.protectedHeader?.kid
  if (kid !== undefined) header.kid = kid
  if (!b64) {
    // RFC 7797 §6: b64 must be integrity protected and listed in crit.
    header.b64 = false
    header.crit = [...new Set([...(header.crit ?? []), 'b64'])]
  }
  checkKeyFor(prepared, alg, 'sign', undefined)
  const protectedSegment = encodeBase64url(JSON.stringify(header))
  // RFC 7515 §5.1 step 5: ASCII(BASE64URL(protected) || '.' || payload).
  const data = concatBytes(latin1Encode(protectedSegment + '.'), payloadOctets)
  const raw = sync ? signBytes(alg, prepared.handle, data) : signWith(alg, prepared.handle, data) as Uint8Array | Promise<Uint8Array>
  const done = (bytes: Uint8Array): Signed => {
    const signature = encodeBase64url(bytes)
    return signer.header === undefined ? { protected: protectedSegment, signature } : { protected: protectedSegment, header: signer.header, signature }
  }
  return raw instanceof Uint8Array ? done(raw) : raw.then(done)
}
