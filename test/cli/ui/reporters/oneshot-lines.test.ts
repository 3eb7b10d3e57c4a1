import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/core/events.js';
import { jsonReporter } from '../../../../src/cli/ui/reporters/json.js';
import { plainReporter } from '../../../../src/cli/ui/reporters/plain.js';
import { Collect, EXPERIMENT_STARTED, HEADER } from '../fixtures.js';
import { epochDone, NB201, oneShotEpoch, oneShotStart, progress, started } from '../oneshot-fixtures.js';

const START = oneShotStart(NB201, 1, 2);
const EPOCH_1 = oneShotEpoch(NB201, START, 1);
const EVENTS: RunEvent[] = [
  EXPERIMENT_STARTED,
  started(START, 1500),
  progress(1, 0.5, 1.95, 20_000),
  epochDone(EPOCH_1, 32_000),
];

describe('one-shot events in the plain and JSON reporters', () => {
  it('plain: a line when the supernet starts and one per finished epoch, progress left out', async () => {
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER });
    for (const e of EVENTS) reporter.emit(e);
    await reporter.close();
    expect(out.text().split('\n')).toEqual([
      '[0:00:00] experiment nb201-c10 started: budget 20 trials, 2 workers',
      '[0:00:00] one-shot darts (second order) started: 2 epochs, 1 cell, 6 edges, supernet ~3.0 GiB',
      `[0:00:31] one-shot epoch 1/2  train loss 1.9000  alpha loss 2.0000  val acc 27.00%  31s  derived ${EPOCH_1.derivedText}`,
      '',
    ]);
    expect(EPOCH_1.derivedText).toBe(
      '|none~0|+|skip_connect~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    );
  });

  it('plain: a resumed supernet says where it starts again', () => {
    const out = new Collect();
    plainReporter(out).emit(started(oneShotStart(NB201, 4), 0));
    expect(out.text()).toBe(
      '[0:00:00] one-shot darts (second order) resumed at epoch 4/10, 1 cell, 6 edges, supernet ~3.0 GiB\n',
    );
  });

  it('json: passes every one-shot event through as emitted', () => {
    const out = new Collect();
    const reporter = jsonReporter(out);
    for (const e of EVENTS) reporter.emit(e);
    expect(out.chunks.map((c) => JSON.parse(c) as unknown)).toEqual(EVENTS);
  });
});
