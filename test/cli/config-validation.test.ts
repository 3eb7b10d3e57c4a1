import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/cli/config/loader.js';
import { UserError } from '../../src/core/errors.js';
import { tempDir, writeConfig } from './helpers.js';

const dir = tempDir();

/** A valid config body; `patch` is spliced into it (later keys win). */
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

async function problemsOf(file: string): Promise<{ error: ConfigError; lines: string[] }> {
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const config = error as ConfigError;
  return { error: config, lines: config.problems.map((p) => `${p.path}: ${p.message}`) };
}

describe('config validation', () => {
  it('lists every problem at once, each with its path, what was expected and what was given', async () => {
    const file = writeConfig(
      dir,
      'experiments/nb201.ts',
      body(`
      strategy: { name: 'regularized-evolution', options: { populationSize: 50, sampleSize: 80 } },
      train: { epochs: 0 },
    `),
    );
    const { error, lines } = await problemsOf(file);
    expect(lines).toEqual([
      'strategy.options.sampleSize: must be ≤ populationSize (50), got 80',
      'train.epochs: expected a positive integer, got 0',
    ]);
    expect(error.message).toBe(
      `${file} is invalid (2 problems)\n` +
        '  • strategy.options.sampleSize: must be ≤ populationSize (50), got 80\n' +
        '  • train.epochs: expected a positive integer, got 0',
    );
  });

  it('checks structure, registry names and options, training and objectives together', async () => {
    const file = writeConfig(
      dir,
      'many.ts',
      body(`
      name: 'two words',
      seed: 1.5,
      dataset: { name: 'imagenet', subset: 0 },
      space: { name: 'nb201', options: { cells: 0, chanels: 8 } },
      strategy: { name: 'tpe', options: { gamma: 2 } },
      train: { batchSize: 'big', optimizer: { kind: 'rmsprop' }, labelSmoothing: 1 },
      objectives: [{ metric: 'accuracy', direction: 'max' }],
      budget: { trials: 3, secs: 60 },
      workers: 0,
    `),
    );
    const { lines } = await problemsOf(file);
    expect(lines).toEqual([
      'name: expected a name of 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit, got "two words"',
      'seed: expected an integer, got 1.5',
      'dataset.subset: expected a positive integer, got 0',
      'dataset.name: expected one of mnist, fashion-mnist, cifar10, synthetic, got "imagenet"',
      'space.options.chanels: unknown option (known: cells, channels)',
      'space.options.cells: expected an integer ≥ 1, got 0',
      'strategy.options.gamma: expected a number in 0.001..1, got 2',
      'train.batchSize: expected a positive integer, got "big"',
      'train.optimizer.kind: expected one of "sgd", "adam", "adamw", got "rmsprop"',
      'train.labelSmoothing: expected a number in [0, 1), got 1',
      expect.stringMatching(/^objectives\[0\]\.metric: expected one of validationAccuracy, .*, got "accuracy"$/),
      'budget.secs: unknown key (known: trials, seconds)',
      'workers: expected a positive integer, got 0',
    ]);
  });

  it("runs a space's own checks (those its schema cannot state) and names an unregistered strategy", async () => {
    const file = writeConfig(
      dir,
      'macro.ts',
      body(`space: { name: 'macro', options: { kernels: [3, 4] } }, strategy: { name: 'bayesian' }`),
    );
    const { lines } = await problemsOf(file);
    expect(lines).toEqual([
      'space.options.kernels: expected odd sizes (symmetric padding), got [3, 4]',
      expect.stringMatching(/^strategy\.name: expected one of random, regularized-evolution, .*tpe.*, got "bayesian"$/),
    ]);
  });

  it('needs the settings an objective depends on', async () => {
    const file = writeConfig(
      dir,
      'objectives.ts',
      body(
        `objectives: [{ metric: 'testAccuracy', direction: 'max' }, { metric: 'measuredLatencyMs', direction: 'min' }], measureLatency: false`,
      ),
    );
    const { lines } = await problemsOf(file);
    expect(lines).toEqual([
      'objectives[0].metric: needs train.test: true (the test part is evaluated only then), got "testAccuracy"',
      'objectives[1].metric: needs measureLatency: true, got "measuredLatencyMs"',
    ]);
  });

  it('reports a missing default export, a missing file and a file that throws as user errors', async () => {
    const noDefault = path.join(dir, 'no-default.ts');
    fs.writeFileSync(noDefault, 'export const config = {};\n');
    const { lines } = await problemsOf(noDefault);
    expect(lines).toEqual([': expected a default export (`export default defineConfig({...})`), got none']);

    await expect(loadConfig(path.join(dir, 'missing.ts'))).rejects.toMatchObject({ code: 'CONFIG_MISSING' });
    const throws = path.join(dir, 'throws.ts');
    fs.writeFileSync(throws, "throw new Error('boom');\nexport default {};\n");
    const error = await loadConfig(throws).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/throws\.ts could not be loaded: boom/);
  });

  it('validates command-line overrides like the file', async () => {
    const file = writeConfig(dir, 'overrides.ts', body());
    await expect(loadConfig(file, { name: 'bad name', workers: 0 })).rejects.toMatchObject({
      problems: [
        { path: 'name', message: expect.stringContaining('got "bad name"') },
        { path: 'workers', message: 'expected a positive integer, got 0' },
      ],
    });
  });
});

