/**
 * @module cli/commands/keys
 * `jwk keys list|rotate|retire|revoke|rewrap [--store URL]`: manages the stored signing keys,
 * thin over `openKeyStore`, `createKeyManager` and `rewrapKeys` (store/). The policy's
 * algorithms are taken from the store itself, so the command never retires another
 * algorithm's keys; durations are not applied here (no tick), only the operation asked for.
 */
import { JwkitError } from '../../errors.ts'
import { createKeyManager } from '../../store/key-manager.ts'
import { DEFAULT_STORE_URL, openKeyStore } from '../../store/open-key-store.ts'
import { rewrapKeys } from '../../store/rewrap.ts'
import type { KeyRecord, KeyStore } from '../../store/types.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readOneKey } from './read-key.ts'

const help = `Usage: jwk keys list [--json] [--store URL]
       jwk keys rotate [--alg A] [--store URL]
       jwk keys retire KID [--store URL]
       jwk keys revoke KID [--store URL]
       jwk keys rewrap [--store URL]
       jwk keys import FILE [--alg A] [--kid K] [--store URL]

Manages the signing keys of a key store (the one "jwk serve" publishes).

  list     kid, alg, state and dates of every key (--json: machine-readable)
  rotate   the next key starts signing now, the active one retires (kept published for the
           grace period), and a new next key is published; --alg: only that algorithm
  retire   KID stops signing (a successor takes over) and stays published for the grace period
  revoke   KID leaves publication at once (a compromised key); a successor takes over
  rewrap   re-seals every private key under the first KEK of JWKIT_KEK
  import   adds an existing private key (JWK, encrypted JWK file, PEM, OpenSSH private key;
           --kid picks one of a JWK Set) as a next key: sealed like a generated one, its
           thumbprint as kid, published now, signing after a later rotation

Options:
  --store URL   sqlite:PATH | postgres://… (?schema=S) | memory:  (env JWKIT_STORE; default ${DEFAULT_STORE_URL})
  --alg A       rotate: only this algorithm; import: the key's algorithm (default: its alg)
  --passphrase-file F, --passphrase-env VAR
                import: the passphrase of an encrypted key file (else a prompt on a terminal)
  --json        JSON output ({"keys"}, {"active"}, {"kid", "state"}, {"rewrapped"}, {"imported"})
  -h, --help    show this help

Private keys are sealed with AES-256-GCM under the KEK from JWKIT_KEK (base64url, 32 bytes;
several comma-separated: the first seals, all unseal) or JWKIT_KEK_FILE; a sqlite: store
without either uses <dbdir>/kek, created on first use (mode 0600).

${EXIT_STATUS}A store that cannot be reached exits 3.
`

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

function view(r: KeyRecord) {
  return {
    kid: r.kid, alg: r.alg, state: r.state,
    createdAt: iso(r.createdAt), publishedAt: iso(r.publishedAt), activatedAt: iso(r.activatedAt),
    retiredAt: iso(r.retiredAt), removedAt: iso(r.removedAt),
  }
}

function printTable(io: CliIo, records: readonly KeyRecord[]): void {
  if (records.length === 0) {
    io.stdout('no keys\n')
    return
  }
  const rows = [['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED'],
    ...records.map((r) => [r.kid, r.alg, r.state, iso(r.createdAt) ?? '-', iso(r.activatedAt) ?? '-', iso(r.retiredAt) ?? '-'])]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  for (const row of rows) io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n')
}

