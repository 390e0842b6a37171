/**
 * @module util/der-writer
 * The one DER writer (ITU-T X.690 §8, §10: definite, minimal lengths): formats/ builds PBES2
 * parameters with it, the web backend writes SPKI, PKCS #8, PKCS #1 and SEC1 keys with it.
 * Pure Uint8Array code, so it runs on every runtime.
 */
import { concatBytes } from './bytes.ts'

/** Encodes one element with a minimal definite length. */
export function encodeDer(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length
  const lenBytes: number[] = []
  if (n < 0x80) lenBytes.push(n)
  else {
    for (let v = n; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v & 0xff)
    lenBytes.unshift(0x80 | lenBytes.length)
  }
  const out = new Uint8Array(1 + lenBytes.length + n)
  out[0] = tag
  out.set(lenBytes, 1)
  out.set(content, 1 + lenBytes.length)
  return out
}

export const derSequence = (...items: Uint8Array[]): Uint8Array => encodeDer(0x30, concatBytes(...items))
export const derOctetString = (bytes: Uint8Array): Uint8Array => encodeDer(0x04, bytes)
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0)
/** A BIT STRING with no unused bits (X.690 §8.6). */
export const derBitString = (bytes: Uint8Array): Uint8Array => encodeDer(0x03, concatBytes(Uint8Array.of(0), bytes))
/** A context-specific constructed [n] EXPLICIT wrapper. */
export const derExplicit = (n: number, inner: Uint8Array): Uint8Array => encodeDer(0xa0 | n, inner)

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
  return encodeDer(0x02, bytes)
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
  return encodeDer(0x06, Uint8Array.from(out))
}
