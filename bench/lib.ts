/**
 * Shared by the bench files (not a bench itself: it exports no `run`): per-call medians with
 * tinybench, the usual table of ratios against the node:crypto floor and jose, and the test
 * for "this file was run directly" (`node --import tsx bench/x.ts`).
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Bench, type Task } from 'tinybench'

/** One measured task: `medianUs` is the median (p50) latency of one call, in microseconds. */
export interface Row { group: string; task: string; medianUs: number }

/** The median latency of a finished tinybench task in µs (NaN if it did not complete). */
export function medianUs(task: Task): number {
  const r = task.result as { latency?: { p50: number } } | undefined
  return (r?.latency?.p50 ?? NaN) * 1000
}

/** Runs `tasks` (name → call) in one tinybench, `timeMs` each after warm-up: one row per task. */
export async function measure(group: string, tasks: Record<string, () => unknown>, timeMs = 400): Promise<Row[]> {
  const bench = new Bench({ time: timeMs, warmup: true })
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn as () => void)
  await bench.run()
  return bench.tasks.map((t) => ({ group, task: t.name, medianUs: medianUs(t) }))
}

/** The middle value (upper median for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
}

/**
 * The usual table: per row its median, its time over the group's floor task (name starting with
 * `floor`) and jose's speed-up over it (jose task time / its time; `n/a` when the group has no
 * jose task).
 */
export function ratioTable(rows: readonly Row[]): Array<Record<string, string>> {
  return rows.map((r) => {
    const floor = rows.find((x) => x.group === r.group && x.task.startsWith('floor'))!.medianUs
    const jose = rows.find((x) => x.group === r.group && x.task.startsWith('jose'))?.medianUs
    return {
      group: r.group,
      task: r.task,
      'median µs': r.medianUs.toFixed(2),
      'x floor time': (r.medianUs / floor).toFixed(2),
      'speed vs jose': jose === undefined ? 'n/a' : (jose / r.medianUs).toFixed(2),
    }
  })
}

/** True when the module at `moduleUrl` (pass `import.meta.url`) is the script node was started with. */
export function invokedDirectly(moduleUrl: string): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl))
  } catch {
    return false
  }
}

/**
 * CPU time per call of each task, in interleaved rounds: every round runs each task for about
 * `roundMs` of CPU (call count calibrated once per task), in forward order on even rounds and
 * reversed on odd ones. CPU time (`process.cpuUsage`, user + system, all threads) instead of wall
 * time because on the shared 2-core machine a neighbour's burst stretches the wall clock of
 * whichever task is running; interleaving spreads what remains over all tasks. Returns, per task,
 * the µs per call of every round (index = round), for medians and per-round ratios.
 */
export async function cpuRounds(tasks: ReadonlyArray<readonly [string, () => unknown]>, rounds = 15, roundMs = 25): Promise<Map<string, number[]>> {
  const cpuUs = () => { const c = process.cpuUsage(); return c.user + c.system }
  const runBatch = async (fn: () => unknown, n: number): Promise<number> => {
    const t0 = cpuUs()
    for (let i = 0; i < n; i++) { const r = fn(); if (r instanceof Promise) await r }
    return cpuUs() - t0
  }
  const counts = new Map<string, number>()
  for (const [name, fn] of tasks) {
    await runBatch(fn, 50) // warm-up
    let n = 16
    let spent = await runBatch(fn, n)
    while (spent < roundMs * 250 && n < 1 << 22) { n *= 2; spent = await runBatch(fn, n) }
    counts.set(name, Math.max(1, Math.round((n * roundMs * 1000) / Math.max(spent, 1))))
  }
  const out = new Map<string, number[]>(tasks.map(([name]) => [name, []]))
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of r % 2 === 0 ? tasks : [...tasks].reverse()) {
      const n = counts.get(name)!
      out.get(name)!.push((await runBatch(fn, n)) / n)
    }
  }
  return out
}
