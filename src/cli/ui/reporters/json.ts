import type { RunEvent } from '../../../core/events.js';
import { drained, type LineStream, type Reporter } from './reporter.js';

/** One JSON object per event per line, as the driver emitted it (non-finite numbers become null). */
export function jsonReporter(stream: LineStream): Reporter {
  return {
    emit: (event: RunEvent) => {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () => drained(stream),
  };
}
