import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { children, parseDer, readOid, readSmallInteger, readUnsignedInteger } from '../../src/formats/der.ts'
import { derInteger, derNull, derOctetString, derOid, derSequence, encodeDer } from '../../src/util/der-writer.ts'
import { assertCode } from './helpers.ts'

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex')

test('X.690 §8.19: OBJECT IDENTIFIER round trip (rsaEncryption, id-ecPublicKey, large arcs)', () => {
  for (const oid of ['1.2.840.113549.1.1.1', '1.2.840.10045.2.1', '1.3.101.112', '2.16.840.1.101.3.4.1.42', '2.999.1234567']) {
    assert.equal(readOid(parseDer(derOid(oid)), 'oid'), oid)
  }
  assert.deepEqual(Buffer.from(derOid('1.2.840.113549.1.1.1')), hex('06092a864886f70d010101'))
})

test('X.690 §8.3: INTEGER is written minimally and read back', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
    const read = readUnsignedInteger(parseDer(derInteger(bytes)), 'n')
    const firstNonZero = bytes.findIndex((b) => b !== 0)
    const expected = firstNonZero === -1 ? Buffer.of(0) : Buffer.from(bytes.subarray(firstNonZero))
    assert.deepEqual(Buffer.from(read), expected)
  }))
  assert.equal(readSmallInteger(parseDer(derInteger(600000)), 'i'), 600000)
  assert.deepEqual(Buffer.from(derInteger(128)), hex('02020080'))
})

test('X.690 §10.1: long lengths are written minimally', () => {
  const content = Buffer.alloc(300, 7)
  const der = encodeDer(0x04, content)
  assert.deepEqual(Buffer.from(der.subarray(0, 4)), hex('0482012c'))
  assert.deepEqual(Buffer.from(parseDer(der).content), content)
})

test('nested SEQUENCE reads its children', () => {
  const der = derSequence(derInteger(1), derSequence(derOid('1.3.101.112'), derNull()), derOctetString(Buffer.of(1, 2)))
  const items = children(parseDer(der))
  assert.equal(items.length, 3)
  assert.equal(items[1]!.tag, 0x30)
})

test('refused: truncated DER (element, length, content)', () => {
  const good = derSequence(derInteger(5), derOctetString(Buffer.alloc(10)))
  for (let cut = 0; cut < good.length; cut++) assertCode(() => parseDer(good.subarray(0, cut)), 'ERR_DER_INVALID', `cut at ${cut}`)
})

test('refused: trailing bytes after the outer element', () => {
  assertCode(() => parseDer(Buffer.concat([derNull(), Buffer.of(0)])), 'ERR_DER_INVALID')
})

test('refused: X.690 §10.1 indefinite length and non-minimal lengths', () => {
  assertCode(() => parseDer(hex('3080 0500 0000')), 'ERR_DER_INVALID')
  assertCode(() => parseDer(hex('048105' + '0000000000')), 'ERR_DER_INVALID') // long form for 5
  assertCode(() => parseDer(hex('04820005' + '0000000000')), 'ERR_DER_INVALID') // leading zero length byte
})

test('refused: an inner element whose length overruns its parent', () => {
  assertCode(() => parseDer(hex('3003 0405 00')), 'ERR_DER_INVALID')
})

test('refused: non-minimal and negative INTEGERs', () => {
  assertCode(() => readUnsignedInteger(parseDer(hex('0202007f')), 'n'), 'ERR_DER_INVALID')
  assertCode(() => readUnsignedInteger(parseDer(hex('0201ff')), 'n'), 'ERR_DER_INVALID')
  assertCode(() => readUnsignedInteger(parseDer(hex('0200')), 'n'), 'ERR_DER_INVALID')
})

test('refused: nesting deeper than the bound', () => {
  let der: Uint8Array = derNull()
  for (let i = 0; i < 40; i++) der = derSequence(der)
  assertCode(() => parseDer(der), 'ERR_INPUT_TOO_LARGE')
})

test('refused: multi-byte tags and non-minimal OID arcs', () => {
  assertCode(() => parseDer(hex('1f0100')), 'ERR_DER_INVALID')
  assertCode(() => readOid(parseDer(hex('0603 2a8001')), 'oid'), 'ERR_DER_INVALID')
})

test('parseDer never throws anything but a JwkitError on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    try {
      parseDer(bytes)
    } catch (error) {
      assert.equal((error as { name?: string }).name, 'JwkitError')
    }
  }), { numRuns: 2000 })
})
