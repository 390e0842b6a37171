/**
 * The node:crypto bridge (src/crypto): `exportJwk` (KeyObject → JWK, re-checked by parseJwk),
 * `jwkToCryptoKey` (JWK → WebCrypto CryptoKey, checked first) and `generateJwk` (async key
 * generation + export + check), against jose (`exportJWK`, `importJWK`, `generateKeyPair` +
 * `exportJWK`) and the node:crypto floor (`KeyObject.export({ format: 'jwk' })`,
 * `subtle.importKey('jwk')`, `generateKeyPair` + export). `importJwk` and parse/thumbprint are
 * in bench/jwk.ts. Medians (p50) of the per-call latency.
 * Run: node --import tsx bench/jwk-bridge.ts   (or npm run bench jwk-bridge)
 */
import { generateKeyPair, generateKeyPairSync, webcrypto, type JsonWebKey, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import * as jose from 'jose'
import { jwkToCryptoKey } from '../src/crypto/crypto-key.ts'
import { exportJwk } from '../src/crypto/export.ts'
import { generateJwk } from '../src/crypto/generate.ts'
import { invokedDirectly, measure, ratioTable, type Row } from './lib.ts'

const generate = promisify(generateKeyPair) as unknown as (type: string, options: object) => Promise<{ privateKey: KeyObject }>

export async function run(): Promise<void> {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ed = generateKeyPairSync('ed25519')
  const rows: Row[] = []
  for (const [group, key] of [['exportJwk P-256 public', p256.publicKey], ['exportJwk Ed25519 private', ed.privateKey]] as const) {
    rows.push(...(await measure(group, {
      'floor: KeyObject.export({ format: jwk })': () => key.export({ format: 'jwk' }),
      'jwkit exportJwk': () => exportJwk(key),
      'jose exportJWK': () => jose.exportJWK(key),
    })))
  }
  const jwk = exportJwk(p256.publicKey)
  rows.push(...(await measure('jwkToCryptoKey ES256 public', {
    "floor: subtle.importKey('jwk')": () => webcrypto.subtle.importKey('jwk', jwk as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
    'jwkit jwkToCryptoKey': () => jwkToCryptoKey(jwk, 'ES256'),
    'jose importJWK': () => jose.importJWK(jwk as jose.JWK, 'ES256'),
  })))
  rows.push(...(await measure('generateJwk ES256', {
    'floor: generateKeyPair + export': async () => (await generate('ec', { namedCurve: 'P-256' })).privateKey.export({ format: 'jwk' }),
    'jwkit generateJwk': () => generateJwk('ES256'),
    'jose generateKeyPair + exportJWK': async () => jose.exportJWK((await jose.generateKeyPair('ES256', { extractable: true })).privateKey),
  })))
  console.table(ratioTable(rows))
}

if (invokedDirectly(import.meta.url)) await run()
