import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { loadTf } from '../../src/backend/tf.js';
import { UserError } from '../../src/core/errors.js';
import { nasLayers } from '../../src/eval/build/layers/index.js';
import { evaluate } from '../../src/eval/train/evaluate.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { exportTrial } from '../../src/cli/commands/export/write-export.js';
import { EXPORT_EVENT } from '../../src/cli/commands/export/export-event.js';
import type { Variant } from '../../src/cli/commands/export/variants.js';
import { trialModelDir } from '../../src/run/model-store.js';
import { startSearch } from '../../src/run/search.js';
import { trialData } from '../../src/run/worker/trial-data.js';
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
  train: { epochs: 1, batchSize: 32, test: true },
});

beforeAll(async () => {
  await startSearch(config, { emit: eventLog().emit });
}, 120_000);

/** stderr less TensorFlow's native log lines (the native library of some builds logs at start-up whatever TF_CPP_MIN_LOG_LEVEL says). */
function nasErrors(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line !== '' && !/^(WARNING: All log messages before absl|[IWE]\d{4} )/.test(line))
    .join('\n');
}

/** The `export` events of "tiny" stored after event `afterId` (0: all), and the id of the last event. */
async function exportEvents(afterId = 0): Promise<{ payloads: unknown[]; lastId: number }> {
  const storage = await openSqliteStorage(config.storage, { readonly: true });
  try {
    const experiment = await storage.getExperiment('tiny');
    const all = await storage.listEvents(experiment?.id ?? -1, { afterId });
    return {
      payloads: all.filter((e) => e.type === EXPORT_EVENT).map((e) => e.payload),
      lastId: all.at(-1)?.id ?? afterId,
    };
  } finally {
    await storage.close();
  }
}

async function load(dir: string): Promise<LayersModel> {
  nasLayers();
  return loadTf().loadLayersModel(`file://${path.join(dir, 'model.json')}`);
}

