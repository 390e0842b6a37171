/**
 * @module cli/commands/keys
 * `jwk keys list|rotate|retire|revoke|rewrap [--store URL]`: manages the stored signing keys,
 * thin over `openKeyStore`, `createKeyManager` and `rewrapKeys` (store/). The policy's
 * algorithms are taken from the store itself, so the command never retires another
 * algorithm's keys; durations are not applied here (no tick), only the operation asked for.
 */
import { JwkitError } from '../../errors.ts'
import type { JwkSet } from '../../jwk/types.ts'
import { createKeyManager } from '../../store/key-manager.ts'
import { createPublishedSet } from '../../store/published-set.ts'
import { tokenLifetime } from '../../store/manager-signing.ts'
import { DEFAULT_STORE_URL, openKeyStore } from '../../store/open-key-store.ts'
import { rewrapKeys } from '../../store/rewrap.ts'
import { policyFromEnv } from '../../server/config.ts'
import type { KeyRecord, KeyStore, RotationOutcome } from '../../store/types.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readOneKey } from './read-key.ts'

const help = `Usage: jwk keys list [--json] [--store URL]
       jwk keys rotate [--alg A [--add]] [--now] [--store URL]
       jwk keys retire KID [--now] [--store URL]
       jwk keys revoke KID [--store URL]
       jwk keys rewrap [--store URL]
       jwk keys import FILE [--alg A] [--kid K] [--store URL]

Manages the signing keys of a key store (the one "jwk serve" publishes).

  list     kid, alg, state and dates of every key (--json: machine-readable); needs no KEK
  rotate   the next key starts signing, the active one retires (kept published for the grace
           period), and a new next key is published. A key signs only once it has been
           published for the prepublish time (JWKIT_PREPUBLISH, default 2 x JWKS max-age + 10m):
           if the next key is younger, the rotation is scheduled for that moment and the command
           says when (the server's scheduler applies it, or run rotate again then).
           --alg: only that algorithm; --add: start a lifecycle for an algorithm the store has
           no keys of (its first key is published first and signs after the prepublish time)
  --now    emergency: the next key signs at once (verifiers holding a cached JWK Set refuse its
           tokens until they refetch; a warning is printed)
  retire   KID stops signing (a successor takes over, as rotate does; --now: at once) and stays
           published for the grace period
  revoke   KID leaves publication at once (a compromised key); a successor takes over
  rewrap   re-seals every private key under the first KEK of JWKIT_KEK
  import   adds an existing private key (JWK, encrypted JWK file, PEM, OpenSSH private key;
           --kid picks one of a JWK Set) as a next key: sealed like a generated one, its
           thumbprint as kid, published now, signing after a later rotation

Options:
  --store URL   sqlite:PATH | postgres://… (?schema=S) | memory:  (env JWKIT_STORE; default ${DEFAULT_STORE_URL})
  --alg A       rotate: only this algorithm; import: the key's algorithm (default: its alg)
  --add         rotate: start the lifecycle of --alg A
  --now         rotate, retire: do not wait for the prepublish time (emergency)
  --passphrase-file F, --passphrase-env VAR
                import: the passphrase of an encrypted key file (else a prompt on a terminal)
  --json        JSON output ({"keys"}, {"outcomes"}, {"kid", "state"}, {"rewrapped"}, {"imported"})
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
    retiredAt: iso(r.retiredAt), removedAt: iso(r.removedAt), activateAt: iso(r.activateAt ?? null),
  }
}

function printTable(io: CliIo, records: readonly KeyRecord[]): void {
  if (records.length === 0) {
    io.stdout('no keys\n')
    return
  }
  const rows = [['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED'],
    ...records.map((r) => [r.kid, r.alg, r.state, iso(r.createdAt) ?? '-',
      iso(r.activatedAt) ?? (r.state === 'next' && r.activateAt != null ? `from ${iso(r.activateAt)}` : '-'), iso(r.retiredAt) ?? '-'])]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  for (const row of rows) io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n')
}

/** A manager over the store's own algorithms (no tick: durations stay the server's business). */
async function managerFor(store: KeyStore, io: CliIo, alg?: string, add = false, init = true) {
  const records = await store.list()
  const algs = [...new Set(records.filter((r) => r.state === 'active' || r.state === 'next').map((r) => r.alg))]
  // The first algorithm of an empty store may be chosen; another one only with --add.
  if (alg !== undefined && !algs.includes(alg)) {
    if (algs.length === 0) algs.push(alg)
    else if (!add) throw new JwkitError('ERR_CLI_USAGE', `the store has no ${alg.slice(0, 32)} keys (it has ${algs.join(', ')}); --add starts a lifecycle for ${alg.slice(0, 32)}`)
  }
  const manager = createKeyManager(store, { ...policyFromEnv(io.env), ...(algs.length > 0 ? { algorithms: algs } : {}) }, {
    pollIntervalMs: 0, autoTick: false, logger: { warn: (m) => io.stderr(m + '\n') },
  })
  // rotate initialises by itself, so that it knows when it created the first keys of an empty store.
  if (init) await manager.init()
  return manager
}

const iso1 = (t: number | undefined | null) => (t == null ? '?' : new Date(t).toISOString())

/** One line per algorithm: what the rotation did, and when a scheduled key signs. */
function describeOutcome(o: RotationOutcome, prepublishMs: number): string {
  const next = o.next?.kid ?? '?'
  switch (o.outcome) {
    case 'started':
      return `${o.alg}: the store had no ${o.alg} keys: created ${o.active?.kid ?? '?'} (active) and ${next} (next); nothing to rotate\n`
    case 'activated':
      return `${o.alg}: ${o.active!.kid} is now active; ${next} is the next key\n`
    case 'forced':
      return `${o.alg}: ${o.active!.kid} is now active (forced before its prepublish time); ${next} is the next key\n`
    default:
      if (o.active === undefined) return `${o.alg}: added; ${next} is published and starts signing at ${iso1(o.activateAt)}\n`
      return `${o.alg}: rotation scheduled: ${next} starts signing at ${iso1(o.activateAt)}, once published for the prepublish time (${Math.round(prepublishMs / 60_000)} min); ` +
        `${o.active.kid} signs until then. jwk serve applies it (or run jwk keys rotate again then); --now rotates at once.\n`
  }
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list, rotate, retire, revoke or rewrap the stored keys',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      store: { type: 'string' }, alg: { type: 'string' }, now: { type: 'boolean' }, add: { type: 'boolean' }, ...KEY_INPUT_FLAGS,
    })
    const [action, kid, ...extra] = positionals
    const needsKid = action === 'retire' || action === 'revoke' || action === 'import'
    if (!['list', 'rotate', 'retire', 'revoke', 'rewrap', 'import'].includes(action ?? '')) {
      throw new JwkitError('ERR_CLI_USAGE', 'jwk keys needs an action: list, rotate, retire KID, revoke KID, rewrap or import FILE')
    }
    if (extra.length > 0 || (needsKid ? kid === undefined : kid !== undefined)) {
      throw new JwkitError('ERR_CLI_USAGE', needsKid ? `jwk keys ${action} needs exactly one ${action === 'import' ? 'FILE' : 'KID'}` : `jwk keys ${action} takes no argument`)
    }
    if (values.alg !== undefined && action !== 'rotate' && action !== 'import') throw new JwkitError('ERR_CLI_USAGE', '--alg applies to rotate and import only')
    if (values.add && (action !== 'rotate' || values.alg === undefined)) throw new JwkitError('ERR_CLI_USAGE', '--add applies to rotate --alg A only')
    if (values.now && action !== 'rotate' && action !== 'retire') throw new JwkitError('ERR_CLI_USAGE', '--now applies to rotate and retire only')
    if (action !== 'import' && (values.kid !== undefined || values['passphrase-file'] !== undefined || values['passphrase-env'] !== undefined)) {
      throw new JwkitError('ERR_CLI_USAGE', '--kid and the passphrase options apply to import only')
    }
    // The key is read (and its passphrase asked for) before the store is opened.
    const imported = action === 'import' ? await readOneKey(io, kid, values, 'the key file') : undefined
    const url = values.store ?? (io.env.JWKIT_STORE || DEFAULT_STORE_URL)
    // Only rotate may create a store: the other actions refuse a store that does not exist.
    // list reads public keys and states only: it needs no KEK (publicOnly).
    const store = await openKeyStore(url, {
      env: io.env, logger: { warn: (m) => io.stderr(m + '\n') }, mustExist: action !== 'rotate' && action !== 'import', publicOnly: action === 'list',
    })
    try {
      switch (action) {
        case 'list': {
          const records = await store.list()
          if (values.json) printJson(io, { keys: records.map(view) })
          else printTable(io, records)
          return 0
        }
        case 'rotate': {
          const manager = await managerFor(store, io, values.alg, values.add === true, false)
          try {
            const outcomes = await manager.rotateKeys({
              ...(values.alg === undefined ? {} : { alg: values.alg }), now: values.now === true, add: values.add === true,
            })
            if (values.json) {
              printJson(io, { active: outcomes.flatMap((o) => (o.active ? [view(o.active)] : [])), outcomes: outcomes.map((o) => ({ alg: o.alg, outcome: o.outcome, active: o.active ? view(o.active) : null, next: o.next ? view(o.next) : null, activateAt: iso(o.activateAt ?? null) })) })
            } else for (const o of outcomes) io.stdout(describeOutcome(o, manager.policy.prepublish))
            if (values.add) {
              io.stderr(`jwk: a jwk serve on this store must list ${values.alg} in --alg (JWKIT_ALG), or its tick retires these keys as an algorithm dropped from its policy\n`)
            }
          } finally {
            await manager.close()
          }
          return 0
        }
        case 'retire':
        case 'revoke': {
          const manager = await managerFor(store, io)
          try {
            const record = action === 'retire' ? await manager.retire(kid!, { now: values.now === true }) : await manager.revoke(kid!)
            if (values.json) printJson(io, view(record))
            else if (record.state === 'active') {
              const next = manager.keys().find((r) => r.alg === record.alg && r.state === 'next' && r.activateAt != null)
              io.stdout(`${record.kid}: active until ${iso1(next?.activateAt)}, then retired (its successor ${next?.kid ?? '?'} is not published long enough yet; --now retires at once)\n`)
            } else io.stdout(`${record.kid}: ${record.state}\n`)
          } finally {
            await manager.close()
          }
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
          if (values.json) printJson(io, { rewrapped: n, kekId: store.sealer?.primaryKekId ?? null, kekSource: store.kekSource ?? null })
          else {
            io.stdout(`re-sealed ${n} key${n === 1 ? '' : 's'} under KEK ${store.sealer?.primaryKekId ?? '?'}\n`)
            io.stdout(`from now on, every process that opens this store needs that KEK: ${store.kekSource ?? 'the configured KEK'}; older KEKs can be dropped\n`)
          }
          return 0
        }
      }
    } finally {
      await store.close()
    }
  },
}

/** `jwk sign --store URL`: signs with the store's active key (its kid in the header). */
/** What a store publishes (its active, next and retired public keys, as the key server serves them), read once. */
export async function publishedSetOfStore(io: CliIo, url: string): Promise<JwkSet> {
  const store = await openKeyStore(url, { env: io.env, logger: { warn: (m) => io.stderr(m + '\n') }, mustExist: true, publicOnly: true })
  try {
    const published = createPublishedSet()
    published.update(await store.list())
    const set = published.current()
    if (set.keys.length === 0) throw new JwkitError('ERR_STORE_NO_ACTIVE_KEY', 'the store publishes no keys (run jwk keys rotate or jwk serve first)')
    return set
  } finally {
    await store.close()
  }
}

export async function signWithStore(
  io: CliIo,
  url: string,
  request: { claims?: Record<string, unknown>; payload?: Uint8Array; alg?: string; typ?: string; expiresIn?: number },
): Promise<string> {
  const store = await openKeyStore(url, { env: io.env, logger: { warn: (m) => io.stderr(m + '\n') }, mustExist: true })
  try {
    const records = await store.list()
    const alg = request.alg ?? records.find((r) => r.state === 'active')?.alg
    if (alg === undefined || !records.some((r) => r.alg === alg && r.state === 'active')) {
      throw new JwkitError('ERR_STORE_NO_ACTIVE_KEY', `the store has no active key${alg === undefined ? '' : ` for ${alg}`} (run jwk keys rotate or jwk serve first)`)
    }
    const manager = await managerFor(store, io, alg)
    try {
      if (request.claims !== undefined) {
        const lifetime = tokenLifetime(manager.policy, request.expiresIn)
        if (lifetime.capped) {
          io.stderr(`jwk: exp capped: the token lives ${lifetime.seconds} s, the store's maxTokenTtl (JWKIT_MAX_TOKEN_TTL), not the ${request.expiresIn} s asked\n`)
        }
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
