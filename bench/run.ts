/**
 * Runs every bench/*.ts (except this file and lib.ts, the shared helpers), one after another: `npm run bench`.
 * Each bench module exports `run(): Promise<void>` and prints its own table.
 */
import { readdirSync } from 'node:fs'

const dir = new URL('./', import.meta.url)
const only = process.argv.slice(2)
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'lib.ts').sort()) {
  if (only.length > 0 && !only.some((s) => file.includes(s))) continue
  console.log(`\n=== bench/${file}`)
  const mod = (await import(new URL(file, dir).href)) as { run?: () => Promise<void> }
  if (typeof mod.run === 'function') await mod.run()
}