describe('nas export', () => {
  it('saves every trained model and exports the best one, which predicts as before and scores its recorded accuracy', async () => {
    for (const n of [0, 1, 2]) expect(fs.existsSync(path.join(trialModelDir(config, n), 'model.json'))).toBe(true);
    const out = tempDir('nas-export-out-');
    const result = await exportTrial(config.storage, 'tiny', { best: true }, out);
    expect(result.files).toEqual(
      expect.arrayContaining(['model.json', 'architecture.json', 'trial.json', 'README.md']),
    );
    const trial = JSON.parse(fs.readFileSync(path.join(out, 'trial.json'), 'utf8')) as {
      number: number;
      metrics: Record<string, number>;
      epochs: unknown[];
    };
    const arch = JSON.parse(fs.readFileSync(path.join(out, 'architecture.json'), 'utf8')) as {
      space: { name: string };
      arch: { nodes: unknown[] };
    };
    expect(trial.number).toBe(result.trial);
    expect(trial.epochs).toHaveLength(1);
    expect(arch.space.name).toBe('nb201');
    expect(arch.arch.nodes.length).toBeGreaterThan(3);

    const tf = loadTf();
    const [before, after] = [await load(trialModelDir(config, result.trial)), await load(out)];
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 42); // synthetic images are 8×8 grey;
    const [a, b] = [before.predict(x) as Tensor, after.predict(x) as Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const { data } = await trialData(config);
    const transform = data.transform?.eval;
    if (data.validation === undefined || transform === undefined)
      throw new Error('the experiment has a validation part and normalisation');
    const scored = evaluate(after, data.validation, { batchSize: 32, transform });
    expect(scored.accuracy).toBeCloseTo(trial.metrics.validationAccuracy ?? Number.NaN, 5);
    tf.dispose([x, a, b]);
    before.dispose();
    after.dispose();
  });

  it('exports every format: the Layers model at the top, the frozen graphs in their folders, each measured', async () => {
    const out = tempDir('nas-export-formats-');
    const before = await exportEvents();
    const result = await exportTrial(config.storage, 'tiny', { best: true }, out, {
      formats: ['saved-model,tfjs-graph', 'tfjs-layers', 'saved-model'],
    });
    expect(result.files).toEqual(
      expect.arrayContaining([
        'model.json',
        'weights.bin',
        'saved-model/saved_model.pb',
        'saved-model/variables/',
        'tfjs-graph/model.json',
        'tfjs-graph/weights.bin',
        'variants.json',
        'README.md',
      ]),
    );
    expect(fs.statSync(path.join(out, 'saved-model', 'variables')).isDirectory()).toBe(true);
    const listed = JSON.parse(fs.readFileSync(path.join(out, 'variants.json'), 'utf8')) as {
      input: { shape: number[]; normalization: { mean: number[] } };
      variants: Variant[];
    };
    expect(listed.variants).toEqual(result.variants);
    expect(listed.variants.map((v) => [v.format, v.path])).toEqual([
      ['tfjs-layers', 'model.json'],
      ['saved-model', 'saved-model'],
      ['tfjs-graph', 'tfjs-graph/model.json'],
    ]);
    expect(listed.input.shape).toEqual([8, 8, 1]);
    expect(listed.input.normalization.mean).toHaveLength(1);
    // The export is recorded for `nas report`: one event holding variants.json and the folder.
    expect((await exportEvents(before.lastId)).payloads).toEqual([{ ...listed, out: path.resolve(out) }]);
    const trial = JSON.parse(fs.readFileSync(path.join(out, 'trial.json'), 'utf8')) as {
      metrics: Record<string, number>;
    };
    const [layers, saved, graph] = listed.variants as [Variant, Variant, Variant];
    for (const v of listed.variants) {
      expect(v.bytes).toBeGreaterThan(0);
      expect(v.latencyMs).toBeGreaterThan(0);
      expect(v.macs).toBeGreaterThan(0);
    }
    // The Layers model is the trained model: it scores what the trial recorded. The folded graphs
    // hold fewer numbers (the folded BNs' four vectors each) and predict the same classes.
    expect(layers.accuracy).toBeCloseTo(trial.metrics.testAccuracy ?? Number.NaN, 6);
    expect(saved.params).toBeLessThan(layers.params);
    expect(graph.params).toBe(saved.params);
    for (const v of [saved, graph])
      expect(Math.abs((v.accuracy ?? Number.NaN) - (layers.accuracy ?? Number.NaN))).toBeLessThanOrEqual(0.01);
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toMatch(/## Exported variants[\s\S]*\| saved-model \| `saved-model` \| [\d,]+ B \([\d.]+ KiB\) \|/);
    expect(readme).toMatch(/tf\.node\.loadSavedModel\('saved-model'\)/);
    expect(readme).toMatch(/tf\.loadGraphModel\('file:\/\/\.\/tfjs-graph\/model\.json'\)/);
    expect(readme).toMatch(/normalised per channel as \(x − mean\) \/ std with mean \[/);
  });

  it('exports one frozen format into its folder alone, and skips the accuracy when asked', async () => {
    const out = tempDir('nas-export-graph-');
    const result = await exportTrial(config.storage, 'tiny', { trial: 0 }, out, {
      formats: ['tfjs-graph'],
      accuracy: false,
    });
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'tfjs-graph', 'model.json'))).toBe(true);
    expect(result.variants).toHaveLength(1);
    expect(result.variants[0]?.accuracy).toBeNull();
    expect(result.accuracyNote).toMatch(/not measured/);
    await expect(exportTrial(config.storage, 'tiny', { trial: 0 }, out, { formats: ['onnx'] })).rejects.toThrow(
      /unknown export format: expected tfjs-layers, saved-model, tfjs-graph, saved-model-dynamic, saved-model-int8, saved-model-int8-kernels, tfjs-graph-uint8 .*got "onnx"/,
    );
  });

  it('names the known trials and experiments when asked for an unknown one', async () => {
    const out = tempDir('nas-export-out-');
    await expect(exportTrial(config.storage, 'tiny', { trial: 9 }, out)).rejects.toThrow(
      /no trial 9 in experiment "tiny"/,
    );
    await expect(exportTrial(config.storage, 'tiny', { trial: 9 }, out)).rejects.toMatchObject({
      hint: expect.stringMatching(/complete trials: 0, 1, 2/),
    });
    await expect(exportTrial(config.storage, 'nope', { best: true }, out)).rejects.toBeInstanceOf(UserError);
    await expect(exportTrial(config.storage, 'nope', { best: true }, out)).rejects.toMatchObject({
      hint: expect.stringMatching(/experiments there: tiny/),
    });
  });

  it('runs from the command line, and exits 1 with the known names on an unknown experiment', async () => {
    const out = tempDir('nas-export-cli-');
    const ok = await runCli(['export', 'tiny', '--trial', '1', '--out', out, '--storage', config.storage]);
    expect(nasErrors(ok.stderr)).toBe('');
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
    const bad = await runCli(['export', 'nope', '--out', out, '--storage', config.storage]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no experiment "nope"[\s\S]*experiments there: tiny/);
  });

  it('takes --format repeated or comma-separated, and exits 2 naming the flag, the formats and the bad value', async () => {
    const out = tempDir('nas-export-cli-formats-');
    const before = await exportEvents();
    const ok = await runCli([
      'export',
      'tiny',
      '--trial',
      '1',
      '--out',
      out,
      '--storage',
      config.storage,
      '--format',
      'saved-model,tfjs-graph',
      '--format',
      'tfjs-layers',
      '--no-accuracy',
    ]);
    expect(nasErrors(ok.stderr)).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/saved-model \(saved-model\): [\d.]+ KiB, [\d,]+ params, [\d.]+ ms at batch 1/);
    for (const file of ['model.json', 'saved-model/saved_model.pb', 'tfjs-graph/model.json', 'variants.json'])
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    const listed = JSON.parse(fs.readFileSync(path.join(out, 'variants.json'), 'utf8')) as { accuracyNote: string };
    expect(listed.accuracyNote).toMatch(/--no-accuracy/);
    expect((await exportEvents(before.lastId)).payloads).toEqual([{ ...listed, out }]);
    const bad = await runCli([
      'export',
      'tiny',
      '--out',
      out,
      '--storage',
      config.storage,
      '--format',
      'saved-model,onnx',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format[\s\S]*expected tfjs-layers, saved-model, tfjs-graph[\s\S]*got "onnx"/);
  });

  it('exports the quantized formats: each measured, the int8 SavedModel calibrated on training images and within 2 points of the float one', async () => {
    const out = tempDir('nas-export-quantized-');
    const before = await exportEvents();
    const formats = 'saved-model,saved-model-dynamic,saved-model-int8,saved-model-int8-kernels,tfjs-graph-uint8';
    const ok = await runCli([
      'export',
      'tiny',
      '--trial',
      '1',
      '--out',
      out,
      '--storage',
      config.storage,
      '--format',
      formats,
      '--calibration',
      '64',
    ]);
    expect(nasErrors(ok.stderr)).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /saved-model-int8 \(saved-model-int8\): [\d.]+ KiB, [\d,]+ params, [\d.]+ ms at batch 1, test accuracy [\d.]+ %, calibrated on 64 training images \(minmax\)/,
    );
    for (const file of [
      'saved-model-dynamic/saved_model.pb',
      'saved-model-int8/saved_model.pb',
      'saved-model-int8/quantization.json',
      'tfjs-graph-uint8/model.json',
    ])
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    const listed = JSON.parse(fs.readFileSync(path.join(out, 'variants.json'), 'utf8')) as { variants: Variant[] };
    expect(listed.variants.map((v) => [v.format, v.path])).toEqual([
      ['saved-model', 'saved-model'],
      ['saved-model-dynamic', 'saved-model-dynamic'],
      ['saved-model-int8', 'saved-model-int8'],
      ['saved-model-int8-kernels', 'saved-model-int8-kernels'],
      ['tfjs-graph-uint8', 'tfjs-graph-uint8/model.json'],
    ]);
    const kernels = listed.variants[3] as Variant;
    expect(kernels.calibration).toEqual({
      observer: 'minmax',
      images: 64,
      file: 'saved-model-int8-kernels/quantization.json',
    });
    expect(kernels.integerOps).toMatch(/^\d+ of \d+ convs$/);
    expect(ok.stdout).toMatch(
      /saved-model-int8-kernels \(saved-model-int8-kernels\): .*calibrated on 64 training images \(minmax\), \d+ of \d+ convs on integer kernels/,
    );
    const [float, ...quantized] = listed.variants as [Variant, ...Variant[]];
    console.log(
      listed.variants
        .map(
          (v) =>
            `${v.format}: ${v.bytes} B, ${v.params} params, ${v.latencyMs?.toFixed(2)} ms, accuracy ${((v.accuracy ?? Number.NaN) * 100).toFixed(2)} %`,
        )
        .join('\n'),
    );
    for (const v of quantized) {
      expect(v.latencyMs, v.format).toBeGreaterThan(0);
      expect(Math.abs((v.accuracy ?? Number.NaN) - (float.accuracy ?? Number.NaN)), v.format).toBeLessThanOrEqual(0.02);
    }
    const int8 = listed.variants[2] as Variant;
    expect(int8.calibration).toEqual({ observer: 'minmax', images: 64, file: 'saved-model-int8/quantization.json' });
    expect(int8.params).toBe(float.params);
    const grids = JSON.parse(fs.readFileSync(path.join(out, 'saved-model-int8', 'quantization.json'), 'utf8')) as {
      observer: string;
      calibrationImages: number;
      activations: { id: string; min: number; max: number; scale: number; zeroPoint: number }[];
    };
    expect(grids).toMatchObject({ observer: 'minmax', calibrationImages: 64 });
    expect(grids.activations[0]).toMatchObject({
      id: 'input',
      scale: expect.any(Number),
      zeroPoint: expect.any(Number),
    });
    // The export event holds variants.json's content, the int8 variant's calibration included.
    expect((await exportEvents(before.lastId)).payloads).toEqual([{ ...listed, out }]);
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toMatch(/\| saved-model-int8 \| `saved-model-int8` \|/);
    expect(readme).toMatch(/tf\.loadGraphModel\('file:\/\/\.\/tfjs-graph-uint8\/model\.json'\)/);
  });

  it('exits 2 on a bad --observer or --calibration, naming the flag, the expected values and the given one', async () => {
    const out = tempDir('nas-export-cli-observer-');
    const bad = await runCli([
      'export',
      'tiny',
      '--out',
      out,
      '--storage',
      config.storage,
      '--format',
      'saved-model-int8',
      '--observer',
      'kl',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--observer[\s\S]*expected minmax, percentile, mse[\s\S]*got "kl"/);
    const zero = await runCli([
      'export',
      'tiny',
      '--out',
      out,
      '--storage',
      config.storage,
      '--format',
      'saved-model-int8',
      '--calibration',
      '0',
    ]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--calibration[\s\S]*expected a number of training images, 1 or more[\s\S]*got "0"/);
    await expect(
      exportTrial(config.storage, 'tiny', { trial: 0 }, out, {
        formats: ['saved-model-int8'],
        calibration: { images: 1.5 },
      }),
    ).rejects.toThrow(UserError);
  });
});
