/**
 * @module test/store/helpers/spawn
 * Runs a TypeScript file in a child process (`node --import tsx`), collecting its output.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const TSX = import.meta.resolve('tsx')
export const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
export const CLI = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url))

export interface ChildResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function runTs(file: string, args: string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, killSignal: 'SIGKILL' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** The JSON lines a child printed. */
export function lines<T>(stdout: string): T[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T)
}
