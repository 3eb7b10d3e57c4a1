import { describe, expect, it } from 'vitest';
import { headerFromConfig } from '../../../src/cli/ui/header.js';
import { fidelityText, rungOf, rungsFromConfig } from '../../../src/cli/ui/rungs.js';
import type { ExperimentConfig } from '../../../src/run/config.js';

const config = (halving?: ExperimentConfig['strategy']['halving']): ExperimentConfig => ({
  name: 'sha',
  seed: 1,
  dataset: { name: 'synthetic', options: {}, validationFraction: 0.2 },
  space: { name: 'nb201', options: {} },
  strategy: { name: 'random', options: {}, ...(halving === undefined ? {} : { halving }) },
  train: { epochs: 9, batchSize: 32 },
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  budget: { trials: 10 },
  workers: 1,
  measureLatency: false,
  storage: 'unused.sqlite',
});

describe('rungs', () => {
  it("reads the rungs of strategy.halving into the dashboard's header, with the options' defaults", () => {
    expect(rungsFromConfig(config({ min: 1, max: 9, eta: 3 }))).toEqual({ fidelity: 'epochs', levels: [1, 3, 9] });
    expect(headerFromConfig(config({ max: 4, eta: 2 })).rungs).toEqual({ fidelity: 'epochs', levels: [1, 2, 4] });
    expect(rungsFromConfig(config())).toBeUndefined();
    expect('rungs' in headerFromConfig(config())).toBe(false);
  });

  it("finds a trial's rung by its fidelity, and says the fidelity without rungs", () => {
    const rungs = { fidelity: 'epochs', levels: [1, 3, 9] };
    expect([1, 3, 9, 4].map((epochs) => rungOf({ fidelity: { epochs } }, rungs))).toEqual([0, 1, 2, undefined]);
    expect(rungOf({}, rungs)).toBeUndefined();
    expect(rungOf({ fidelity: { epochs: 3 } }, undefined)).toBeUndefined();
    expect(fidelityText({ fidelity: { epochs: 9 } }, rungs)).toBe('rung 2 (epochs 9)');
    expect(fidelityText({ fidelity: { epochs: 9 } }, undefined)).toBe('epochs 9');
    expect(fidelityText({ fidelity: { epochs: 3, scheduleEpochs: 9 } }, rungs)).toBe('rung 1 (epochs 3)');
    expect(fidelityText({ fidelity: { epochs: 9 }, continues: 4 }, rungs)).toBe('rung 2 (epochs 9) from #4');
    expect(fidelityText({}, rungs)).toBeUndefined();
    expect(fidelityText({ fidelity: { scheduleEpochs: 9 } }, rungs)).toBeUndefined();
  });
});
