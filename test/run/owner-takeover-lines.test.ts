import { describe, expect, it } from 'vitest';
import type { OwnerTakeover, RunEvent } from '../../src/core/events.js';
import { jsonReporter } from '../../src/cli/ui/reporters/json.js';
import { plainReporter } from '../../src/cli/ui/reporters/plain.js';
import { Collect, EXPERIMENT_STARTED } from '../cli/ui/fixtures.js';

const previous = {
  host: 'lab-3',
  pid: 4242,
  startedAt: Date.UTC(2026, 0, 5, 10, 11, 12),
  heartbeatAt: Date.UTC(2026, 0, 5, 10, 20, 0),
};
const takeover = (why: OwnerTakeover['why'], heartbeatAgeMs: number): RunEvent => ({
  type: 'owner-takeover',
  t: EXPERIMENT_STARTED.t,
  experiment: 'nb',
  takeover: { previous, why, heartbeatAgeMs, timeoutMs: 30_000, owner: { host: 'lab-4', pid: 7 } },
});

describe('the owner-takeover event in the plain and JSON reporters', () => {
  it('plain: one line naming the owner taken over and why it was stale', () => {
    const out = new Collect();
    const reporter = plainReporter(out);
    reporter.emit(takeover('owner-dead', 850));
    reporter.emit(takeover('heartbeat-timeout', 41_260));
    expect(out.text().split('\n')).toEqual([
      '[0:00:00] took over experiment nb from pid 4242 on host lab-3, driving since 2026-01-05 10:11:12 UTC: its process is gone',
      '[0:00:00] took over experiment nb from pid 4242 on host lab-3, driving since 2026-01-05 10:11:12 UTC: no heartbeat for 41.3 s (timeout 30.0 s)',
      '',
    ]);
  });

  it('json: passes it through as emitted', () => {
    const out = new Collect();
    jsonReporter(out).emit(takeover('owner-dead', 850));
    expect(out.chunks.map((c) => JSON.parse(c) as unknown)).toEqual([takeover('owner-dead', 850)]);
  });
});
