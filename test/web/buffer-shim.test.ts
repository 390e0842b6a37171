/**
 * The page's Buffer stand-in (tools/web-buffer-shim.mjs, the `buffer` package taught what jwkit's
 * byte helpers use of Node's Buffer) gives Node's answers: base64url in from/toString/byteLength/
 * write, and equals with a plain Uint8Array.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
// @ts-expect-error a plain ES module without types
import { Buffer as Shim } from '../../tools/web-buffer-shim.mjs'

test('base64url and Uint8Array arguments as Node has them', () => {
  for (let n = 0; n < 70; n++) {
    const bytes = randomBytes(n)
    const text = bytes.toString('base64url')
    assert.equal(Shim.from(bytes).toString('base64url'), text)
    assert.deepEqual(new Uint8Array(Shim.from(text, 'base64url')), new Uint8Array(bytes))
    assert.equal(Shim.byteLength(text, 'base64url'), Buffer.byteLength(text, 'base64url'), `byteLength ${n}`)
    const scratch = Shim.alloc(80)
    assert.equal(scratch.write(text, 0, 'base64url'), Buffer.alloc(80).write(text, 0, 'base64url'), `write ${n}`)
    assert.equal(Shim.from(bytes).equals(new Uint8Array(bytes)), true)
  }
  assert.equal(Shim.from([1, 2]).equals(new Uint8Array([1, 3])), false)
})
