/**
 * JWK model bench: parse + full check of a public P-256, RSA-2048 and Ed25519 JWK (`parseJwk`),
 * `importJwk` (parse + check + node:crypto import), and RFC 7638 thumbprints; against `jose`
 * (`importJWK`, `calculateJwkThumbprint`) and the node:crypto floor (`createPublicKey({ format:
 * 'jwk' })`, which checks nothing jwkit checks; and one SHA-256 over the canonical JSON).
 * RSA is measured twice: "first sight" (the modulus check cache emptied before every call) and
 * "seen" (the same key again, as when a JWK Set is parsed per request or refetched).
 * Medians of the per-call latency. Run: node --import tsx bench/jwk.ts   (or npm run bench jwk)
 */
import { createHash, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto'
import * as jose from 'jose'
import { parseJwk } from '../src/jwk/parse.ts'
import { clearCheckedModuli } from '../src/jwk/rules-rsa.ts'
import { thumbprint, thumbprintInput } from '../src/jwk/thumbprint.ts'
import type { Jwk } from '../src/jwk/types.ts'
import { invokedDirectly, measure, ratioTable, type Row } from './lib.ts'

function publicJwk(type: 'ec' | 'rsa' | 'ed25519', options: object): Jwk {
  return generateKeyPairSync(type as 'ec', options as { namedCurve: string }).publicKey.export({ format: 'jwk' }) as unknown as Jwk
}

export async function run(): Promise<void> {
  let importJwk: ((jwk: Jwk) => unknown) | undefined
  try {
    importJwk = ((await import('../src/crypto/import.ts')) as { importJwk: (jwk: Jwk) => unknown }).importJwk
  } catch {
    importJwk = undefined
  }
  const keys: Record<string, Jwk> = {
    'P-256': publicJwk('ec', { namedCurve: 'P-256' }),
    'RSA-2048': publicJwk('rsa', { modulusLength: 2048 }),
    Ed25519: publicJwk('ed25519', {}),
  }
  const rows: Row[] = []
  for (const [name, jwk] of Object.entries(keys)) {
    const alg = name === 'P-256' ? 'ES256' : name === 'RSA-2048' ? 'RS256' : 'EdDSA'
    const tasks: Record<string, () => unknown> = {
      'floor: createPublicKey(jwk)': () => createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
      'jwkit parseJwk': () => parseJwk(jwk),
      'jose importJWK': () => jose.importJWK(jwk as jose.JWK, alg),
    }
    if (importJwk !== undefined) tasks['jwkit importJwk'] = () => importJwk!(jwk)
    if (name === 'RSA-2048') {
      tasks['jwkit parseJwk (first sight)'] = () => { clearCheckedModuli(); return parseJwk(jwk) }
      if (importJwk !== undefined) tasks['jwkit importJwk (first sight)'] = () => { clearCheckedModuli(); return importJwk!(jwk) }
    }
    rows.push(...(await measure(name, tasks)))
  }
  const ec = keys['P-256']!
  const canonical = thumbprintInput(ec)
  rows.push(...(await measure('thumbprint P-256', {
    'floor: sha256(canonical JSON)': () => createHash('sha256').update(canonical).digest('base64url'),
    'jwkit thumbprint': () => thumbprint(ec),
    'jose calculateJwkThumbprint': () => jose.calculateJwkThumbprint(ec as jose.JWK),
  })))
  console.table(ratioTable(rows))
}

if (invokedDirectly(import.meta.url)) await run()
