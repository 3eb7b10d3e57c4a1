// stdout is the command's result, and with --json nothing but JSON (docs/cli.md): messages about the
// work (progress, warnings, errors) go to stderr.

/** Writes one line of a command's result to standard output (src/ does not use console.log). */
export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a value as one line of JSON to standard output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
