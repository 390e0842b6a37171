import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultTickInterval, startScheduler } from '../../src/server/scheduler.ts'
import { createLogger } from '../../src/server/logger.ts'
import { createServerMetrics } from '../../src/server/metrics.ts'
import { createFakeManager } from './fake-manager.ts'

test('ticks on an interval with jitter, logs applied rotations, survives failures', async () => {
  const manager = createFakeManager()
  const results: Array<number | Error> = [0, 2, new Error('store down'), 1]
  let ticks = 0
  manager.tick = async () => {
    const r = results[ticks++ % results.length]!
    if (r instanceof Error) throw r
    return r
  }
  const lines: string[] = []
  const metrics = createServerMetrics()
  const scheduler = startScheduler(manager, { intervalMs: 20, jitter: () => 0.5, logger: createLogger({ write: (l) => lines.push(l) }), metrics })
  while (ticks < 5) await new Promise((r) => setTimeout(r, 10))
  await scheduler.stop()
  const stoppedAt = ticks
  await new Promise((r) => setTimeout(r, 60))
  assert.equal(ticks, stoppedAt)
  const msgs = lines.map((l) => JSON.parse(l).msg)
  assert.ok(msgs.includes('rotation applied'))
  assert.ok(msgs.includes('scheduled tick failed; will retry'))
  assert.match(metrics.render(manager), /^jwkit_background_errors_total\{kind="tick"\} 1$/m)
})

test('tickNow coalesces concurrent calls; default interval is a tenth of the period within [1 s, 60 s]', async () => {
  const manager = createFakeManager()
  let calls = 0
  manager.tick = async () => { calls++; await new Promise((r) => setTimeout(r, 10)); return 0 }
  const s = startScheduler(manager, { intervalMs: 60_000 })
  await Promise.all([s.tickNow(), s.tickNow(), s.tickNow()])
  assert.equal(calls, 1)
  await s.stop()
  assert.equal(defaultTickInterval(30 * 86_400_000), 60_000)
  assert.equal(defaultTickInterval(5_000), 1_000)
  assert.equal(defaultTickInterval(100_000), 10_000)
  assert.throws(() => startScheduler(manager, { intervalMs: 0 }), RangeError)
})
