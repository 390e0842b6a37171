/**
 * @module cli/commands
 * The table of `jwk` subcommands. One file per subcommand; add a line here for each.
 */
import type { Command } from '../command.ts'

export const commands: readonly Command[] = [
]
