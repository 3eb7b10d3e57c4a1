// Strict readers of what `nas` prints on stdout in its machine-readable modes (docs/cli.md: stdout
// is data, stderr is messages). Anything else on stdout, a setup message or a stray log line, fails.

const shown = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** The stdout of a `--json` command: one JSON document, the whole text (JSON.parse of all of it). */
export function parseJsonDocument(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(`stdout is not one JSON document (${(error as Error).message}): ${shown(stdout)}`);
  }
}

/** The stdout of the json reporter: one JSON object per line, every line, newline-terminated, no blank line. */
export function parseJsonLines(stdout: string): Record<string, unknown>[] {
  if (!stdout.endsWith('\n')) throw new Error(`stdout does not end with a newline: ${shown(stdout.slice(-200))}`);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${shown(line)}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`stdout line ${i + 1} is not a JSON object: ${shown(line)}`);
      return value as Record<string, unknown>;
    });
}
