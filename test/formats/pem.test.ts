import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodePem, encodePem } from '../../src/formats/pem.ts'
import { fromPem } from '../../src/formats/from-pem.ts'
import { toPem } from '../../src/formats/to-pem.ts'
import { assertCode, poolKey } from './helpers.ts'

const der = Buffer.from('3003020101', 'hex')

test('RFC 7468 §2: one block, 64-character lines, decoded back', () => {
  const long = Buffer.alloc(100, 0xab)
  const pem = encodePem('PUBLIC KEY', long)
  const lines = pem.trim().split('\n')
  assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----')
  assert.equal(lines[1]!.length, 64)
  assert.deepEqual(decodePem(pem), [{ label: 'PUBLIC KEY', der: long }])
})

test('RFC 7468 §2: several blocks in order, CRLF and trailing blanks accepted', () => {
  const text = (encodePem('CERTIFICATE', der) + '\n' + encodePem('PRIVATE KEY', Buffer.of(5, 0))).replaceAll('\n', ' \r\n')
  const blocks = decodePem(text)
  assert.deepEqual(blocks.map((b) => b.label), ['CERTIFICATE', 'PRIVATE KEY'])
})

test('refused: END label differs from BEGIN label', () => {
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n'), 'ERR_PEM_INVALID')
})

test('refused: garbage before, between or after blocks', () => {
  const block = encodePem('PUBLIC KEY', der)
  assertCode(() => decodePem('hello\n' + block), 'ERR_PEM_INVALID')
  assertCode(() => decodePem(block + 'trailing garbage\n'), 'ERR_PEM_INVALID')
  assertCode(() => decodePem(block + 'x' + block), 'ERR_PEM_INVALID')
})

test('refused: non-canonical base64 body, characters outside base64, empty body, missing END', () => {
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\nMAMCAQF=\n-----END PUBLIC KEY-----\n'), 'ERR_PEM_INVALID')
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\nMAMC*QE=\n-----END PUBLIC KEY-----\n'), 'ERR_PEM_INVALID')
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'), 'ERR_PEM_INVALID')
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\nMAMCAQE=\n'), 'ERR_PEM_INVALID')
  assertCode(() => decodePem(''), 'ERR_PEM_INVALID')
})

test('refused: RFC 1421 headers (legacy encrypted PEM) are not supported', () => {
  const text = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQE=\n-----END RSA PRIVATE KEY-----\n'
  assertCode(() => decodePem(text), 'ERR_JWK_UNSUPPORTED')
})

test('refused: a label that lies about its content', () => {
  const { jwk } = poolKey('P-256')
  const pkcs8 = toPem(jwk, { format: 'pkcs8' })
  const spki = toPem(jwk, { format: 'spki' })
  assertCode(() => fromPem(pkcs8.replaceAll('PRIVATE KEY', 'PUBLIC KEY')), 'ERR_PEM_INVALID')
  assertCode(() => fromPem(spki.replaceAll('PUBLIC KEY', 'PRIVATE KEY')), 'ERR_PEM_INVALID')
  assertCode(() => fromPem(pkcs8.replaceAll('PRIVATE KEY', 'EC PRIVATE KEY')), 'ERR_PEM_INVALID')
  assertCode(() => fromPem(spki.replaceAll('PUBLIC KEY', 'CERTIFICATE')), 'ERR_X509_INVALID')
})

test('refused: unknown labels, several keys in one text', () => {
  const { jwk } = poolKey('Ed25519')
  assertCode(() => fromPem(encodePem('OPENSSH PRIVATE KEY', der)), 'ERR_FORMAT_UNRECOGNIZED')
  assertCode(() => fromPem(toPem(jwk) + toPem(jwk)), 'ERR_PEM_INVALID')
})

test('refused: oversized input', () => {
  assertCode(() => decodePem('-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(2 * 1024 * 1024)), 'ERR_INPUT_TOO_LARGE')
})
