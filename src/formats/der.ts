/**
 * @module formats/der
 * A small strict DER reader and writer (ITU-T X.690 §8 and §10), enough for SPKI, PKCS#8,
 * PKCS#1, SEC1, PBES2 parameters and certificates. The reader accepts only DER: definite
 * lengths, minimal length encoding, single-byte tags, no trailing bytes, bounded depth and size.
 */
import { JwkitError } from '../errors.ts'
import { concatBytes } from '../util/bytes.ts'

/** Universal tags used by the key formats. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

/** One DER element: its identifier octet and its content bytes (a view, not a copy). */
export interface DerNode {
  readonly tag: number
  readonly content: Uint8Array
  /** The whole encoding (identifier, length and content). */
  readonly raw: Uint8Array
}

/** Largest DER input read (a certificate chain element or key is far below this). */
export const MAX_DER_BYTES = 1024 * 1024
const MAX_DEPTH = 32

function fail(message: string): never {
  throw new JwkitError('ERR_DER_INVALID', message)
}

/** Reads one element at `offset`; returns it and the offset after it. */
function readElement(bytes: Uint8Array, offset: number): { node: DerNode; next: number } {
  if (offset >= bytes.length) fail('DER is truncated: an element is missing')
  const tag = bytes[offset]!
  // X.690 §8.1.2.4: high tag numbers (low five bits all set) are not used by these formats.
  if ((tag & 0x1f) === 0x1f) fail('DER uses a multi-byte tag, which no key format needs')
  let pos = offset + 1
  if (pos >= bytes.length) fail('DER is truncated: a length is missing')
  const first = bytes[pos++]!
  let length: number
  if (first < 0x80) {
    length = first
  } else if (first === 0x80) {
    fail('DER forbids the indefinite length form (X.690 §10.1)')
  } else {
    const count = first & 0x7f
    if (count > 4) fail('DER length is too large')
    if (pos + count > bytes.length) fail('DER is truncated inside a length')
    if (bytes[pos] === 0) fail('DER length has a leading zero byte (X.690 §10.1: minimal encoding)')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++]!
    if (length < 0x80) fail('DER length uses the long form for a short length (X.690 §10.1)')
  }
  if (length > bytes.length - pos) fail('DER is truncated: an element is longer than its input')
  const end = pos + length
  return {
    node: { tag, content: bytes.subarray(pos, end), raw: bytes.subarray(offset, end) },
    next: end,
  }
}

/** Parses exactly one DER element; trailing bytes are refused. */
export function parseDer(bytes: Uint8Array): DerNode {
  if (bytes.length > MAX_DER_BYTES) {
    throw new JwkitError('ERR_INPUT_TOO_LARGE', `DER input is ${bytes.length} bytes, the limit is ${MAX_DER_BYTES}`)
  }
  const { node, next } = readElement(bytes, 0)
  if (next !== bytes.length) fail(`DER has ${bytes.length - next} trailing bytes after the outer element`)
  validateTree(node, 1)
  return node
}

/** Walks constructed elements so a malformed inner length is found before any use. */
function validateTree(node: DerNode, depth: number): void {
  if (depth > MAX_DEPTH) throw new JwkitError('ERR_INPUT_TOO_LARGE', `DER nesting is deeper than ${MAX_DEPTH}`)
  if ((node.tag & 0x20) === 0) return
  for (const child of children(node)) validateTree(child, depth + 1)
}

/** The elements inside a constructed element (or inside the content of a wrapping OCTET STRING). */
export function children(node: DerNode | Uint8Array): DerNode[] {
  const content = node instanceof Uint8Array ? node : node.content
  const out: DerNode[] = []
  let offset = 0
  while (offset < content.length) {
    const { node: child, next } = readElement(content, offset)
    out.push(child)
    offset = next
  }
  return out
}

/** Asserts the tag of a node (or its absence), naming `what` in the message. */
export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (node === undefined) fail(`${what} is missing`)
  if (node.tag !== tag) fail(`${what} has tag 0x${node.tag.toString(16)}, expected 0x${tag.toString(16)}`)
  return node
}

