// The passphrase prompt through a real pseudo-terminal (util-linux `script`): asked on the
// terminal, twice for a new key file, never echoed; and the umask warning of `jwk generate > FILE`
// seen by a person at a terminal. Also: completion scripts loaded into a real bash.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { decryptJwk } from '../../src/jwe/encrypted-jwk.ts'

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const jwkCommand = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(main)}`
const hasScript = spawnSync('script', ['--version']).status === 0
const skip = hasScript ? false : 'util-linux script is not installed'
if (!hasScript && process.env.CI) test('script is available (required in CI)', () => assert.fail('util-linux script is missing'))
const dir = mkdtempSync(join(tmpdir(), 'jwkit-prompt-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const SECRET = 'tty-only passphrase 42'

/** Runs `command` in a pseudo-terminal; answers each prompt matching `answers[i][0]` with `answers[i][1]`. */
function inTerminal(command: string, answers: Array<[RegExp, string]>, timeoutMs = 60_000): Promise<{ transcript: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)), env: { ...process.env, TERM: 'dumb' } })
    let transcript = ''
    let next = 0
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out; transcript: ${transcript}`)) }, timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
      transcript += chunk.toString('utf8')
      while (next < answers.length && answers[next]![0].test(transcript)) {
        const answer = answers[next]![1]
        next++
        // Only after the prompt is shown (raw mode, no echo) is the answer typed.
        setTimeout(() => child.stdin.write(answer + '\r'), 100)
      }
    })
    child.on('exit', (status) => {
      clearTimeout(timer)
      child.stdin.end()
      resolve({ transcript, status })
    })
  })
}

describe('through a pseudo-terminal', { skip }, () => {
  test('generate --out-passphrase-prompt asks twice without echo; public then prompts to open the file', async () => {
    const out = join(dir, 'key.jwe')
    const made = await inTerminal(`${jwkCommand} generate ES256 --kid tty --out ${out} --out-passphrase-prompt`, [
      [/Passphrase for the new key file: /, SECRET],
      [/Same passphrase again: /, SECRET],
    ])
    assert.equal(made.status, 0, made.transcript)
    assert.ok(!made.transcript.includes(SECRET), `echoed: ${made.transcript}`)
    assert.ok(!made.transcript.includes('tty-only'), made.transcript)
    assert.equal(statSync(out).mode & 0o777, 0o600)
    const key = await decryptJwk(readFileSync(out, 'utf8'), SECRET)
    assert.equal(key.kid, 'tty')
    const opened = await inTerminal(`${jwkCommand} public ${out}`, [[/Passphrase for the encrypted key file/, SECRET]])
    assert.equal(opened.status, 0, opened.transcript)
    assert.ok(!opened.transcript.includes(SECRET))
    assert.match(opened.transcript, /"kid": "tty"/)
    assert.doesNotMatch(opened.transcript, /"d":/)
    const mismatch = await inTerminal(`${jwkCommand} generate ES256 --out ${join(dir, 'other.jwe')} --out-passphrase-prompt`, [
      [/Passphrase for the new key file: /, SECRET],
      [/Same passphrase again: /, 'something else'],
    ])
    assert.equal(mismatch.status, 2)
    assert.match(mismatch.transcript, /the two passphrases differ/)
  })

  test('jwk generate > key.json on a terminal warns that the mode follows the umask', async () => {
    const r = await inTerminal(`umask 022; ${jwkCommand} generate ES256 > ${join(dir, 'plain.json')}`, [])
    assert.equal(r.status, 0, r.transcript)
    assert.match(r.transcript, /standard output is a file others may read \(its mode follows the umask\); use --out FILE/)
    const quiet = await inTerminal(`umask 077; ${jwkCommand} generate ES256 > ${join(dir, 'private.json')}`, [])
    assert.doesNotMatch(quiet.transcript, /umask/)
  })
})

test('completion scripts: bash completes commands and options; zsh and fish scripts parse', () => {
  const script = join(dir, 'jwk.bash')
  const r = spawnSync('bash', ['-c', `${jwkCommand} completion bash > ${script} && source ${script} && complete -p jwk &&
    COMP_WORDS=(jwk ver); COMP_CWORD=1; _jwk; echo "1:\${COMPREPLY[*]}";
    COMP_WORDS=(jwk sign --js); COMP_CWORD=2; _jwk; echo "2:\${COMPREPLY[*]}";
    COMP_WORDS=(jwk help th); COMP_CWORD=2; _jwk; echo "3:\${COMPREPLY[*]}";
    COMP_WORDS=(jwk completion z); COMP_CWORD=2; _jwk; echo "4:\${COMPREPLY[*]}"`], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /complete -o filenames -F _jwk jwk/)
  assert.match(r.stdout, /^1:verify$/m)
  assert.match(r.stdout, /^2:--json --json-serialization$/m)
  assert.match(r.stdout, /^3:thumbprint$/m)
  assert.match(r.stdout, /^4:zsh$/m)
  for (const [shell, check] of [['zsh', ['zsh', '-n']], ['fish', ['fish', '--no-execute']]] as const) {
    const text = spawnSync('bash', ['-c', `${jwkCommand} completion ${shell}`], { encoding: 'utf8' })
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, shell === 'zsh' ? /#compdef jwk/ : /complete -c jwk -n __fish_use_subcommand -a verify/)
    // Parse with the shell itself when it is installed.
    if (spawnSync(check[0], ['--version']).status === 0) {
      const parsed = spawnSync(check[0], [...check.slice(1)], { input: text.stdout, encoding: 'utf8' })
      assert.equal(parsed.status, 0, parsed.stderr)
    }
  }
})
