/**
 * @module web/logic/generate
 * Every kind of key jwkit generates (src/crypto/generate.ts), as the workbench offers them:
 * RSA (RFC 7518 §6.3), EC P-256/384/521 and secp256k1 (RFC 7518 §6.2, RFC 8812), OKP
 * Ed25519/Ed448/X25519/X448 (RFC 8037), oct secrets sized for their alg, and AKP ML-DSA.
 * Generated in the page; the private key is shown, never stored.
 */
import { generateJwk, type Jwk } from './jwkit.ts'

export interface GenerateChoice {
  id: string
  label: string
  spec: string | { kty: 'OKP'; crv: 'X25519' | 'X448' } | { kty: 'EC'; crv: 'P-256' | 'P-384' | 'P-521' }
  options?: { size?: number; crv?: 'P-256' | 'P-384' | 'P-521' | 'X25519' | 'X448' }
}

export const GENERATE_CHOICES: readonly GenerateChoice[] = [
  { id: 'ES256', label: 'EC P-256 — ES256', spec: 'ES256' },
  { id: 'ES384', label: 'EC P-384 — ES384', spec: 'ES384' },
  { id: 'ES512', label: 'EC P-521 — ES512', spec: 'ES512' },
  { id: 'ES256K', label: 'EC secp256k1 — ES256K', spec: 'ES256K' },
  { id: 'Ed25519', label: 'OKP Ed25519 — EdDSA / Ed25519', spec: 'Ed25519' },
  { id: 'Ed448', label: 'OKP Ed448 — Ed448', spec: 'Ed448' },
  { id: 'RS256', label: 'RSA 2048 — RS256', spec: 'RS256' },
  { id: 'RS256-3072', label: 'RSA 3072 — RS256', spec: 'RS256', options: { size: 3072 } },
  { id: 'PS256', label: 'RSA 2048 — PS256', spec: 'PS256' },
  { id: 'RSA-OAEP-256', label: 'RSA 2048 — RSA-OAEP-256 (encryption)', spec: 'RSA-OAEP-256' },
  { id: 'ECDH-ES-P-256', label: 'EC P-256 — ECDH-ES (encryption)', spec: 'ECDH-ES', options: { crv: 'P-256' } },
  { id: 'ECDH-ES-X25519', label: 'OKP X25519 — ECDH-ES (encryption)', spec: 'ECDH-ES', options: { crv: 'X25519' } },
  { id: 'X448', label: 'OKP X448 (key agreement)', spec: { kty: 'OKP', crv: 'X448' } },
  { id: 'HS256', label: 'oct 256 bits — HS256', spec: 'HS256' },
  { id: 'HS512', label: 'oct 512 bits — HS512', spec: 'HS512' },
  { id: 'A128KW', label: 'oct 128 bits — A128KW', spec: 'A128KW' },
  { id: 'A256GCM', label: 'oct 256 bits — A256GCM', spec: 'A256GCM' },
  { id: 'ML-DSA-44', label: 'AKP ML-DSA-44', spec: 'ML-DSA-44' },
  { id: 'ML-DSA-65', label: 'AKP ML-DSA-65', spec: 'ML-DSA-65' },
  { id: 'ML-DSA-87', label: 'AKP ML-DSA-87', spec: 'ML-DSA-87' },
]

/** A new key of a choice, with its RFC 7638 thumbprint as kid. */
export async function generateChoice(id: string): Promise<Jwk> {
  const choice = GENERATE_CHOICES.find((c) => c.id === id)
  if (choice === undefined) throw new RangeError(`no key choice ${id}`)
  return generateJwk(choice.spec as Parameters<typeof generateJwk>[0], { kid: 'thumbprint', ...(choice.options ?? {}) })
}
