/**
 * @module jwk/rules-rsa
 * Rules for `kty: "RSA"` keys: RFC 7518 §6.3 (public and private parameters), RFC 8017 §3.1–3.2
 * (the arithmetic that ties them together).
 */
import { fromBase64url } from '#codec'
import { compareBytes } from '../util/bytes.ts'
import { toBigInt } from './curves.ts'
import { fail, readBase64url, warn, type CheckContext } from './check-context.ts'
import { RSA_MIN_BITS } from './algorithms.ts'
import { hasRocaFingerprint } from './rsa-roca.ts'
import { decodeUIntToScratch, SCRATCH, smallUInt } from './rsa-uint.ts'

/** Larger moduli are refused: nothing uses them, and they make the checks slow. */
export const RSA_MAX_BITS = 16384
const CRT_MEMBERS = ['p', 'q', 'dp', 'dq', 'qi'] as const

/** Bit length of a big-endian unsigned integer without leading zero octets. */
function bitLength(bytes: Uint8Array): number {
  return bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!))
}

/**
 * RFC 7518 §2 Base64urlUInt: "The octet sequence MUST utilize the minimum number of octets
 * needed to represent the value" (zero is one zero octet).
 */
function readUInt(ctx: CheckContext, member: string, required: boolean): Uint8Array | undefined {
  const bytes = readBase64url(ctx, member, required, 'RSA key')
  if (bytes === undefined) return undefined
  if (bytes.length === 0 || (bytes[0] === 0 && bytes.length > 1)) {
    fail(ctx, 'ERR_JWK_INVALID', member, `RSA key: member ${member} is not the minimal octets of an integer (RFC 7518 §2 Base64urlUInt)`)
    return undefined
  }
  return bytes
}

/** What the rules need of a modulus that passed them. */
interface Modulus {
  readonly text: string
  readonly octets: number
  readonly bits: number
  /** The generation of {@link CHECKED_MODULI} it was checked in. */
  readonly generation: number
}

/**
 * Moduli that passed every modulus rule (canonical, minimal, odd, size, ROCA): those rules
 * depend on `n` alone, so a modulus seen again (the same JWK Set fetched again, the same key
 * imported per request) is not decoded and fingerprinted again. Bounded; emptied when full.
 * An entry counts only in the generation it was checked in, so forgetting them all is O(1).
 */
const CHECKED_MODULI = new Map<string, Modulus>()
const CHECKED_MODULI_MAX = 256
let generation = 0

/** Forgets the checked moduli (benchmarks measure the first check of a key with it). */
export function clearCheckedModuli(): void {
  generation++
}

function remember(text: string, octets: number, bits: number): Modulus {
  const modulus: Modulus = { text, octets, bits, generation }
  if (CHECKED_MODULI.size >= CHECKED_MODULI_MAX) CHECKED_MODULI.clear()
  CHECKED_MODULI.set(text, modulus)
  return modulus
}

const ROCA_MESSAGE = 'RSA key: the modulus has the ROCA fingerprint (CVE-2017-15361), it can be factored'

/** Reads `n` and applies the rules that depend on it alone; undefined when one fails. */
function readModulus(ctx: CheckContext): Modulus | undefined {
  const text = ctx.jwk.n
  if (typeof text === 'string') {
    const known = CHECKED_MODULI.get(text)
    if (known !== undefined && known.generation === generation) return known
    // First sight, no allocation: a modulus that passes every rule below passes here; anything
    // else goes on to the strict path, which reports it.
    const octets = decodeUIntToScratch(text)
    if (octets > 0 && SCRATCH[0] !== 0 && (SCRATCH[octets - 1]! & 1) === 1) {
      const bits = (octets - 1) * 8 + (32 - Math.clz32(SCRATCH[0]!))
      if (bits >= 512 && bits <= RSA_MAX_BITS) {
        if (hasRocaFingerprint(SCRATCH, octets)) {
          fail(ctx, 'ERR_JWK_WEAK_KEY', 'n', ROCA_MESSAGE)
          return undefined
        }
        return remember(text, octets, bits)
      }
    }
  }
  const n = readUInt(ctx, 'n', true)
  if (n === undefined) return undefined
  const bits = bitLength(n)
  if (bits > RSA_MAX_BITS) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'n', `RSA key: a ${bits}-bit modulus is larger than ${RSA_MAX_BITS} bits`)
    return undefined
  }
  // RFC 8017 §3.1: n is the product of odd primes, hence odd.
  if ((n[n.length - 1]! & 1) === 0 || bits < 512) {
    fail(ctx, 'ERR_JWK_INVALID', 'n', 'RSA key: member n is not an RSA modulus (even, or under 512 bits)')
    return undefined
  }
  // CVE-2017-15361: a ROCA modulus can be factored; no use of it is safe.
  if (hasRocaFingerprint(n)) {
    fail(ctx, 'ERR_JWK_WEAK_KEY', 'n', ROCA_MESSAGE)
    return undefined
  }
  return remember(text as string, n.length, bits)
}