/** A manager over the store's own algorithms (no tick: durations stay the server's business). */
async function managerFor(store: KeyStore, io: CliIo, alg?: string) {
  const records = await store.list()
  const algs = [...new Set(records.filter((r) => r.state === 'active' || r.state === 'next').map((r) => r.alg))]
  if (alg !== undefined && !algs.includes(alg)) algs.push(alg)
  const manager = createKeyManager(store, algs.length > 0 ? { algorithms: algs } : {}, {
    pollIntervalMs: 0, autoTick: false, logger: { warn: (m) => io.stderr(m + '\n') },
  })
  await manager.init()
  return manager
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list, rotate, retire, revoke or rewrap the stored keys',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { store: { type: 'string' }, alg: { type: 'string' }, ...KEY_INPUT_FLAGS })
    const [action, kid, ...extra] = positionals
    const needsKid = action === 'retire' || action === 'revoke' || action === 'import'
    if (!['list', 'rotate', 'retire', 'revoke', 'rewrap', 'import'].includes(action ?? '')) {
      throw new JwkitError('ERR_CLI_USAGE', 'jwk keys needs an action: list, rotate, retire KID, revoke KID, rewrap or import FILE')
    }
    if (extra.length > 0 || (needsKid ? kid === undefined : kid !== undefined)) {
      throw new JwkitError('ERR_CLI_USAGE', needsKid ? `jwk keys ${action} needs exactly one ${action === 'import' ? 'FILE' : 'KID'}` : `jwk keys ${action} takes no argument`)
    }
    if (values.alg !== undefined && action !== 'rotate' && action !== 'import') throw new JwkitError('ERR_CLI_USAGE', '--alg applies to rotate and import only')
    if (action !== 'import' && (values.kid !== undefined || values['passphrase-file'] !== undefined || values['passphrase-env'] !== undefined)) {
      throw new JwkitError('ERR_CLI_USAGE', '--kid and the passphrase options apply to import only')
    }
    // The key is read (and its passphrase asked for) before the store is opened.
    const imported = action === 'import' ? await readOneKey(io, kid, values, 'the key file') : undefined
    const url = values.store ?? (io.env.JWKIT_STORE || DEFAULT_STORE_URL)
    const store = await openKeyStore(url, { env: io.env, logger: { warn: (m) => io.stderr(m + '\n') } })
    try {
      switch (action) {
        case 'list': {
          const records = await store.list()
          if (values.json) printJson(io, { keys: records.map(view) })
          else printTable(io, records)
          return 0
        }
        case 'rotate': {
          const manager = await managerFor(store, io, values.alg)
          const active = await manager.rotate(values.alg)
          await manager.close()
          if (values.json) printJson(io, { active: active.map(view) })
          else for (const r of active) io.stdout(`${r.alg}: ${r.kid} is now active\n`)
          return 0
        }
        case 'retire':
        case 'revoke': {
          const manager = await managerFor(store, io)
          const record = action === 'retire' ? await manager.retire(kid!) : await manager.revoke(kid!)
          await manager.close()
          if (values.json) printJson(io, view(record))
          else io.stdout(`${record.kid}: ${record.state}\n`)
          return 0
        }
        case 'import': {
          const { importKey } = await import('../../store/import-key.ts')
          const record = await importKey(store, imported!, values.alg === undefined ? {} : { alg: values.alg })
          if (values.json) printJson(io, { imported: view(record) })
          else io.stdout(`${record.kid}: imported as ${record.alg}, state next (published now; signs after a later rotation)\n`)
          return 0
        }
        default: {
          const n = await rewrapKeys(store)
          if (values.json) printJson(io, { rewrapped: n, kekId: store.sealer?.primaryKekId ?? null })
          else io.stdout(`re-sealed ${n} key${n === 1 ? '' : 's'} under KEK ${store.sealer?.primaryKekId ?? '?'}\n`)
          return 0
        }
      }
    } finally {
      await store.close()
    }
  },
}

/** `jwk sign --store URL`: signs with the store's active key (its kid in the header). */
export async function signWithStore(
  io: CliIo,
  url: string,
  request: { claims?: Record<string, unknown>; payload?: Uint8Array; alg?: string; typ?: string; expiresIn?: number },
): Promise<string> {
  const store = await openKeyStore(url, { env: io.env, logger: { warn: (m) => io.stderr(m + '\n') } })
  try {
    const records = await store.list()
    const alg = request.alg ?? records.find((r) => r.state === 'active')?.alg
    if (alg === undefined || !records.some((r) => r.alg === alg && r.state === 'active')) {
      throw new JwkitError('ERR_STORE_NO_ACTIVE_KEY', `the store has no active key${alg === undefined ? '' : ` for ${alg}`} (run jwk keys rotate or jwk serve first)`)
    }
    const manager = await managerFor(store, io, alg)
    try {
      if (request.claims !== undefined) {
        return await manager.signJwt(request.claims, { alg, typ: request.typ, expiresIn: request.expiresIn })
      }
      return await manager.signJws(request.payload ?? new Uint8Array(0), { alg, header: request.typ === undefined ? undefined : { typ: request.typ } })
    } finally {
      await manager.close()
    }
  } finally {
    await store.close()
  }
}
