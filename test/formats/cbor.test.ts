import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeCbor, encodeCbor, type CborValue } from '../../src/formats/cbor.ts'
import { assertCode } from './helpers.ts'

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex')

test('RFC 8949 Appendix A examples (the types COSE_Key uses) decode and re-encode identically', () => {
  const examples: Array<[string, CborValue]> = [
    ['00', 0], ['17', 23], ['1818', 24], ['1903e8', 1000], ['1a000f4240', 1000000], ['1b000000e8d4a51000', 1000000000000],
    ['20', -1], ['3863', -100], ['3903e7', -1000],
    ['40', new Uint8Array()], ['4401020304', Uint8Array.of(1, 2, 3, 4)],
    ['60', ''], ['6161', 'a'], ['6449455446', 'IETF'], ['62c3bc', '\u00fc'],
    ['80', []], ['83010203', [1, 2, 3]], ['f4', false], ['f5', true],
    ['a201020304', new Map([[1, 2], [3, 4]])],
  ]
  for (const [h, value] of examples) {
    assert.deepEqual(decodeCbor(hex(h)), value, h)
    assert.equal(Buffer.from(encodeCbor(value)).toString('hex'), h, h)
  }
})

test('RFC 8949 §4.2.1: map keys come out sorted by their encodings (bytewise: 0x18 64 before 0x20)', () => {
  const map = new Map<number | string, CborValue>([['b', 1], [-1, 2], [10, 3], [1, 4], ['a', 5], [-24, 6], [100, 7]])
  const encoded = encodeCbor(map)
  assert.deepEqual([...(decodeCbor(encoded) as Map<number | string, CborValue>).keys()], [1, 10, 100, -1, -24, 'a', 'b'])
})

test('property: decode(encode(v)) = v and encoding is deterministic', () => {
  const leaf = fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.string(), fc.uint8Array({ maxLength: 40 }), fc.boolean())
  const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 5 }), fc.uniqueArray(fc.tuple(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.string({ maxLength: 4 })), leaf), { selector: ([k]) => k, maxLength: 6 }).map((entries) => new Map(entries)))
  fc.assert(fc.property(value, (v) => {
    const bytes = encodeCbor(v as CborValue)
    const back = decodeCbor(bytes)
    assert.deepEqual(back, v)
    assert.deepEqual(encodeCbor(back), bytes)
  }), { numRuns: 300 })
})

test('refused: indefinite lengths, non-minimal heads, tags, floats, simple values, trailing bytes, bad UTF-8', () => {
  const bad: Array<[string, string]> = [
    ['5f42010243030405ff', 'indefinite byte string'], ['bf0102ff', 'indefinite map'], ['9f01ff', 'indefinite array'],
    ['1817', 'non-minimal 23'], ['190017', 'non-minimal uint16'], ['3800', 'non-minimal negative'], ['5800', 'non-minimal length'],
    ['c11a514b67b0', 'tag'], ['f93c00', 'half float'], ['f6', 'null'], ['f7', 'undefined'], ['1c', 'reserved info'],
    ['0000', 'trailing byte'], ['62c328', 'invalid UTF-8'], ['', 'empty'], ['44010203', 'truncated'],
    ['1bffffffffffffffff', 'integer beyond 2^53'], ['a1400102', 'byte string map key'],
  ]
  for (const [h, note] of bad) assertCode(() => decodeCbor(hex(h)), 'ERR_COSE_INVALID', note)
})

test('refused: RFC 8949 §5.6 duplicate map keys', () => {
  assertCode(() => decodeCbor(hex('a2 01 02 01 03')), 'ERR_COSE_INVALID')
  assertCode(() => decodeCbor(hex('a2 6161 01 6161 02')), 'ERR_COSE_INVALID')
})

test('refused: nesting and item-count bounds', () => {
  assertCode(() => decodeCbor(hex('81'.repeat(20) + '00')), 'ERR_INPUT_TOO_LARGE')
  assertCode(() => decodeCbor(hex('99012c' + '00'.repeat(300))), 'ERR_INPUT_TOO_LARGE')
})

test('decodeCbor never throws anything but a JwkitError on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
    try {
      decodeCbor(bytes)
    } catch (error) {
      assert.equal((error as { name?: string }).name, 'JwkitError')
    }
  }), { numRuns: 3000 })
})