/** Checks an RSA key; returns true when its public members are well-formed. */
export function checkRsaKey(ctx: CheckContext): boolean {
  const n = readModulus(ctx)
  const eSmall = smallUInt(ctx.jwk.e)
  const e = eSmall === undefined ? readUInt(ctx, 'e', true) : undefined
  // RFC 7518 §6.3.2.7: multi-prime keys ("oth") are not supported here.
  if (ctx.jwk.oth !== undefined) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'oth', 'RSA key: multi-prime keys (member oth) are not supported')
  }
  if (n === undefined || (eSmall === undefined && e === undefined)) return false
  // RFC 8017 §3.1: 3 <= e <= n - 1, and e odd (gcd(e, λ(n)) = 1 with λ(n) even). A small e
  // (< 2^48) is below any n of 7 octets or more (readModulus refuses under 512 bits).
  const eOk = eSmall !== undefined
    ? eSmall % 2 === 1 && eSmall >= 3 && n.octets > 6
    : (e![e!.length - 1]! & 1) === 1 && !(e!.length === 1 && e![0]! < 3) && e!.length <= n.octets && !(e!.length === n.octets && compareBytes(e!, fromBase64url(n.text)) >= 0)
  if (!eOk) {
    fail(ctx, 'ERR_JWK_INVALID', 'e', 'RSA key: member e must be odd, at least 3 and below n (RFC 8017 §3.1)')
    return false
  }
  const bits = n.bits
  if (bits < RSA_MIN_BITS) {
    // RFC 7518 §3.3, §4.2: 2048 bits or larger MUST be used; parsed, refused at use.
    warn(ctx, 'ERR_JWK_WEAK_KEY', 'n', `RSA key: ${bits}-bit modulus is under ${RSA_MIN_BITS} bits`)
  }
  const { jwk } = ctx
  if (jwk.d !== undefined || jwk.p !== undefined || jwk.q !== undefined || jwk.dp !== undefined || jwk.dq !== undefined || jwk.qi !== undefined) {
    checkRsaPrivate(ctx, fromBase64url(n.text), eSmall !== undefined ? BigInt(eSmall) : toBigInt(e!))
  }
  return true
}

function checkRsaPrivate(ctx: CheckContext, nBytes: Uint8Array, e: bigint): void {
  const present = CRT_MEMBERS.filter((m) => ctx.jwk[m] !== undefined)
  const dBytes = readUInt(ctx, 'd', false)
  if (ctx.jwk.d === undefined) {
    if (present.length > 0) fail(ctx, 'ERR_JWK_INVALID', present[0]!, `RSA key: member ${present[0]!} without member d`)
    return
  }
  // RFC 7518 §6.3.2: "If the producer includes any of the other private key parameters, then
  // all of the others MUST be present".
  if (present.length > 0 && present.length < CRT_MEMBERS.length) {
    const missing = CRT_MEMBERS.find((m) => ctx.jwk[m] === undefined)!
    fail(ctx, 'ERR_JWK_INVALID', missing, `RSA key: member ${missing} is missing (p, q, dp, dq, qi come all or none)`)
    return
  }
  const parts = CRT_MEMBERS.map((m) => readUInt(ctx, m, false))
  if (dBytes === undefined || (present.length > 0 && parts.some((x) => x === undefined))) return
  const n = toBigInt(nBytes)
  const d = toBigInt(dBytes)
  if (d < 1n || d >= n) {
    fail(ctx, 'ERR_JWK_INVALID', 'd', 'RSA key: member d is outside [1, n-1]')
    return
  }
  if (present.length === 0) {
    // RFC 7518 §6.3.2: the CRT members SHOULD be present; node:crypto cannot import without them.
    warn(ctx, 'ERR_JWK_UNSUPPORTED', 'd', 'RSA key: a private key without p, q, dp, dq, qi cannot be checked or imported')
    return
  }
  const [p, q, dp, dq, qi] = (parts as Uint8Array[]).map(toBigInt) as [bigint, bigint, bigint, bigint, bigint]
  // RFC 8017 §3.2: n = p·q.
  if (p < 2n || q < 2n || p * q !== n) {
    fail(ctx, 'ERR_JWK_INVALID', 'p', 'RSA key: p·q does not equal n')
    return
  }
  const p1 = p - 1n
  const q1 = q - 1n
  // RFC 8017 §3.2: e·d ≡ 1 (mod λ(n)), i.e. modulo p-1 and modulo q-1.
  if ((e * d) % p1 !== 1n || (e * d) % q1 !== 1n) {
    fail(ctx, 'ERR_JWK_INVALID', 'd', 'RSA key: e·d is not 1 modulo p-1 and q-1')
  }
  // RFC 8017 §3.2: dP = d mod (p-1), dQ = d mod (q-1), qInv·q ≡ 1 (mod p), qInv < p.
  if (dp !== d % p1) fail(ctx, 'ERR_JWK_INVALID', 'dp', 'RSA key: dp is not d mod (p-1)')
  if (dq !== d % q1) fail(ctx, 'ERR_JWK_INVALID', 'dq', 'RSA key: dq is not d mod (q-1)')
  if (qi >= p || (qi * q) % p !== 1n) fail(ctx, 'ERR_JWK_INVALID', 'qi', 'RSA key: qi·q is not 1 modulo p')
}
