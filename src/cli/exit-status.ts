/**
 * @module cli/exit-status
 * The exit-status paragraph every `--help` ends with (one text, so they never disagree).
 */
export const EXIT_STATUS = 'Exit status: 0 success, 1 invalid input or failed verification, 2 wrong usage,\n3 the environment failed (network, key store, file system, a missing tool).\n'
