/**
 * @module store/store-files
 * File-system steps of the embedded SQLite store, each failing at once with a clear error:
 * `makeDirectory` creates the missing directories of a path one by one (Node's recursive mkdir
 * spins forever under /proc), and `inspectDatabaseFile` says whether a database file is missing,
 * empty, or not an SQLite file at all — so lost state is refused, never initialised over.
 */
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { JwkitError } from '../errors.ts'

const errno = (error: unknown) => String((error as NodeJS.ErrnoException)?.code ?? 'error')

/** Creates `dir` and its missing parents (mode 0700); throws ERR_STORE_UNAVAILABLE naming the directory. */
export function makeDirectory(dir: string): void {
  const missing: string[] = []
  let d = resolve(dir)
  // Walk up to the nearest existing ancestor: at most one step per path component.
  for (;;) {
    try {
      if (!statSync(d).isDirectory()) throw new JwkitError('ERR_STORE_UNAVAILABLE', `cannot create the directory of the SQLite store: ${d} is not a directory`)
      break
    } catch (error) {
      if (error instanceof JwkitError) throw error
      if (errno(error) !== 'ENOENT') throw new JwkitError('ERR_STORE_UNAVAILABLE', `cannot create the directory of the SQLite store: ${d} (${errno(error)})`, { cause: error })
      missing.push(d)
      const parent = dirname(d)
      if (parent === d) throw new JwkitError('ERR_STORE_UNAVAILABLE', `cannot create the directory of the SQLite store: ${d} (${errno(error)})`, { cause: error })
      d = parent
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m, { mode: 0o700 })
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw new JwkitError('ERR_STORE_UNAVAILABLE', `cannot create the directory of the SQLite store: ${m} (${errno(error)})`, { cause: error })
    }
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** What is at a database path: nothing, a 0-byte file (with no WAL content), an SQLite file, or something else. */
export function inspectDatabaseFile(path: string): 'missing' | 'empty' | 'sqlite' | 'foreign' {
  let size: number
  try {
    const st = statSync(path)
    if (!st.isFile()) return 'foreign'
    size = st.size
  } catch (error) {
    if (errno(error) === 'ENOENT') return 'missing'
    throw new JwkitError('ERR_STORE_UNAVAILABLE', `the SQLite store ${path} cannot be read (${errno(error)})`, { cause: error })
  }
  if (size === 0) {
    // A database whose pages are all still in its WAL is not empty.
    try {
      if (statSync(`${path}-wal`).size > 0) return 'sqlite'
    } catch {
      // no WAL
    }
    return 'empty'
  }
  const header = Buffer.alloc(SQLITE_HEADER.length)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw new JwkitError('ERR_STORE_UNAVAILABLE', `the SQLite store ${path} cannot be read (${errno(error)})`, { cause: error })
  }
  try {
    readSync(fd, header, 0, header.length, 0)
  } finally {
    closeSync(fd)
  }
  return header.equals(SQLITE_HEADER) ? 'sqlite' : 'foreign'
}
