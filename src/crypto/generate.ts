/**
 * @module crypto/generate
 * New keys as JWKs: RSA (RFC 7518 §6.3), EC P-256/P-384/P-521 (RFC 7518 §6.2) and secp256k1
 * (RFC 8812 §3.1), OKP Ed25519/Ed448/X25519/X448 (RFC 8037 §2), oct secrets sized for their
 * alg (RFC 7518 §3.2, §4.4, §4.7, §5.2, §5.3), and AKP ML-DSA-44/65/87
 * (draft-ietf-cose-dilithium). Key pairs come from the async `generateKeyPair`, so the event
 * loop stays free; every result passes `parseJwk`.
 */
import { generateKeyPair, randomBytes } from '#backend'
import type { KeyPairSpec } from '../backend/types.ts'
import { JwkitError } from '../errors.ts'
import { jweInfo, jwsInfo } from '../jwk/algorithms.ts'
import { parseJwk } from '../jwk/parse.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import type { AkpAlgorithm, EcCurve, Jwk, KeyOperation, KeySpec, KeyUse, OkpCurve } from '../jwk/types.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { keyObjectToJwk } from './export.ts'
import { generateMlDsaJwk, isMlDsaAlgorithm } from './ml-dsa.ts'
import { ownOptions, ownSnapshot } from '../util/dict.ts'

export interface GenerateJwkOptions {
  /** `kid` to set, or `'thumbprint'` for the RFC 7638 SHA-256 thumbprint of the new key. */
  kid?: string
  /** RFC 7517 §4.2 `use`; by default the alg's own (`sig` or `enc`) when the spec is an alg. */
  use?: KeyUse
  /** RFC 7517 §4.3 `key_ops` (when given, no default `use` is added: RFC 7517 §4.3 advises against both). */
  key_ops?: KeyOperation[]
  /** `alg` to set (for a `{ kty, … }` spec; an alg spec sets its own). */
  alg?: string
  /** Curve for an ECDH-ES* alg spec (default P-256), or for a `{ kty }` spec without `crv`. */
  crv?: EcCurve | OkpCurve
  /** RSA modulus bits for an RSA alg spec (default 2048, at least 2048). */
  size?: number
}

/** The smallest RSA modulus jwkit generates (RFC 7518 §3.3, §4.2: 2048 bits or larger). */
export const RSA_MIN_GENERATE_BITS = 2048
const RSA_MAX_GENERATE_BITS = 16384
const EC_CURVES: readonly string[] = ['P-256', 'P-384', 'P-521', 'secp256k1']
const OKP_CURVES: readonly string[] = ['Ed25519', 'Ed448', 'X25519', 'X448']

const refuse = (message: string): JwkitError => new JwkitError('ERR_KEY_GENERATION_FAILED', message)

/** What to generate, resolved from an alg or a KeySpec. */
interface Plan {
  kty: KeySpec['kty']
  crv?: string
  /** RSA modulus bits, or oct bytes. */
  size?: number
  akp?: AkpAlgorithm
  alg?: string
  use?: KeyUse
}

/** The plan for an alg name: the key type, curve and size the alg needs. */
function planForAlg(alg: string, options: GenerateJwkOptions): Plan {
  const rsaBits = options.size ?? RSA_MIN_GENERATE_BITS
  const sig = jwsInfo(alg)
  if (sig !== undefined) {
    switch (sig.kty) {
      case 'RSA': return { kty: 'RSA', size: rsaBits, alg, use: 'sig' }
      case 'EC': return { kty: 'EC', crv: sig.crv![0]!, alg, use: 'sig' }
      case 'OKP': return { kty: 'OKP', crv: sig.crv![0]!, alg, use: 'sig' } // EdDSA: Ed25519 (RFC 8037 §3.1)
      case 'oct': return { kty: 'oct', size: sig.minKeyBytes!, alg, use: 'sig' } // RFC 7518 §3.2: hash-sized key
      case 'AKP': return { kty: 'AKP', akp: alg as AkpAlgorithm, alg, use: 'sig' }
    }
  }
  const enc = jweInfo(alg)
  if (enc !== undefined) {
    if (enc.family === 'RSA-OAEP') return { kty: 'RSA', size: rsaBits, alg, use: 'enc' }
    if (enc.family === 'ECDH-ES') {
      const crv = options.crv ?? 'P-256'
      if (!enc.crv?.includes(crv)) throw refuse(`${alg} cannot use curve ${JSON.stringify(crv)}`)
      return { kty: EC_CURVES.includes(crv) ? 'EC' : 'OKP', crv, alg, use: 'enc' }
    }
    if (enc.keyBytes !== undefined) return { kty: 'oct', size: enc.keyBytes, alg, use: 'enc' }
    // RSA1_5 (RFC 8725 §3.2 advises against it), dir and PBES2 (no fixed key) are not generated.
    throw refuse(`jwkit does not generate keys for ${alg}`)
  }
  throw refuse(`unknown algorithm ${JSON.stringify(alg)}`)
}

