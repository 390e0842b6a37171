import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ERROR_CODES, JwkitError, isJwkitError } from '../src/errors.ts'
import { errorsTable, readmeTable } from '../tools/errors-table.ts'

test('every code follows ERR_<SUBJECT>_<FAILURE> and has an HTTP status and exit status', () => {
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^ERR_[A-Z0-9]+(_[A-Z0-9]+)+$/)
    assert.ok(info.http >= 400 && info.http < 600, code)
    assert.ok(info.exit === 1 || info.exit === 2 || info.exit === 3, code)
  }
})

test('README error table is in sync with src/errors.ts (run: npx tsx tools/errors-table.ts --write)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  assert.equal(readmeTable(readme), errorsTable())
})

test('isJwkitError checks the code, not the class', () => {
  assert.equal(isJwkitError(new JwkitError('ERR_JWK_INVALID', 'x')), true)
  const foreign = Object.assign(new Error('x'), { code: 'ERR_JWK_INVALID' })
  assert.equal(isJwkitError(foreign), true)
  assert.equal(isJwkitError(Object.assign(new Error('x'), { code: 'ENOENT' })), false)
  assert.equal(isJwkitError({ code: 'ERR_JWK_INVALID' }), false)
})
