/**
 * @module guard/nonce
 * Server-provided DPoP nonces (RFC 9449 §8, §9): unpredictable, rotating, and checkable by any
 * instance that shares the secret, with no storage. A nonce is the HMAC-SHA-256 of the current
 * time slot under the secret; the current and the previous slot are accepted, so a nonce lives
 * between one and two rotation periods. The syntax is RFC 9449 §8.1 (NQCHAR): base64url.
 */
import { hmac, randomBytes, secretKey } from '#backend'
import { encodeBase64url } from '../util/base64url.ts'
import { ownOptions } from '../util/dict.ts'

export interface DpopNonces {
  /** The nonce to hand out now (the `DPoP-Nonce` field). */
  current(): string
  /** True for the current or the previous slot's nonce. */
  check(nonce: string): boolean
}

export interface DpopNonceOptions {
  /** At least 32 bytes shared by every instance; default a random secret (one process). */
  secret?: Uint8Array
  /** Rotation period in ms; default 5 minutes. */
  rotateMs?: number
  /** The clock, in ms. */
  now?: () => number
}

/** Creates a rotating nonce source for `dpop: { nonces }`. */
export function createDpopNonces(options: DpopNonceOptions = {}): DpopNonces {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const secret = options.secret ?? randomBytes(32)
  if (!(secret instanceof Uint8Array) || secret.byteLength < 32) throw new TypeError('createDpopNonces: secret must be at least 32 bytes')
  const rotateMs = options.rotateMs ?? 300_000
  if (!Number.isFinite(rotateMs) || rotateMs < 1000) throw new RangeError('createDpopNonces: rotateMs must be at least 1000')
  const now = options.now ?? Date.now
  const key = secretKey(secret) // a copy held by the backend (a KeyObject on Node): later changes to the caller's bytes do not rotate it
  const encoder = new TextEncoder()
  // The backend HMACs synchronously for raw key bytes (node:crypto; @noble on the web backend).
  const compute = (slot: number) => encodeBase64url((hmac('sha256', key, encoder.encode(`jwkit-dpop-nonce:${slot}`)) as Uint8Array).subarray(0, 24))
  // The nonce of a slot never changes: the last two computed (current and previous) are kept.
  let slotA = NaN, nonceA = '', slotB = NaN, nonceB = ''
  const forSlot = (slot: number) => {
    if (slot === slotA) return nonceA
    if (slot === slotB) return nonceB
    const nonce = compute(slot)
    slotB = slotA
    nonceB = nonceA
    slotA = slot
    nonceA = nonce
    return nonce
  }
  // Constant time over two ASCII strings, with no allocation (TextEncoder + a byte compare cost ~1 µs more on Node).
  const equal = (a: string, b: string) => {
    if (a.length !== b.length) return false
    let diff = 0
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
    return diff === 0
  }
  return {
    current: () => forSlot(Math.floor(now() / rotateMs)),
    check(nonce) {
      if (typeof nonce !== 'string' || nonce.length !== 32) return false
      const slot = Math.floor(now() / rotateMs)
      return equal(nonce, forSlot(slot)) || equal(nonce, forSlot(slot - 1))
    },
  }
}