/** The plan for a `{ kty, crv?, size? }` spec. */
function planForSpec(spec: KeySpec, options: GenerateJwkOptions): Plan {
  const alg = options.alg
  // A curve only means something for EC/OKP, a size only for RSA/oct: anything else is a mistake.
  if (spec.crv !== undefined && spec.kty !== 'EC' && spec.kty !== 'OKP') throw refuse(`${spec.kty} keys have no curve`)
  if (spec.size !== undefined && spec.kty !== 'RSA' && spec.kty !== 'oct') throw refuse(`${spec.kty} keys have no size option`)
  switch (spec.kty) {
    case 'RSA': return { kty: 'RSA', size: spec.size ?? RSA_MIN_GENERATE_BITS, ...(alg ? { alg } : {}) }
    case 'EC': return { kty: 'EC', crv: spec.crv ?? options.crv ?? 'P-256', ...(alg ? { alg } : {}) }
    case 'OKP': return { kty: 'OKP', crv: spec.crv ?? options.crv ?? 'Ed25519', ...(alg ? { alg } : {}) }
    case 'oct': {
      const fitted = alg === undefined ? undefined : (jwsInfo(alg)?.minKeyBytes ?? jweInfo(alg)?.keyBytes)
      if (spec.size !== undefined && spec.size % 8 !== 0) throw refuse(`oct key size ${spec.size} is not a whole number of bytes`)
      return { kty: 'oct', size: spec.size !== undefined ? spec.size / 8 : (fitted ?? 32), ...(alg ? { alg } : {}) }
    }
    case 'AKP': {
      const akp = spec.alg ?? alg ?? 'ML-DSA-65'
      if (!isMlDsaAlgorithm(akp)) throw refuse(`AKP keys are ML-DSA-44, ML-DSA-65 or ML-DSA-87, not ${JSON.stringify(akp)}`)
      return { kty: 'AKP', akp, alg: akp }
    }
    default:
      throw refuse(`unknown key type ${JSON.stringify((spec as { kty?: unknown }).kty)}`)
  }
}

async function keyMaterial(plan: Plan): Promise<Jwk> {
  switch (plan.kty) {
    case 'RSA': {
      const bits = plan.size!
      if (!Number.isSafeInteger(bits) || bits < RSA_MIN_GENERATE_BITS || bits > RSA_MAX_GENERATE_BITS || bits % 8 !== 0) {
        // RFC 7518 §3.3 / §4.2: "a key of size 2048 bits or larger MUST be used".
        throw refuse(`RSA size must be a multiple of 8 from ${RSA_MIN_GENERATE_BITS} to ${RSA_MAX_GENERATE_BITS} bits, not ${bits}`)
      }
      return keyObjectToJwk(await generateKeyPair({ kind: 'rsa', modulusLength: bits }))
    }
    case 'EC': {
      if (!EC_CURVES.includes(plan.crv!)) throw refuse(`EC keys use P-256, P-384, P-521 or secp256k1, not ${JSON.stringify(plan.crv)}`)
      return keyObjectToJwk(await generateKeyPair({ kind: 'ec', crv: plan.crv } as KeyPairSpec))
    }
    case 'OKP': {
      if (!OKP_CURVES.includes(plan.crv!)) throw refuse(`OKP keys use Ed25519, Ed448, X25519 or X448, not ${JSON.stringify(plan.crv)}`)
      return keyObjectToJwk(await generateKeyPair({ kind: 'okp', crv: plan.crv } as KeyPairSpec))
    }
    case 'oct': {
      const bytes = plan.size!
      if (!Number.isSafeInteger(bytes) || bytes < 16 || bytes > 1024) throw refuse(`oct key size must be 128 to 8192 bits, not ${bytes * 8}`)
      return { kty: 'oct', k: encodeBase64url(randomBytes(bytes)) }
    }
    case 'AKP':
      return generateMlDsaJwk(plan.akp!)
  }
}

