// One entry for every runtime: run the portable suite, or produce / consume interop tokens.
import { consume, produce, runSuite, type SuiteResult } from './suite.ts'

export type Mode = 'suite' | 'produce' | 'consume'

export async function main(runtime: string, base: string, mode: Mode): Promise<SuiteResult> {
  if (mode === 'suite') return runSuite(runtime, base)
  const result: SuiteResult = { runtime, backend: '', passed: 0, failed: [], refused: [] }
  try {
    if (mode === 'produce') result.tokens = await produce(runtime)
    else {
      const tokens = await (await fetch(`${base}/tokens.json`)).json() as Record<string, Record<string, string>>
      result.consumed = await consume(tokens)
    }
    result.passed = 1
  } catch (error) {
    result.failed.push({ name: mode, error: error instanceof Error ? error.message : String(error) })
  }
  return result
}
