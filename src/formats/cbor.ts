/**
 * @module formats/cbor
 * A small strict CBOR (RFC 8949) decoder and deterministic encoder, limited to what COSE_Key
 * (RFC 9052 §7) needs: unsigned and negative integers, byte strings, text strings, arrays, maps
 * with integer or text keys, and true/false. Refused on input (ERR_COSE_INVALID): indefinite
 * lengths, non-minimal heads (RFC 8949 §4.2.1), tags, floats, other simple values, duplicate map
 * keys (§5.6), invalid UTF-8, trailing bytes, excessive depth or size. The encoder writes the
 * core deterministic encoding of RFC 8949 §4.2.1: minimal heads, map keys sorted bytewise.
 */
import { JwkitError } from '../errors.ts'
import { utf8Encode } from '#codec'
import { compareBytes, concatBytes } from '../util/bytes.ts'

export type CborValue = number | string | boolean | Uint8Array | CborValue[] | CborMap
export type CborMap = Map<number | string, CborValue>

/** Largest CBOR input read (an RSA-4096 private COSE_Key is under 3 KiB). */
export const MAX_CBOR_BYTES = 64 * 1024
const MAX_DEPTH = 8
const MAX_ITEMS = 256

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const fail = (message: string): never => {
  throw new JwkitError('ERR_COSE_INVALID', message)
}

class Reader {
  #b: Uint8Array
  #pos = 0
  #items = 0
  constructor(bytes: Uint8Array) {
    this.#b = bytes
  }
  get done(): boolean {
    return this.#pos === this.#b.length
  }
  #take(n: number): Uint8Array {
    if (n > this.#b.length - this.#pos) fail('CBOR is truncated')
    const out = this.#b.subarray(this.#pos, this.#pos + n)
    this.#pos += n
    return out
  }
  /** Reads a head: major type and argument (RFC 8949 §3). */
  #head(): { major: number; info: number; arg: number } {
    const [initial] = this.#take(1)
    const major = initial! >> 5
    const info = initial! & 0x1f
    if (info < 24) return { major, info, arg: info }
    if (info === 31) fail('CBOR indefinite lengths are not allowed (RFC 8949 §4.2.1)')
    if (info > 27) fail('CBOR uses a reserved additional-information value')
    const bytes = this.#take(1 << (info - 24))
    let arg = 0
    for (const b of bytes) arg = arg * 256 + b
    if (arg > Number.MAX_SAFE_INTEGER) fail('CBOR integer is too large')
    // RFC 8949 §4.2.1: arguments use the shortest form.
    const minimum = [24, 0x100, 0x10000, 0x100000000][info - 24]!
    if (arg < minimum) fail('CBOR head is not minimally encoded (RFC 8949 §4.2.1)')
    return { major, info, arg }
  }
  value(depth: number): CborValue {
    if (depth > MAX_DEPTH) throw new JwkitError('ERR_INPUT_TOO_LARGE', `CBOR nesting is deeper than ${MAX_DEPTH}`)
    if (++this.#items > MAX_ITEMS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `CBOR has more than ${MAX_ITEMS} items`)
    const { major, info, arg } = this.#head()
    switch (major) {
      case 0: return arg
      case 1: return -1 - arg
      case 2: return Uint8Array.from(this.#take(arg))
      case 3:
        try {
          return utf8.decode(this.#take(arg))
        } catch (error) {
          if (error instanceof JwkitError) throw error
          return fail('CBOR text string is not valid UTF-8')
        }
      case 4: {
        const out: CborValue[] = []
        for (let i = 0; i < arg; i++) out.push(this.value(depth + 1))
        return out
      }
      case 5: {
        const out: CborMap = new Map()
        for (let i = 0; i < arg; i++) {
          const key = this.value(depth + 1)
          if (typeof key !== 'number' && typeof key !== 'string') fail('CBOR map keys must be integers or text strings')
          // RFC 8949 §5.6: a map with duplicate keys is not valid.
          if (out.has(key as number | string)) fail(`CBOR map has a duplicate key ${typeof key === 'number' ? key : JSON.stringify(key)}`)
          out.set(key as number | string, this.value(depth + 1))
        }
        return out
      }
      case 6: return fail('CBOR tags are not allowed in a COSE_Key')
      default:
        if (info === 20) return false
        if (info === 21) return true
        return fail('CBOR floats and simple values other than true/false are not allowed in a COSE_Key')
    }
  }
}

/** Decodes exactly one CBOR data item; trailing bytes are refused. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeCbor: input must be a Uint8Array')
  if (bytes.length > MAX_CBOR_BYTES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `CBOR input is ${bytes.length} bytes, the limit is ${MAX_CBOR_BYTES}`)
  const reader = new Reader(bytes)
  const value = reader.value(1)
  if (!reader.done) fail('CBOR has trailing bytes after the data item')
  return value
}

function head(major: number, arg: number): Uint8Array {
  if (arg < 24) return Uint8Array.of((major << 5) | arg)
  if (arg < 0x100) return Uint8Array.of((major << 5) | 24, arg)
  if (arg < 0x10000) return Uint8Array.of((major << 5) | 25, arg >> 8, arg & 0xff)
  if (arg < 0x100000000) {
    const out = new Uint8Array(5)
    out[0] = (major << 5) | 26
    new DataView(out.buffer).setUint32(1, arg)
    return out
  }
  const out = new Uint8Array(9)
  out[0] = (major << 5) | 27
  new DataView(out.buffer).setBigUint64(1, BigInt(arg))
  return out
}

/** Encodes a value with the RFC 8949 §4.2.1 core deterministic encoding. */
export function encodeCbor(value: CborValue): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('encodeCbor: numbers must be safe integers')
    return value >= 0 ? head(0, value) : head(1, -1 - value)
  }
  if (typeof value === 'boolean') return Uint8Array.of(value ? 0xf5 : 0xf4)
  if (typeof value === 'string') {
    const bytes = utf8Encode(value)
    return concatBytes(head(3, bytes.length), bytes)
  }
  if (value instanceof Uint8Array) return concatBytes(head(2, value.length), value)
  if (Array.isArray(value)) return concatBytes(head(4, value.length), ...value.map(encodeCbor))
  if (value instanceof Map) {
    // RFC 8949 §4.2.1: keys sorted by the bytewise lexicographic order of their encodings.
    const entries = [...value].map(([k, v]) => [encodeCbor(k), encodeCbor(v)] as const)
    entries.sort((a, b) => compareBytes(a[0], b[0]))
    return concatBytes(head(5, entries.length), ...entries.flat())
  }
  throw new TypeError('encodeCbor: unsupported value type')
}
