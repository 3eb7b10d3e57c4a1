import { describe, expect, it } from 'vitest';
import { elapsedMs, etaMs, phase, remainingTrials } from '../../../src/cli/ui/selectors.js';
import { initialState, reduce } from '../../../src/cli/ui/state.js';
import { complete, EXPERIMENT_STARTED, finished, HEADER, running, started } from './fixtures.js';

describe('selectors', () => {
  const twoDone = [
    EXPERIMENT_STARTED,
    started(running(0)),
    started(running(1)),
    finished(complete(0, 0.5, 1, 10)),
    finished(complete(1, 0.6, 1, 30)),
  ].reduce(reduce, initialState(HEADER));

  it('estimates the time left as mean trial time × remaining trials / workers', () => {
    expect(remainingTrials(twoDone)).toBe(18);
    expect(etaMs(twoDone, 50_000)).toBe((20_000 * 18) / 2);
  });

  it('caps the estimate by what is left of a time budget, and has none before a trial finished', () => {
    const timed = reduce(twoDone, { ...EXPERIMENT_STARTED, budget: { trials: 20, seconds: 100 } });
    expect(etaMs(timed, 1000 + 40_000)).toBe(60_000);
    expect(etaMs(reduce(initialState(HEADER), EXPERIMENT_STARTED), 5000)).toBeUndefined();
  });

  it('has no estimate while stopping or after the end', () => {
    expect(etaMs(reduce(twoDone, { type: 'stopping', t: 1, why: 'q' }), 1)).toBeUndefined();
    expect(
      etaMs(reduce(twoDone, { type: 'experiment-finished', t: 1, experiment: 'x', status: 'finished', counts: {} }), 1),
    ).toBeUndefined();
  });

  it('reads elapsed time from the start and names the phase', () => {
    expect([elapsedMs(initialState(HEADER), 9000), elapsedMs(twoDone, 9000)]).toEqual([0, 8000]);
    const stopping = reduce(twoDone, { type: 'stopping', t: 1, why: 'q' });
    expect([
      phase(initialState(HEADER)),
      phase(twoDone),
      phase(stopping),
      phase(reduce(stopping, { type: 'stopping', t: 2, why: 'Ctrl-C' })),
    ]).toEqual(['starting', 'running', 'stopping', 'cancelling']);
  });
});
