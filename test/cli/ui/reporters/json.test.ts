import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/core/events.js';
import { jsonReporter } from '../../../../src/cli/ui/reporters/json.js';
import { Collect, complete, EXPERIMENT_STARTED, finished, running, started } from '../fixtures.js';

describe('jsonReporter', () => {
  it('writes each event as one line of JSON, as emitted', async () => {
    const out = new Collect();
    const events: RunEvent[] = [
      EXPERIMENT_STARTED,
      started(running(0)),
      {
        type: 'trial-progress',
        t: 2,
        trialId: 1,
        number: 0,
        progress: { kind: 'batch', epoch: 1, fraction: 0.5, loss: 2 },
      },
      finished(complete(0, 0.5)),
    ];
    const reporter = jsonReporter(out);
    for (const e of events) reporter.emit(e);
    await reporter.close();
    expect(out.chunks).toHaveLength(4);
    expect(out.chunks.every((c) => c.endsWith('\n') && !c.slice(0, -1).includes('\n'))).toBe(true);
    expect(out.chunks.map((c) => JSON.parse(c) as unknown)).toEqual(events);
  });

  it('writes non-finite numbers as null (a diverged loss)', () => {
    const out = new Collect();
    jsonReporter(out).emit({
      type: 'trial-progress',
      t: 2,
      trialId: 1,
      number: 0,
      progress: { kind: 'batch', epoch: 1, fraction: 0.5, loss: Number.NaN },
    });
    expect(out.text()).toBe(
      '{"type":"trial-progress","t":2,"trialId":1,"number":0,"progress":{"kind":"batch","epoch":1,"fraction":0.5,"loss":null}}\n',
    );
  });
});
