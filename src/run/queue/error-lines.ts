/** How long the same error message stays unrepeated. */
const QUIET_MS = 10_000;

/**
 * A listener for the `error` events of a worker's Redis connections that writes each message once
 * in ten seconds: while Redis is away every connection reports every failed reconnect (several a
 * second), and one line says as much.
 */
export function errorLines(label: string, log: (line: string) => void): (error: Error) => void {
  const lastSaid = new Map<string, number>();
  return (error) => {
    const now = Date.now();
    if (now - (lastSaid.get(error.message) ?? -Infinity) < QUIET_MS) return;
    lastSaid.set(error.message, now);
    log(`${label}: ${error.message} (Redis commands wait and go on when it is back)`);
  };
}
