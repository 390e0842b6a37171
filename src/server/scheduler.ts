/**
 * @module server/scheduler
 * Applies due rotations in the running process: calls `manager.tick()` on an interval with
 * jitter (so a fleet of servers sharing one store does not tick in step; the store's lock makes
 * the rotation happen once), and logs what was applied or what failed.
 */
import type { KeyManager } from '../store/types.ts'
import { silentLogger, type Logger } from './logger.ts'
import type { ServerMetrics } from './metrics.ts'
import { ownOptions } from '../util/dict.ts'

export interface StartSchedulerOptions {
  /** Mean time between ticks (default: a tenth of the rotation period, between 1 s and 60 s). */
  intervalMs?: number
  /** [0, 1) per tick; each wait is intervalMs × (0.8 … 1.2) (default Math.random). */
  jitter?: () => number
  logger?: Logger
  metrics?: ServerMetrics
}

export interface Scheduler {
  /** Runs one tick now (also what the timer calls); never throws. */
  tickNow(): Promise<number>
  /** Stops the timer and waits for a running tick to end. */
  stop(): Promise<void>
}

/** The default tick interval for a rotation period. */
export function defaultTickInterval(rotateEveryMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(rotateEveryMs / 10)))
}

export function startScheduler(manager: KeyManager, options: StartSchedulerOptions = {}): Scheduler {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const logger = options.logger ?? silentLogger
  const jitter = options.jitter ?? Math.random
  const interval = options.intervalMs ?? defaultTickInterval(manager.policy.rotateEvery)
  if (!(interval > 0) || !Number.isFinite(interval)) throw new RangeError('intervalMs must be a positive number')
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let stopped = false

  const tickNow = (): Promise<number> => {
    if (running) return running
    running = (async () => {
      try {
        const applied = await manager.tick()
        if (applied > 0) {
          const active = manager.keys().filter((k) => k.state === 'active').map((k) => ({ kid: k.kid, alg: k.alg }))
          logger.info('rotation applied', { actions: applied, active })
        }
        return applied
      } catch (error) {
        options.metrics?.countError('tick')
        logger.warn('scheduled tick failed; will retry', { error })
        return 0
      } finally {
        running = undefined
      }
    })()
    return running
  }

  const fraction = () => {
    const r = jitter()
    return r >= 0 && r < 1 ? r : 0.5
  }
  const schedule = (wait: number) => {
    if (stopped) return
    timer = setTimeout(() => void tickNow().then(() => schedule(Math.round(interval * (0.8 + 0.4 * fraction())))), wait)
    timer.unref()
  }
  // The first tick comes at once (within a jittered second): a rotation that fell due while no
  // process ran is applied at start-up, then every interval × (0.8 … 1.2).
  schedule(Math.round(Math.min(interval, 1_000) * fraction()))

  return {
    tickNow,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      if (running) await running
    },
  }
}
