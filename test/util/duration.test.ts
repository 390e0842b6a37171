import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LONG_UNITS, readDuration, SHORT_UNITS } from '../../src/util/duration.ts'

test('strict grammar: 1 to 9 digits and a listed unit at once, exact case', () => {
  const g = { units: SHORT_UNITS }
  assert.deepEqual(readDuration('250ms', g), { amount: 250, unitMs: 1 })
  assert.deepEqual(readDuration('2w', g), { amount: 2, unitMs: 604_800_000 })
  for (const t of ['10', '1.5h', '1 h', '1H', '1234567890s', '10y', ' 1s', '1e3s', 'constructor', '1toString']) assert.equal(readDuration(t, g), undefined, t)
  assert.deepEqual(readDuration('10', { units: SHORT_UNITS, defaultUnit: 's' }), { amount: 10, unitMs: 1000 })
})

test('lenient grammar: fractions, one space, any case, long names; a bare number takes the default unit', () => {
  const g = { units: LONG_UNITS, defaultUnit: 's', lenient: true }
  assert.deepEqual(readDuration('1.5 Hours', g), { amount: 1.5, unitMs: 3_600_000 })
  assert.deepEqual(readDuration('90', g), { amount: 90, unitMs: 1000 })
  assert.deepEqual(readDuration('1y', g), { amount: 1, unitMs: 31_557_600_000 })
  for (const t of ['10ms', '1  h', '.5h', '1.h', '-1s', 'soon', '1 __proto__']) assert.equal(readDuration(t, g), undefined, t)
  // Every long unit is a whole number of seconds, so callers counting seconds divide exactly.
  for (const ms of Object.values(LONG_UNITS)) assert.ok(Number.isInteger(ms / 1000))
})
