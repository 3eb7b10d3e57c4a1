import { describe, expect, it } from 'vitest';
import { demoSchedule, type DemoOptions } from '../../../scripts/demo/schedule.js';
import { initialState, reduce } from '../../../src/cli/ui/state.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { HEADER } from '../../cli/ui/fixtures.js';

const OPTIONS: DemoOptions = {
  experiment: 'demo',
  space: createSpace('nb201'),
  seed: 7,
  trials: 12,
  workers: 3,
  epochs: 3,
  epochMs: 1000,
  tickMs: 250,
};

describe('demoSchedule', () => {
  it('is the same script for the same seed and another for another seed', () => {
    expect(demoSchedule(OPTIONS)).toEqual(demoSchedule(OPTIONS));
    expect(demoSchedule({ ...OPTIONS, seed: 8 })).not.toEqual(demoSchedule(OPTIONS));
  });

  it('runs every trial once, never more at a time than workers, in time order, ending with matching counts', () => {
    const script = demoSchedule(OPTIONS);
    expect(script.map((s) => s.at)).toEqual([...script.map((s) => s.at)].sort((a, b) => a - b));
    let state = initialState(HEADER);
    for (const { event } of script) {
      state = reduce(state, event);
      expect(state.lanes.length).toBeLessThanOrEqual(OPTIONS.workers);
    }
    const last = script[script.length - 1]?.event;
    expect(last?.type).toBe('experiment-finished');
    expect(state.done).toBe(12);
    expect(last?.type === 'experiment-finished' ? last.counts : {}).toEqual(
      Object.fromEntries(Object.entries(state.counts).filter(([, n]) => n > 0)),
    );
  });
});
