import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dict, ownSnapshot } from '../../src/util/dict.ts'

describe('dict', () => {
  it('reads inherited names as absent and is frozen', () => {
    const d = dict({ a: 1 })
    assert.equal(d.a, 1)
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) assert.equal(d[name], undefined)
    assert.ok(Object.isFrozen(d))
  })
})

describe('ownSnapshot', () => {
  it('copies own enumerable members once and ignores the prototype chain', () => {
    let reads = 0
    const src = Object.create({ inherited: 1 }, {
      own: { enumerable: true, get: () => ++reads },
      hidden: { enumerable: false, value: 2 },
    }) as object
    const snap = ownSnapshot(src)
    assert.equal(snap.own, 1)
    assert.equal(snap.own, 1)
    assert.equal(reads, 1)
    assert.equal(snap.inherited, undefined)
    assert.equal(snap.hidden, undefined)
    assert.deepEqual(Object.keys(snap), ['own'])
  })
  it('does not see a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.kty = 'oct'
    try {
      assert.equal(ownSnapshot({}).kty, undefined)
    } finally {
      delete proto.kty
    }
  })
  it('keeps an own "__proto__" member as data, and spreads back to a plain object', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":2}') as object
    const snap = ownSnapshot(parsed)
    const plain = { ...snap }
    assert.equal(Object.getPrototypeOf(plain), Object.prototype)
    assert.deepEqual(Object.keys(plain), ['__proto__', 'a'])
    assert.equal((plain as { x?: number }).x, undefined)
  })
})
