// Shared by the JWS interop tests: one key pair per signature algorithm family, generated once per file.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'

export interface Pair { privateKey: KeyObject; publicKey: KeyObject }

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pairs: Record<string, Pair> = {
  RS: rsa, PS: rsa,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  EdDSA: generateKeyPairSync('ed25519'),
  Ed25519: generateKeyPairSync('ed25519'),
}

/** The pair for an asymmetric JWS alg (RS* and PS* share one RSA-2048 pair). */
export function pairFor(alg: string): Pair {
  const pair = pairs[alg] ?? pairs[alg.slice(0, 2)]
  if (pair === undefined) throw new Error(`no test key pair for ${alg}`)
  return pair
}
