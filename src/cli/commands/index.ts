/**
 * @module cli/commands
 * The table of `jwk` subcommands. One file per subcommand; add a line here for each.
 */
import type { Command } from '../command.ts'
import { generateCommand } from './generate.ts'
import { publicCommand } from './public.ts'
import { thumbprintCommand } from './thumbprint.ts'
import { validateCommand } from './validate.ts'
import { inspectCommand } from './inspect.ts'
import { convertCommand } from './convert.ts'
import { serveCommand } from './serve.ts'
import { keysCommand } from './keys.ts'
import { fetchCommand } from './fetch.ts'
import { signCommand } from './sign.ts'
import { verifyCommand } from './verify.ts'
import { decodeCommand } from './decode.ts'

export const commands: readonly Command[] = [
  generateCommand,
  publicCommand,
  thumbprintCommand,
  validateCommand,
  inspectCommand,
  convertCommand,
  serveCommand,
  keysCommand,
  fetchCommand,
  signCommand,
  verifyCommand,
  decodeCommand,
]