/**
 * Generates a new private JWK (or `oct` secret). `spec` is an alg name (`RS256`, `PS384`,
 * `ES256K`, `EdDSA`, `Ed25519`, `HS512`, `A256GCM`, `RSA-OAEP-256`, `ECDH-ES`, `ML-DSA-65`, …),
 * whose key then carries that `alg` and its `use`, or `{ kty, crv?, size? }` (size in bits).
 * Throws `ERR_KEY_GENERATION_FAILED` for an unknown or disallowed spec (RSA under 2048 bits).
 */
export async function generateJwk(spec: string | KeySpec, options: GenerateJwkOptions = {}): Promise<Jwk> {
  if (typeof spec === 'object' && spec !== null) spec = ownOptions(spec) // own properties only
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  let plan: Plan
  if (typeof spec === 'string') {
    if (options.alg !== undefined && options.alg !== spec) throw refuse(`options.alg ${JSON.stringify(options.alg)} contradicts the spec ${JSON.stringify(spec)}`)
    plan = planForAlg(spec, options)
    // An alg fixes the curve (RFC 7518 §3.4, RFC 8037 §3.1) and the oct size: a different one is a mistake, not a wish.
    if (options.crv !== undefined && plan.crv !== options.crv) throw refuse(`${spec} keys do not use curve ${JSON.stringify(options.crv)}`)
    if (options.size !== undefined && plan.kty !== 'RSA' && !(plan.kty === 'oct' && plan.size! * 8 === options.size)) {
      throw refuse(`${spec} keys have a fixed size; size applies to RSA algorithms`)
    }
  } else if (typeof spec === 'object' && spec !== null && typeof spec.kty === 'string') {
    plan = planForSpec(spec, options)
  } else {
    throw new TypeError('generateJwk: spec must be an algorithm name or { kty, crv?, size? }')
  }
  plan = ownSnapshot(plan) as unknown as Plan // members the plan does not set read as absent
  const material = await keyMaterial(plan)
  const use = options.use ?? (options.key_ops === undefined ? plan.use : undefined)
  // Metadata first, then the key members (kty stays first).
  const { kty, ...members } = material as unknown as Record<string, unknown>
  const out: Record<string, unknown> = { kty }
  if (options.kid !== undefined && options.kid !== 'thumbprint') out.kid = options.kid
  if (use !== undefined) out.use = use
  if (options.key_ops !== undefined) out.key_ops = [...options.key_ops]
  if (plan.alg !== undefined) out.alg = plan.alg
  Object.assign(out, members)
  if (plan.kty === 'AKP') out.alg = plan.akp // AKP: alg is required and fixes the parameter set
  let jwk: Jwk
  try {
    // The one check of the new key (keyObjectToJwk does not check): it passes our own rules.
    jwk = parseJwk(out)
  } catch (error) {
    throw new JwkitError('ERR_KEY_GENERATION_FAILED', `the options do not give a valid key: ${(error as Error).message}`, { cause: error })
  }
  if (options.kid === 'thumbprint') {
    // RFC 7638 §1: a thumbprint is a natural kid.
    const { kty: keyType, ...rest } = jwk as unknown as Record<string, unknown>
    return { kty: keyType, kid: thumbprint(jwk, 'sha256'), ...rest } as unknown as Jwk
  }
  return jwk
}
