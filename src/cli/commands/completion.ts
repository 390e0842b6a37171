/**
 * @module cli/commands/completion
 * `jwk completion bash|zsh|fish`: prints a completion script for the shell: command names, then
 * each command's options (taken from its --help text, so they never drift), and file names.
 */
import { JwkitError } from '../../errors.ts'
import { EXIT_STATUS, parseFlags, type CliIo, type Command } from '../command.ts'
import { commands } from './index.ts'

const help = `Usage: jwk completion bash|zsh|fish

Prints a shell completion script for jwk on stdout.

  bash   eval "$(jwk completion bash)"        (or save it under ~/.local/share/bash-completion/completions/jwk)
  zsh    eval "$(jwk completion zsh)"         (or save it as _jwk in a directory of $fpath)
  fish   jwk completion fish > ~/.config/fish/completions/jwk.fish

Options:
  --json       print {"shell", "script"}
  -h, --help   show this help

${EXIT_STATUS}`

interface Entry { name: string; summary: string; options: string[] }

/** Every long option a help text names, plus --help and --json. */
export function optionsOf(helpText: string): string[] {
  const found = new Set(helpText.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])
  found.add('--help')
  found.add('--json')
  return [...found].sort()
}

async function entries(): Promise<Entry[]> {
  const out: Entry[] = []
  for (const c of commands) {
    const help = c.name === 'completion' ? completionHelp : (await c.load()).help
    out.push({ name: c.name, summary: c.summary, options: optionsOf(help) })
  }
  return out
}

const completionHelp = help
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

function bash(list: Entry[]): string {
  const cases = list.map((e) => `    ${e.name}) opts=${q(e.options.join(' '))} ;;`).join('\n')
  return `# bash completion for jwk (jwk completion bash)
_jwk() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${q([...list.map((e) => e.name), 'help', '--version', '--help'].join(' '))} -- "$cur") )
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
    help) COMPREPLY=( $(compgen -W ${q(list.map((e) => e.name).join(' '))} -- "$cur") ); return 0 ;;
    completion) COMPREPLY=( $(compgen -W 'bash zsh fish' -- "$cur") ); return 0 ;;
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
  return 0
}
complete -o filenames -F _jwk jwk
`
}

function zsh(list: Entry[]): string {
  const cmds = list.map((e) => `    ${q(`${e.name}:${e.summary.replace(/:/g, '\\:')}`)}`).join('\n')
  const cases = list.map((e) => `    ${e.name}) opts=(${e.options.join(' ')}) ;;`).join('\n')
  return `#compdef jwk
# zsh completion for jwk (jwk completion zsh)
_jwk() {
  local -a cmds opts
  cmds=(
${cmds}
  )
  if (( CURRENT == 2 )); then
    _describe 'jwk command' cmds
    return
  fi
  case $words[2] in
    help) _describe 'jwk command' cmds; return ;;
    completion) compadd bash zsh fish; return ;;
${cases}
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef _jwk jwk; fi
`
}

function fish(list: Entry[]): string {
  const lines = ['# fish completion for jwk (jwk completion fish)', 'complete -c jwk -f']
  for (const e of list) lines.push(`complete -c jwk -n __fish_use_subcommand -a ${e.name} -d ${q(e.summary)}`)
  lines.push(`complete -c jwk -n '__fish_seen_subcommand_from help' -a ${q(list.map((e) => e.name).join(' '))}`)
  lines.push(`complete -c jwk -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'`)
  for (const e of list) {
    lines.push(`complete -c jwk -n '__fish_seen_subcommand_from ${e.name}' -F`)
    for (const o of e.options) lines.push(`complete -c jwk -n '__fish_seen_subcommand_from ${e.name}' -l ${o.slice(2)}`)
  }
  return lines.join('\n') + '\n'
}

export const completionCommand: Command = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh or fish)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {})
    const shell = positionals[0]
    if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish')) throw new JwkitError('ERR_CLI_USAGE', 'jwk completion takes one shell: bash, zsh or fish')
    const list = await entries()
    const script = shell === 'bash' ? bash(list) : shell === 'zsh' ? zsh(list) : fish(list)
    io.stdout(values.json === true ? JSON.stringify({ shell, script }) + '\n' : script)
    return 0
  },
}
