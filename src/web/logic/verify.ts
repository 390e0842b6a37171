/**
 * @module web/logic/verify
 * The workbench's explicit actions on a token: verify a JWS/JWT against a pasted key or JWK Set
 * (any format jwkit reads), or against a JWKS URL / an issuer's metadata (OpenID Connect
 * Discovery 1.0, RFC 8414) fetched by the browser — the only network request the page makes, and
 * only here; decrypt a JWE with a pasted key. Outcomes are plain data; nothing throws.
 */
import {
  createLocalJwks, createRemoteJwks, decryptJwe, isJwkitError, readKey, thumbprint, verifyJws, verifyJwt, type Jwk,
} from './jwkit.ts'
import type { KeySource } from '../../jws/index.ts'
import type { RemoteJwksOptions } from '../../jwks/index.ts'
import { diagnosingFetch, explainRemoteFailure, type RemoteFailureReason } from './remote-failure.ts'

export interface Outcome {
  ok: boolean
  /** The refusal's stable code (JwkitError), when not ok. */
  code?: string
  /** Why fetching a remote JWK Set failed (CORS, network, HTTP status, ...), when it did. */
  reason?: RemoteFailureReason
  message: string
  /** The key that verified or decrypted. */
  kid?: string
  thumbprint?: string
  alg?: string
  /** A JWE's plaintext as text (when UTF-8), and its size. */
  plaintext?: string
  plaintextBytes?: number
  claims?: Record<string, unknown>
}

const dec = new TextDecoder('utf-8', { fatal: true })

function refused(error: unknown): Outcome {
  if (isJwkitError(error)) return { ok: false, code: error.code, message: error.message }
  return { ok: false, code: 'ERR_UNEXPECTED', message: error instanceof Error ? error.message : 'failed' }
}

/** The key (or local key set) a pasted text holds. Throws a JwkitError when it holds none. */
export function keyInputFrom(text: string): Jwk | KeySource {
  const { jwk, jwks } = readKey(text)
  if (jwks) return createLocalJwks(jwks)
  return jwk!
}

function tokenInput(text: string): string | object {
  const t = text.trim()
  return t.startsWith('{') ? (JSON.parse(t) as object) : t
}

function verified(key: Jwk, alg: unknown, claims?: Record<string, unknown>): Outcome {
  return {
    ok: true,
    message: 'Signature verified',
    thumbprint: thumbprint(key),
    ...(key.kid !== undefined ? { kid: key.kid } : {}),
    ...(typeof alg === 'string' ? { alg } : {}),
    ...(claims ? { claims } : {}),
  }
}

async function verifyAgainst(tokenText: string, key: Jwk | KeySource, isJwt: boolean, now: number, explain: (error: unknown) => Outcome = refused): Promise<Outcome> {
  try {
    const token = tokenInput(tokenText)
    if (isJwt && typeof token === 'string') {
      const r = await verifyJwt(token, key, { currentDate: new Date(now) })
      return { ...verified(r.key, r.protectedHeader.alg, r.claims as Record<string, unknown>), message: 'Signature verified; claims valid (exp, nbf, iat)' }
    }
    const r = await verifyJws(token as string, key)
    return verified(r.key, r.protectedHeader.alg)
  } catch (error) {
    return explain(error)
  }
}

/** Verifies against a pasted key or JWK Set. */
export async function verifyWithKeyText(tokenText: string, keyText: string, isJwt: boolean, now: number): Promise<Outcome> {
  let key: Jwk | KeySource
  try {
    key = keyInputFrom(keyText)
  } catch (error) {
    return { ...refused(error), message: `The key cannot be read: ${isJwkitError(error) ? error.message : 'unknown format'}` }
  }
  return verifyAgainst(tokenText, key, isJwt, now)
}

/**
 * Verifies against a remote JWK Set: `source` is its URL, or an issuer whose metadata names it.
 * With `pageOrigin` (the page's own origin), a request refused by the browser is told apart from
 * a network failure (src/web/logic/remote-failure.ts); every fetch failure is said plainly.
 */
export async function verifyWithRemote(
  tokenText: string, source: { url: string } | { issuer: string }, isJwt: boolean, now: number, fetchFn?: RemoteJwksOptions['fetch'], pageOrigin?: string,
): Promise<Outcome> {
  const diagnosis = diagnosingFetch(fetchFn ?? ((url, init) => fetch(url, init)), pageOrigin)
  const explain = (error: unknown): Outcome => {
    const why = explainRemoteFailure(error, diagnosis.failure(), pageOrigin)
    return why === undefined ? refused(error) : { ok: false, code: why.code, reason: why.reason, message: why.message }
  }
  let remote: KeySource
  try {
    remote = createRemoteJwks('url' in source ? source.url : { issuer: source.issuer }, { fetch: diagnosis.fetch, timeoutMs: 10_000 })
  } catch (error) {
    return explain(error) // a URL the policy refuses: nothing was fetched
  }
  return verifyAgainst(tokenText, remote, isJwt, now, explain)
}

/** Decrypts a JWE with a pasted private or secret key. */
export async function decryptWithKeyText(jweText: string, keyText: string): Promise<Outcome> {
  try {
    const { jwk } = readKey(keyText)
    if (jwk === undefined) return { ok: false, code: 'ERR_JWK_INVALID', message: 'Give one key (not a set) to decrypt with' }
    const r = await decryptJwe(tokenInput(jweText) as string, jwk)
    let plaintext: string | undefined
    try {
      plaintext = dec.decode(r.plaintext)
    } catch {
      plaintext = undefined
    }
    return {
      ok: true,
      message: 'Decrypted',
      plaintextBytes: r.plaintext.length,
      thumbprint: thumbprint(jwk),
      ...(jwk.kid !== undefined ? { kid: jwk.kid } : {}),
      ...(typeof r.protectedHeader.alg === 'string' ? { alg: r.protectedHeader.alg } : {}),
      ...(plaintext !== undefined ? { plaintext } : {}),
    }
  } catch (error) {
    return refused(error)
  }
}