describe('train.qat (quantization-aware training)', () => {
  it('names the field, what it expects and what it got', async () => {
    const file = writeConfig(
      dir,
      'qat-bad.ts',
      body(`train: { epochs: 2, engine: 'eager', qat: { epochs: 3, momentum: 1.5, every: 2 } },`),
    );
    expect((await problemsOf(file)).lines).toEqual([
      'train.qat.momentum: expected a number in [0, 1), got 1.5',
      'train.qat.every: unknown key (known: epochs, fraction, momentum)',
    ]);
    const ranges = writeConfig(
      dir,
      'qat-ranges.ts',
      body(`train: { epochs: 2, engine: 'eager', qat: { epochs: 3 } },`),
    );
    expect((await problemsOf(ranges)).lines).toEqual([
      "train.qat.epochs: expected an integer in [1, 2] (at most the run's epochs), got 3",
      `train.qat: expected no quantization-aware training with engine 'eager' (only the compiled engine has a fake-quantized training step), got {"epochs":3}`,
    ]);
    const steps = writeConfig(dir, 'qat-steps.ts', body(`train: { steps: 100, qat: { epochs: 1 } },`));
    expect((await problemsOf(steps)).lines).toEqual([
      'train.qat.epochs: expected qat.fraction with a budget in steps (the last fraction of the steps), got 1',
    ]);
  });

  it("with halving on epochs, takes at most the lowest rung's epochs", async () => {
    const file = writeConfig(
      dir,
      'qat-halving.ts',
      body(`strategy: { name: 'random', halving: { min: 1, max: 9 } }, train: { epochs: 3, qat: { epochs: 2 } },`),
    );
    expect((await problemsOf(file)).lines).toEqual([
      "train.qat.epochs: expected at most 1, the epochs of strategy.halving's lowest rung (or qat.fraction, which scales with a trial's epochs), got 2",
    ]);
    const fine = writeConfig(
      dir,
      'qat-fine.ts',
      body(`strategy: { name: 'random', halving: { min: 1, max: 9 } }, train: { epochs: 3, qat: { fraction: 0.3 } },`),
    );
    await expect(loadConfig(fine)).resolves.toBeDefined();
  });
});

describe('strategy.halving (successive halving / Hyperband)', () => {
  it('is checked like any option, and min ≤ max is required', async () => {
    const bad = writeConfig(
      dir,
      'halving-bad.ts',
      body(`strategy: { name: 'random', halving: { eta: 1, fidelity: 'steps' } },`),
    );
    const { lines } = await problemsOf(bad);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^strategy\.halving\.eta: .*got 1/),
        expect.stringMatching(/^strategy\.halving\.fidelity: expected one of epochs, dataFraction, got "steps"/),
      ]),
    );
    const inverted = writeConfig(
      dir,
      'halving-inverted.ts',
      body(`strategy: { name: 'random', halving: { min: 9, max: 3 } },`),
    );
    expect((await problemsOf(inverted)).lines).toEqual([
      'strategy.halving: successive halving needs 0 < min ≤ max, got (min=9, max=3)',
    ]);
  });

  it('resolves with its defaults filled', async () => {
    const file = writeConfig(dir, 'halving-ok.ts', body(`strategy: { name: 'random', halving: { max: 9 } },`));
    const config = await loadConfig(file);
    expect(config.strategy.halving).toEqual({
      fidelity: 'epochs',
      min: 1,
      max: 9,
      eta: 3,
      brackets: 1,
      continuation: true,
    });
  });
});

describe('a one-shot strategy (darts)', () => {
  it('needs a cell space with a relaxation and takes no halving', async () => {
    const macro = writeConfig(
      dir,
      'darts-macro.ts',
      body(`space: { name: 'macro' }, strategy: { name: 'darts', halving: { max: 9 } },`),
    );
    const { lines } = await problemsOf(macro);
    expect(lines).toEqual(
      expect.arrayContaining([
        'space.name: strategy "darts" needs a cell space with a one-shot relaxation (nb201, darts), got "macro"',
        'strategy.halving: expected nothing: "darts" is one-shot (it trains one supernet; halving applies to multi-trial strategies)',
      ]),
    );
  });

  it("checks its options like any strategy and resolves with the paper's defaults filled", async () => {
    const bad = writeConfig(
      dir,
      'darts-bad.ts',
      body(`space: { name: 'nb201' }, strategy: { name: 'darts', options: { order: 'third', weightFraction: 1.5 } },`),
    );
    expect((await problemsOf(bad)).lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^strategy\.options\.order: expected one of first, second, got "third"/),
        expect.stringMatching(/^strategy\.options\.weightFraction: .*got 1\.5/),
      ]),
    );
    const ok = writeConfig(
      dir,
      'darts-ok.ts',
      body(`space: { name: 'nb201' }, strategy: { name: 'darts', options: { order: 'second' } },`),
    );
    const config = await loadConfig(ok);
    expect(config.strategy.options).toMatchObject({
      order: 'second',
      epochs: 50,
      batchSize: 64,
      lr: 0.025,
      lrMin: 0.001,
      momentum: 0.9,
      weightDecay: 3e-4,
      alphaLr: 3e-4,
      alphaBeta1: 0.5,
      alphaBeta2: 0.999,
      alphaWeightDecay: 1e-3,
    });
  });
});
