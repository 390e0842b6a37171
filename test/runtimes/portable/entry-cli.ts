// Bun, Deno and Node: `RUNTIME entry.js BASE MODE NAME`; the result is POSTed to BASE/result.
import { main, type Mode } from './main.ts'
const g = globalThis as unknown as { Deno?: { args: string[] }; process?: { argv: string[] } }
const args = g.Deno?.args ?? g.process!.argv.slice(2)
const [base, mode, name] = args as [string, Mode, string]
const result = await main(name, base, mode)
await fetch(`${base}/result`, { method: 'POST', body: JSON.stringify(result) })
