/**
 * @module cli/commands
 * The table of `jwk` subcommands: name, one-line summary, and how to load the module that
 * implements it. Nothing here imports a command: `jwk --version` and `jwk help` load none, and
 * `jwk thumbprint` loads only its own file (and what it imports). Add a line here for each command.
 */
import type { Command } from '../command.ts'

export interface CommandEntry {
  name: string
  summary: string
  load: () => Promise<Command>
}

export const commands: readonly CommandEntry[] = [
  { name: 'generate', summary: 'print a new private JWK (ALG or KTY)', load: async () => (await import('./generate.ts')).generateCommand },
  { name: 'public', summary: 'print the public JWK (or JWK Set) of a private one', load: async () => (await import('./public.ts')).publicCommand },
  { name: 'thumbprint', summary: 'print the RFC 7638 thumbprint (or RFC 9278 URI) of a JWK', load: async () => (await import('./thumbprint.ts')).thumbprintCommand },
  { name: 'validate', summary: 'check a JWK or JWK Set strictly; every problem, with its path', load: async () => (await import('./validate.ts')).validateCommand },
  { name: 'inspect', summary: 'human summary of a JWK: type, size/curve, private or public, thumbprint, x5c', load: async () => (await import('./inspect.ts')).inspectCommand },
  { name: 'convert', summary: 'convert a key between JWK, PEM/DER, OpenSSH and COSE (input format detected)', load: async () => (await import('./convert.ts')).convertCommand },
  { name: 'serve', summary: 'run the key server (JWKS, discovery, admin API)', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'keys', summary: 'list, rotate, retire, revoke, rewrap or import the stored keys', load: async () => (await import('./keys.ts')).keysCommand },
  { name: 'fetch', summary: 'fetch, check and print a remote JWK Set (URL or --issuer)', load: async () => (await import('./fetch.ts')).fetchCommand },
  { name: 'sign', summary: 'sign claims (JWT) or a payload (JWS) with a private key', load: async () => (await import('./sign.ts')).signCommand },
  { name: 'verify', summary: 'verify a JWT or JWS and print its header and claims (or payload)', load: async () => (await import('./verify.ts')).verifyCommand },
  { name: 'decode', summary: 'show a token\'s header and claims, UNVERIFIED', load: async () => (await import('./decode.ts')).decodeCommand },
  { name: 'encrypt', summary: 'encrypt a file or standard input to a JWE for a public key', load: async () => (await import('./encrypt.ts')).encryptCommand },
  { name: 'decrypt', summary: 'decrypt a JWE with a private key', load: async () => (await import('./decrypt.ts')).decryptCommand },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh or fish)', load: async () => (await import('./completion.ts')).completionCommand },
]
