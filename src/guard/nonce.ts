/**
 * @module guard/nonce
 * Server-provided DPoP nonces (RFC 9449 §8, §9): unpredictable, rotating, and checkable by any
 * instance that shares the secret, with no storage. A nonce is the HMAC-SHA-256 of the current
 * time slot under the secret; the current and the previous slot are accepted, so a nonce lives
 * between one and two rotation periods. The syntax is RFC 9449 §8.1 (NQCHAR): base64url.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

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
  const secret = options.secret ?? randomBytes(32)
  if (!(secret instanceof Uint8Array) || secret.byteLength < 32) throw new TypeError('createDpopNonces: secret must be at least 32 bytes')
  const rotateMs = options.rotateMs ?? 300_000
  if (!Number.isFinite(rotateMs) || rotateMs < 1000) throw new RangeError('createDpopNonces: rotateMs must be at least 1000')
  const now = options.now ?? Date.now
  const key = Buffer.from(secret)
  const forSlot = (slot: number) => createHmac('sha256', key).update(`jwkit-dpop-nonce:${slot}`).digest().subarray(0, 24).toString('base64url')
  const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
  return {
    current: () => forSlot(Math.floor(now() / rotateMs)),
    check(nonce) {
      if (typeof nonce !== 'string' || nonce.length !== 32) return false
      const slot = Math.floor(now() / rotateMs)
      return equal(nonce, forSlot(slot)) || equal(nonce, forSlot(slot - 1))
    },
  }
}