/** A SEQUENCE's children, checking the tag and the child count. */
export function sequence(node: DerNode | undefined, what: string, min: number, max = min): DerNode[] {
  const items = children(expectTag(node, TAG.SEQUENCE, what))
  if (items.length < min || items.length > max) fail(`${what} has ${items.length} elements, expected ${min === max ? min : `${min} to ${max}`}`)
  return items
}

/** Reads a non-negative INTEGER that fits in a JavaScript number (X.690 §8.3: minimal). */
export function readSmallInteger(node: DerNode | undefined, what: string): number {
  const bytes = readUnsignedInteger(node, what)
  if (bytes.length > 6) fail(`${what} is too large`)
  let value = 0
  for (const b of bytes) value = value * 256 + b
  return value
}

/** Reads a non-negative INTEGER as big-endian bytes without the sign octet. */
export function readUnsignedInteger(node: DerNode | undefined, what: string): Uint8Array {
  const { content } = expectTag(node, TAG.INTEGER, what)
  if (content.length === 0) fail(`${what} is an empty INTEGER`)
  // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
  if (content.length > 1 && content[0] === 0 && (content[1]! & 0x80) === 0) fail(`${what} is not minimally encoded`)
  if (content.length > 1 && content[0] === 0xff && (content[1]! & 0x80) !== 0) fail(`${what} is not minimally encoded`)
  if ((content[0]! & 0x80) !== 0) fail(`${what} is negative`)
  return content[0] === 0 && content.length > 1 ? content.subarray(1) : content
}

/** Decodes an OBJECT IDENTIFIER to dotted form (X.690 §8.19). */
export function readOid(node: DerNode | undefined, what: string): string {
  const { content } = expectTag(node, TAG.OID, what)
  if (content.length === 0 || content.length > 64) fail(`${what} has a bad length`)
  const arcs: number[] = []
  let value = 0
  let started = false
  for (const b of content) {
    if (!started && b === 0x80) fail(`${what} has a non-minimal arc`)
    started = (b & 0x80) !== 0
    value = value * 128 + (b & 0x7f)
    if (value > Number.MAX_SAFE_INTEGER / 128) fail(`${what} has an arc too large`)
    if ((b & 0x80) === 0) {
      arcs.push(value)
      value = 0
    }
  }
  if (started) fail(`${what} is truncated`)
  const first = arcs.shift()!
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
  return [...head, ...arcs].join('.')
}

/** The content of a BIT STRING with no unused bits. */
export function readBitString(node: DerNode | undefined, what: string): Uint8Array {
  const { content } = expectTag(node, TAG.BIT_STRING, what)
  if (content.length === 0 || content[0] !== 0) fail(`${what} must have zero unused bits`)
  return content.subarray(1)
}

// ---- writer -------------------------------------------------------------------------------

/** Encodes one element with a minimal definite length. */
export function encodeDer(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length
  let header: number[]
  if (n < 0x80) header = [tag, n]
  else {
    const lenBytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v & 0xff)
    header = [tag, 0x80 | lenBytes.length, ...lenBytes]
  }
  return concatBytes(Uint8Array.from(header), content)
}

export const derSequence = (...items: Uint8Array[]): Uint8Array => encodeDer(TAG.SEQUENCE, concatBytes(...items))
export const derOctetString = (bytes: Uint8Array): Uint8Array => encodeDer(TAG.OCTET_STRING, bytes)
export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0)

/** Encodes a non-negative integer (number or big-endian bytes) minimally. */
export function derInteger(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array
  if (typeof value === 'number') {
    const out: number[] = []
    for (let v = value; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff)
    bytes = Uint8Array.from(out)
  } else {
    let i = 0
    while (i < value.length - 1 && value[i] === 0) i++
    bytes = value.subarray(i)
  }
  if (bytes.length === 0) bytes = Uint8Array.of(0)
  if ((bytes[0]! & 0x80) !== 0) bytes = concatBytes(Uint8Array.of(0), bytes)
  return encodeDer(TAG.INTEGER, bytes)
}

/** Encodes a dotted OBJECT IDENTIFIER. */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number)
  const out: number[] = []
  const push = (v: number) => {
    const chunk: number[] = [v & 0x7f]
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    out.push(...chunk)
  }
  push(arcs[0]! * 40 + arcs[1]!)
  for (const arc of arcs.slice(2)) push(arc)
  return encodeDer(TAG.OID, Uint8Array.from(out))
}
