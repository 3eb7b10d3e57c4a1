import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTf } from '../../src/backend/tf.js';
import { UserError } from '../../src/core/errors.js';
import { nasLayers } from '../../src/eval/build/layers/index.js';
import { evaluate } from '../../src/eval/train/evaluate.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { exportTrial } from '../../src/run/export.js';
import { trialModelDir } from '../../src/run/model-store.js';
import { startSearch } from '../../src/run/search.js';
import { trialData } from '../../src/run/trial-data.js';
import { eventLog, testConfig } from '../run/helpers.js';
import { runCli, tempDir } from './helpers.js';

// A tiny real search: the real pool (worker threads in a child process), synthetic data, a small
// NB201 network; every trained model is saved beside the SQLite file.
const config: ExperimentConfig = testConfig({
  name: 'tiny',
  storage: path.join(tempDir('nas-export-'), 'nas.sqlite'),
  space: { name: 'nb201', options: { cells: 1, channels: 4 } },
  budget: { trials: 3 },
  workers: 1,
  train: { epochs: 1, batchSize: 32 },
});

beforeAll(async () => {
  await startSearch(config, { emit: eventLog().emit });
}, 120_000);

async function load(dir: string): Promise<LayersModel> {
  nasLayers();
  return loadTf().loadLayersModel(`file://${path.join(dir, 'model.json')}`);
}

describe('nas export', () => {
  it('saves every trained model and exports the best one, which predicts as before and scores its recorded accuracy', async () => {
    for (const n of [0, 1, 2]) expect(fs.existsSync(path.join(trialModelDir(config.storage, 'tiny', n), 'model.json'))).toBe(true);
    const out = tempDir('nas-export-out-');
    const result = await exportTrial(config.storage, 'tiny', { best: true }, out);
    expect(result.files).toEqual(expect.arrayContaining(['model.json', 'architecture.json', 'trial.json', 'README.md']));
    const trial = JSON.parse(fs.readFileSync(path.join(out, 'trial.json'), 'utf8')) as { number: number; metrics: Record<string, number>; epochs: unknown[] };
    const arch = JSON.parse(fs.readFileSync(path.join(out, 'architecture.json'), 'utf8')) as { space: { name: string }; arch: { nodes: unknown[] } };
    expect(trial.number).toBe(result.trial);
    expect(trial.epochs).toHaveLength(1);
    expect(arch.space.name).toBe('nb201');
    expect(arch.arch.nodes.length).toBeGreaterThan(3);

    const tf = loadTf();
    const [before, after] = [await load(trialModelDir(config.storage, 'tiny', result.trial)), await load(out)];
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 42) // synthetic images are 8×8 grey;
    const [a, b] = [before.predict(x) as Tensor, after.predict(x) as Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const { data } = await trialData(config);
    const transform = data.transform?.eval;
    if (data.validation === undefined || transform === undefined) throw new Error('the experiment has a validation part and normalisation');
    const scored = evaluate(after, data.validation, { batchSize: 32, transform });
    expect(scored.accuracy).toBeCloseTo(trial.metrics.validationAccuracy ?? Number.NaN, 5);
    tf.dispose([x, a, b]);
    before.dispose();
    after.dispose();
  });

  it('names the known trials and experiments when asked for an unknown one', async () => {
    const out = tempDir('nas-export-out-');
    await expect(exportTrial(config.storage, 'tiny', { trial: 9 }, out)).rejects.toThrow(/no trial 9 in experiment "tiny"/);
    await expect(exportTrial(config.storage, 'tiny', { trial: 9 }, out)).rejects.toMatchObject({ hint: expect.stringMatching(/complete trials: 0, 1, 2/) });
    await expect(exportTrial(config.storage, 'nope', { best: true }, out)).rejects.toBeInstanceOf(UserError);
    await expect(exportTrial(config.storage, 'nope', { best: true }, out)).rejects.toMatchObject({ hint: expect.stringMatching(/experiments there: tiny/) });
  });

  it('runs from the command line, and exits 1 with the known names on an unknown experiment', async () => {
    const out = tempDir('nas-export-cli-');
    const ok = await runCli(['export', 'tiny', '--trial', '1', '--out', out, '--storage', config.storage]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
    const bad = await runCli(['export', 'nope', '--out', out, '--storage', config.storage]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no experiment "nope"[\s\S]*experiments there: tiny/);
  });
});
