/**
 * @module cli/files
 * File errors and file output of the `jwk` command. A file error names the flag and, when the
 * argument looks like a file name, the path — never an argument that may be key material
 * (`--key '{"kty":"EC",…,"d":…}'` fails with ENAMETOOLONG and is not echoed). `--out FILE`
 * writes a temporary file beside FILE with its final mode (0600 for private material) and
 * renames it over FILE, so an existing FILE's looser mode never applies; an existing FILE is
 * replaced only with `--force`.
 */
import { createRequire } from 'node:module'
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { JwkitError } from '../errors.ts'

/** A path is shown only when it looks like one: short, one line, none of the characters of JSON or PEM. */
export function describePath(path: unknown): string {
  if (typeof path !== 'string') return ''
  if (path.length <= 200 && /^[\p{L}\p{N} ._~/\\:@%+,=#-]+$/u.test(path) && !path.includes('-----')) return ` ${path}`
  return ' (the argument is not shown: it does not look like a file name; give key material in a file, or - for standard input)'
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'it exists (use --force to replace it)',
  ENAMETOOLONG: 'the name is too long for a file name (give key material in a file, or - for standard input)',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
}

/** A file-system failure as ERR_FILE_ACCESS (exit 3): the operation, the flag, the path when safe, the reason. */
export function fileError(error: unknown, op: 'read' | 'write', what: string, file?: string): unknown {
  const e = error as NodeJS.ErrnoException
  if (!e || typeof e.code !== 'string' || e.syscall === undefined) return error
  const shown = e.code === 'ENAMETOOLONG' ? ' (not shown)' : describePath(file ?? e.path)
  const reason = REASONS[e.code] ?? e.code
  return new JwkitError('ERR_FILE_ACCESS', `cannot ${op} ${what}${file === '-' ? '' : shown}: ${reason}`, { detail: { errno: e.code } })
}

export interface WriteOutputOptions {
  /** Private material: mode 0600 (else 0644, less the umask). */
  secret: boolean
  /** Replace an existing file. */
  force: boolean
}

/** Writes `data` to `file` atomically: a temporary file with the final mode beside it, then a rename. */
export function writeOutputFile(file: string, data: string | Uint8Array, options: WriteOutputOptions): void {
  try {
    if (!options.force && existsSync(file)) {
      throw Object.assign(new Error('exists'), { code: 'EEXIST', syscall: 'open', path: file })
    }
    if (existsSync(file) && lstatSync(file).isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR', syscall: 'open', path: file })
    // node:crypto only when a file is written (it costs start-up time for every other command).
    const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
    const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
    // 'wx': never follow or reuse an existing name; the mode is set at creation, before any byte.
    const fd = openSync(temp, 'wx', options.secret ? 0o600 : 0o644)
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
      let offset = 0
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
      fsyncSync(fd)
    } catch (error) {
      closeSync(fd)
      unlinkSync(temp)
      throw error
    }
    closeSync(fd)
    try {
      renameSync(temp, file)
    } catch (error) {
      unlinkSync(temp)
      throw error
    }
  } catch (error) {
    throw fileError(error, 'write', '--out', file)
  }
}
