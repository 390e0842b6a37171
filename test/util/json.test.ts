import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJsonStrict } from '../../src/util/json.ts'

const code = (fn: () => unknown) => {
  try { fn() } catch (e) { return (e as { code?: string }).code }
  return 'no error'
}

test('RFC 8259 §4: duplicate member names are refused, at any depth and through escapes', () => {
  assert.equal(code(() => parseJsonStrict('{"a":1,"a":2}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"x":{"a":1,"b":[{"c":1,"c":2}]}}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"a":1,"\\u0061":2}')), 'ERR_JSON_INVALID')
  assert.deepEqual(parseJsonStrict('{"a":{"a":1},"b":["a","a"]}'), { a: { a: 1 }, b: ['a', 'a'] })
  assert.deepEqual(parseJsonStrict('{"a\\"":1,"a":2}'), { 'a"': 1, a: 2 })
})

test('size and depth are bounded before parsing', () => {
  assert.equal(code(() => parseJsonStrict('[' .repeat(40) + ']'.repeat(40), { maxDepth: 32 })), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('"' + 'a'.repeat(100) + '"', { maxBytes: 50 })), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('{"a":', { code: 'ERR_JWK_INVALID' })), 'ERR_JWK_INVALID')
  assert.equal(code(() => parseJsonStrict(new Uint8Array([0x22, 0xff, 0x22]))), 'ERR_JSON_INVALID')
})

test('nesting: the bound is exact; 100k-deep arrays (closed or not) are ERR_INPUT_TOO_LARGE, never a RangeError', () => {
  assert.deepEqual(parseJsonStrict('['.repeat(32) + ']'.repeat(32)), JSON.parse('['.repeat(32) + ']'.repeat(32)))
  assert.equal(code(() => parseJsonStrict('['.repeat(33) + ']'.repeat(33))), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('{"a":'.repeat(5) + '1' + '}'.repeat(5), { maxDepth: 4 })), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('['.repeat(100_000) + ']'.repeat(100_000))), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('['.repeat(100_000))), 'ERR_INPUT_TOO_LARGE')
  assert.equal(code(() => parseJsonStrict('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), { maxBytes: 1 << 20 })), 'ERR_INPUT_TOO_LARGE')
  // Brackets inside strings are not nesting.
  assert.deepEqual(parseJsonStrict(JSON.stringify({ a: '['.repeat(100) }), { maxDepth: 1 }), { a: '['.repeat(100) })
})

test('a polluted Object.prototype changes nothing: members are counted own only', () => {
  const proto = Object.prototype as Record<string, unknown>
  proto.polluted = { nested: {} }
  try {
    assert.deepEqual(parseJsonStrict('{"a":{"b":1},"c":[{}]}', { maxDepth: 3 }), { a: { b: 1 }, c: [{}] })
    assert.equal(code(() => parseJsonStrict('{"a":1,"a":2}')), 'ERR_JSON_INVALID')
  } finally {
    delete proto.polluted
  }
})

test('never throws anything but a JwkitError, whatever the text (fuzz)', async () => {
  const fc = (await import('fast-check')).default
  const { isJwkitError } = await import('../../src/errors.ts')
  const structural = fc.string({ maxLength: 40, unit: fc.constantFrom(...'{}[]":,\\ab1 '.split('')) })
  fc.assert(fc.property(fc.oneof(structural, fc.string({ maxLength: 40 })), (text) => {
    try {
      parseJsonStrict(text, { maxDepth: 4 })
    } catch (error) {
      assert.ok(isJwkitError(error), String(error))
    }
  }), { numRuns: 2000 })
  assert.equal(code(() => parseJsonStrict('{["a"]}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"a"["b"]}')), 'ERR_JSON_INVALID')
})

test('agrees with JSON.parse on valid JSON without duplicate names', async () => {
  const fc = (await import('fast-check')).default
  fc.assert(fc.property(fc.json({ maxDepth: 4 }), (text) => {
    assert.deepEqual(parseJsonStrict(text, { maxDepth: 10 }), JSON.parse(text))
  }), { numRuns: 500 })
})

/**
 * Random JSON built as a tree, so duplicates are known from the tree itself (an independent
 * detector: no text scanning): member names drawn from a small set where several spell the same
 * name (`a`, `\u0061`) and where quotes, backslashes and colons hide in names and strings.
 */
type Node = { obj: Array<[string, Node]> } | { arr: Node[] } | { lit: string }
const NAMES = ['"a"', '"\\u0061"', '"b"', '"a:b"', '"a\\""', '"a\\\\"', '":"', '""']
const LITERALS = ['1', '-2.5e3', 'true', 'null', '"x:y"', '"\\":"', '"{\\"a\\":1}"', '"[["']
const render = (n: Node, ws: string): string =>
  'lit' in n ? n.lit
    : 'arr' in n ? `[${n.arr.map((c) => render(c, ws)).join(`,${ws}`)}]`
    : `{${n.obj.map(([k, v]) => `${ws}${k}${ws}:${ws}${render(v, ws)}`).join(',')}}`
const hasDuplicate = (n: Node): boolean =>
  'lit' in n ? false
    : 'arr' in n ? n.arr.some(hasDuplicate)
    : new Set(n.obj.map(([k]) => JSON.parse(k) as string)).size < n.obj.length || n.obj.some(([, v]) => hasDuplicate(v))

test('refuses exactly the texts with a duplicate name, against an independent detector (property)', async () => {
  const fc = (await import('fast-check')).default
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...LITERALS).map((lit) => ({ lit })),
      fc.array(tie('node'), { maxLength: 4 }).map((arr) => ({ arr })),
      fc.array(fc.tuple(fc.constantFrom(...NAMES), tie('node')), { maxLength: 4 }).map((obj) => ({ obj }))),
  }))
  let refusedCount = 0
  fc.assert(fc.property(node, fc.constantFrom('', ' ', '\n'), (tree, ws) => {
    const text = render(tree, ws)
    if (hasDuplicate(tree)) {
      refusedCount++
      assert.equal(code(() => parseJsonStrict(text, { maxDepth: 64 })), 'ERR_JSON_INVALID', text)
    } else {
      assert.deepEqual(parseJsonStrict(text, { maxDepth: 64 }), JSON.parse(text), text)
    }
  }), { numRuns: 1000 })
  assert.ok(refusedCount > 50, `only ${refusedCount} runs had a duplicate`)
})

