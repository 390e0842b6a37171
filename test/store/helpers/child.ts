/**
 * @module test/store/helpers/child
 * A separate process for the crash, race and cross-process tests. Usage:
 *   node --import tsx child.ts crash URL     rotates through a lifecycle; JWKIT_CRASH_AT=step:n
 *                                            makes it SIGKILL itself at the n-th such step
 *   node --import tsx child.ts race URL GOFILE   waits for GOFILE, then tick() at JWKIT_NOW
 * It prints one JSON line per committed operation: { op, kids } (every kid in the store).
 */
import { existsSync } from 'node:fs'
import { createKeyManager } from '../../../src/store/key-manager.ts'
import { openKeyStore } from '../../../src/store/open-key-store.ts'

const [mode, url, goFile] = process.argv.slice(2)
const DAY = 86_400_000
let now = Number(process.env.JWKIT_NOW ?? 1_800_000_000_000)
const seen = new Map<string, number>()
const crashAt = process.env.JWKIT_CRASH_AT
const onStep = (step: string) => {
  const n = (seen.get(step) ?? 0) + 1
  seen.set(step, n)
  if (crashAt === `${step}:${n}`) process.kill(process.pid, 'SIGKILL')
}
const quiet = { warn() {} }

const store = await openKeyStore(url!, { onStep, logger: quiet })
const manager = createKeyManager(store, {}, { now: () => now, pollIntervalMs: 0, onStep, logger: quiet })
const report = async (op: string) => {
  const kids = (await store.list()).map((r) => r.kid)
  process.stdout.write(JSON.stringify({ op, kids, rotations: manager.status().rotations }) + '\n')
}

if (mode === 'crash') {
  await manager.init()
  await report('init')
  await manager.rotate({ now: true })
  await report('rotate')
  now += 31 * DAY
  await manager.tick()
  await report('tick-rotate')
  now += manager.policy.retireGrace
  await manager.tick()
  await report('tick-remove')
  await manager.revoke((await manager.activeKey()).kid)
  await report('revoke')
} else if (mode === 'race') {
  while (!existsSync(goFile!)) await new Promise((r) => setTimeout(r, 2))
  await manager.tick()
  await report('race')
} else {
  throw new Error(`unknown mode ${mode}`)
}
await manager.close()
await store.close()
