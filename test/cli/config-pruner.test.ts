import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/cli/config/loader.js';
import { tempDir, writeConfig } from './helpers.js';

const dir = tempDir();

function body(patch = ''): string {
  return `{
    name: 'exp',
    dataset: { name: 'synthetic' },
    space: { name: 'nb201', options: { cells: 1, channels: 4 } },
    strategy: { name: 'random' },
    budget: { trials: 3 },
    ${patch}
  }`;
}

async function linesOf(file: string): Promise<string[]> {
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('config: pruner', () => {
  it('resolves with its defaults filled', async () => {
    const config = await loadConfig(
      writeConfig(dir, 'median.ts', body(`pruner: { name: 'median', options: { nWarmupSteps: 1 } },`)),
    );
    expect(config.pruner).toEqual({
      name: 'median',
      options: { nStartupTrials: 5, nWarmupSteps: 1, intervalSteps: 1 },
    });
    const patience = await loadConfig(
      writeConfig(
        dir,
        'patience.ts',
        body(`pruner: { name: 'patience' }, objectives: [{ metric: 'validationLoss', direction: 'min' }],`),
      ),
    );
    expect(patience.pruner).toEqual({ name: 'patience', options: { patience: 2, minDelta: 0 } });
    expect((await loadConfig(writeConfig(dir, 'none.ts', body()))).pruner).toBeUndefined();
  });

  it('names an unknown pruner and bad options, with what was expected and given', async () => {
    expect(await linesOf(writeConfig(dir, 'unknown.ts', body(`pruner: { name: 'asha' },`)))).toEqual([
      'pruner.name: expected one of median, percentile, patience, successive-halving, hyperband, curve, got "asha"',
    ]);
    expect(
      await linesOf(
        writeConfig(dir, 'bad.ts', body(`pruner: { name: 'percentile', options: { percentile: 120, nStartup: 1 } },`)),
      ),
    ).toEqual([
      'pruner.options.nStartup: unknown option (known: percentile, nStartupTrials, nWarmupSteps, intervalSteps)',
      'pruner.options.percentile: expected a number in 0..100, got 120',
    ]);
  });

  it('needs an epoch metric as the primary objective', async () => {
    expect(
      await linesOf(
        writeConfig(
          dir,
          'params.ts',
          body(`pruner: { name: 'median' }, objectives: [{ metric: 'params', direction: 'min' }],`),
        ),
      ),
    ).toEqual([
      'pruner: the pruner needs an epoch metric as the primary objective (objectives[0].metric one of validationAccuracy, validationLoss, trainAccuracy, trainLoss), got "params"',
    ]);
  });

  it('refuses a benchmark table (no epoch curve), successive halving and a one-shot strategy', async () => {
    const table = writeConfig(
      dir,
      'table.ts',
      body(`pruner: { name: 'median' }, benchmark: { table: 'nb201.csv', metric: 'validationAccuracy' },`),
    );
    expect(await linesOf(table)).toContain(
      'pruner: expected no pruner with `benchmark`: a table trial has no epoch curve, so pruning is not simulated there (docs/strategies.md, "Pruners")',
    );
    const halving = writeConfig(
      dir,
      'halving.ts',
      body(`pruner: { name: 'median' }, strategy: { name: 'random', halving: { max: 9 } },`),
    );
    expect(await linesOf(halving)).toEqual([
      'pruner: expected no pruner with `strategy.halving`: successive halving already stops trials at its rungs',
    ]);
    const darts = writeConfig(
      dir,
      'darts.ts',
      body(`pruner: { name: 'median' }, space: { name: 'darts' }, strategy: { name: 'darts' },`),
    );
    expect(await linesOf(darts)).toContain(
      'pruner: expected no pruner with the one-shot strategy "darts" (it derives its candidates from one supernet)',
    );
  });
});