test('the fast duplicate check (text without a backslash) agrees with the string-skipping scan (property)', async () => {
  const fc = (await import('fast-check')).default
  const { duplicateFree, duplicateFreeByScan } = await import('../../src/util/json.ts')
  // No backslash anywhere, so every text takes the fast count; colons hide in names and strings.
  const names = ['"a"', '"b"', '"a:b"', '":"', '"::"', '""', '"__proto__"', '"https://x"']
  const literals = ['1', '-2.5e3', 'true', 'null', '"x:y"', '":"', '"{"', '"a"', '"https://issuer.example"']
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...literals).map((lit) => ({ lit })),
      fc.array(tie('node'), { maxLength: 4 }).map((arr) => ({ arr })),
      fc.array(fc.tuple(fc.constantFrom(...names), tie('node')), { maxLength: 4 }).map((obj) => ({ obj }))),
  }))
  let fastRuns = 0
  let duplicates = 0
  fc.assert(fc.property(node, fc.constantFrom('', ' ', '\n'), (tree, ws) => {
    const text = render(tree, ws)
    const value = JSON.parse(text) as unknown
    if (typeof value !== 'object' || value === null) return
    fastRuns++
    const fast = duplicateFree(text, value, 64, 'ERR_JSON_INVALID', 'JSON text')
    assert.equal(fast, duplicateFreeByScan(text, value, 64, 'ERR_JSON_INVALID', 'JSON text'), text)
    assert.equal(fast, !hasDuplicate(tree), text)
    if (!fast) duplicates++
  }), { numRuns: 1000 })
  assert.ok(fastRuns > 500 && duplicates > 50, `${fastRuns} object texts, ${duplicates} with a duplicate`)
})

test('fast duplicate check: colons in strings and names never hide a duplicate; a polluted prototype changes nothing', () => {
  assert.equal(code(() => parseJsonStrict('{"a":"x:y","a":"z"}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"a:":1,"a:":2}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"iss":"https://a","iss":"https://b"}')), 'ERR_JSON_INVALID')
  assert.equal(code(() => parseJsonStrict('{"__proto__":1,"__proto__":2}')), 'ERR_JSON_INVALID')
  assert.deepEqual(parseJsonStrict('{"iss":"https://a:8443","aud":["x:1","y:2"],"n":{":":":"}}'), { iss: 'https://a:8443', aud: ['x:1', 'y:2'], n: { ':': ':' } })
  const proto = Object.prototype as Record<string, unknown>
  proto['x:y'] = 'a:b'
  try {
    assert.deepEqual(parseJsonStrict('{"a":{"b":"c:d"}}'), { a: { b: 'c:d' } })
    assert.equal(code(() => parseJsonStrict('{"a":1,"b":{"c":"d","c":"d"}}')), 'ERR_JSON_INVALID')
  } finally {
    delete proto['x:y']
  }
})
