/**
 * Key formats bench: PEM → JWK (SPKI P-256, PKCS#8 Ed25519, PKCS#8 RSA-2048), JWK → SPKI PEM,
 * certificate → JWK, and the formats jose has no reader for (OpenSSH line, COSE_Key). Against
 * `jose` (importSPKI/importPKCS8/importX509 + exportJWK, importJWK + exportSPKI) and the
 * node:crypto floor (createPublicKey/createPrivateKey + export, which checks nothing of the DER
 * that jwkit checks). Medians of the per-call latency.
 * Run: node --import tsx bench/formats.ts   (or npm run bench formats)
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate, type JsonWebKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as jose from 'jose'
import { fromCose, toCose } from '../src/formats/cose.ts'
import { fromPem } from '../src/formats/from-pem.ts'
import { fromSsh, toSsh } from '../src/formats/ssh.ts'
import { toPem } from '../src/formats/to-pem.ts'
import { fromX509 } from '../src/formats/x509.ts'
import { exportJwk } from '../src/crypto/export.ts'
import type { Jwk } from '../src/jwk/types.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import { invokedDirectly, measure, ratioTable, type Row } from './lib.ts'

export async function run(): Promise<void> {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const ed = generateKeyPairSync('ed25519').privateKey
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const spkiPem = createPublicKey(ec).export({ format: 'pem', type: 'spki' }) as string
  const edPem = ed.export({ format: 'pem', type: 'pkcs8' }) as string
  const rsaPem = rsa.export({ format: 'pem', type: 'pkcs8' }) as string
  const ecPub = toPublicJwk(exportJwk(ec))
  const edPub = toPublicJwk(exportJwk(ed))
  const certPem = readFileSync(new URL('../test/formats/fixtures/x509/leaf.pem', import.meta.url), 'utf8')
  const line = toSsh(edPub)
  const cose = toCose(ecPub)
  const rows: Row[] = []
  rows.push(...(await measure('SPKI PEM → JWK (P-256)', {
    'floor: createPublicKey + export jwk': () => createPublicKey(spkiPem).export({ format: 'jwk' }),
    'jwkit fromPem': () => fromPem(spkiPem),
    'jose importSPKI + exportJWK': async () => jose.exportJWK(await jose.importSPKI(spkiPem, 'ES256', { extractable: true })),
  })))
  rows.push(...(await measure('PKCS#8 PEM → JWK (Ed25519)', {
    'floor: createPrivateKey + export jwk': () => createPrivateKey(edPem).export({ format: 'jwk' }),
    'jwkit fromPem': () => fromPem(edPem),
    'jose importPKCS8 + exportJWK': async () => jose.exportJWK(await jose.importPKCS8(edPem, 'EdDSA', { extractable: true })),
  })))
  rows.push(...(await measure('PKCS#8 PEM → JWK (RSA-2048)', {
    'floor: createPrivateKey + export jwk': () => createPrivateKey(rsaPem).export({ format: 'jwk' }),
    'jwkit fromPem': () => fromPem(rsaPem),
    'jose importPKCS8 + exportJWK': async () => jose.exportJWK(await jose.importPKCS8(rsaPem, 'RS256', { extractable: true })),
  })))
  rows.push(...(await measure('JWK → SPKI PEM (P-256)', {
    'floor: createPublicKey(jwk) + export spki': () => createPublicKey({ key: ecPub as JsonWebKey, format: 'jwk' }).export({ format: 'pem', type: 'spki' }),
    'jwkit toPem': () => toPem(ecPub),
    'jose importJWK + exportSPKI': async () => jose.exportSPKI((await jose.importJWK(ecPub as jose.JWK, 'ES256')) as jose.CryptoKey),
  })))
  rows.push(...(await measure('certificate → JWK (Ed25519 leaf)', {
    'floor: X509Certificate + export jwk': () => new X509Certificate(certPem).publicKey.export({ format: 'jwk' }),
    'jwkit fromX509 (x5c, x5t#S256)': () => fromX509(certPem),
    'jose importX509 + exportJWK': async () => jose.exportJWK(await jose.importX509(certPem, 'EdDSA', { extractable: true })),
  })))
  // Each group's floor is a bare node:crypto import of the same key type.
  rows.push(...(await measure('OpenSSH line → JWK (Ed25519, no jose reader)', {
    'floor: createPublicKey(jwk) + export jwk': () => createPublicKey({ key: edPub as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' }),
    'jwkit fromSsh': () => fromSsh(line),
  })))
  rows.push(...(await measure('COSE_Key ↔ JWK (P-256, no jose reader)', {
    'floor: createPublicKey(jwk) + export jwk': () => createPublicKey({ key: ecPub as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' }),
    'jwkit fromCose': () => fromCose(cose),
    'jwkit toCose': () => toCose(ecPub as Jwk),
  })))
  console.table(ratioTable(rows))
}

if (invokedDirectly(import.meta.url)) await run()
