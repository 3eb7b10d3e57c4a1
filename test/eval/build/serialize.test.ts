import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { Rng, costTotal, maxAbsDiff, randomNd, resolve, toTensor } from './helpers.js';

const tf = loadTf();

/** Every custom layer, each in a non-default configuration, on an [8, 8, 4] input. */
const NODES: ArchNode[] = [
  {
    id: 'grouped',
    op: 'conv',
    inputs: ['input'],
    filters: 6,
    kernel: 3,
    groups: 2,
    dilation: 2,
    padding: [
      [2, 1],
      [1, 2],
    ],
  },
  { id: 'up', op: 'deconv', inputs: ['grouped'], filters: 4, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
  { id: 'pool', op: 'maxpool', inputs: ['up'], kernel: 3, stride: 2, padding: 1 },
  {
    id: 'avg',
    op: 'avgpool',
    inputs: ['pool'],
    kernel: 3,
    stride: 1,
    padding: [
      [1, 1],
      [0, 1],
    ],
    includePad: false,
  },
  { id: 'dw', op: 'dwconv', inputs: ['avg'], kernel: 3, multiplier: 2, dilation: 2, padding: 'same' },
  { id: 'sep', op: 'sepconv', inputs: ['dw'], filters: 4, kernel: 3, padding: 'same' },
  { id: 'spatial', op: 'channel_pool', inputs: ['sep'], fn: 'max' },
  { id: 'scaled', op: 'mul', inputs: ['sep', 'spatial'] },
  { id: 'squeeze', op: 'gap', inputs: ['scaled'] },
  { id: 'excited', op: 'mul', inputs: ['scaled', 'squeeze'] },
  { id: 'none', op: 'zero', inputs: ['excited'], stride: 2 },
  { id: 'half', op: 'maxpool', inputs: ['excited'], kernel: 2, padding: 'same' },
  { id: 'sum', op: 'add', inputs: ['half', 'none'] },
  { id: 'dropped', op: 'drop_path', inputs: ['sum'], rate: 0.3 },
  { id: 'head', op: 'gap', inputs: ['dropped'] },
  { id: 'logits', op: 'dense', inputs: ['head'], units: 'classes' },
];
const CUSTOM = ['NasChannelPool', 'NasConv', 'NasConvTranspose', 'NasDropPath', 'NasPool', 'NasScale', 'NasZero'];

describe('a model of every custom layer survives save and load', () => {
  let dir = '';
  const startTensors = tf.memory().numTensors;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nas-serialize-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    expect(tf.memory().numTensors).toBe(startTensors);
  });

  it('gives the same weights and predictions after file:// save and loadLayersModel', async () => {
    const arch = resolve(NODES, [8, 8, 4], { classes: 5, output: 'logits' });
    const built = buildModel(arch, { seed: 'serialize' });
    let loaded: LayersModel | undefined;
    const rng = new Rng('serialize');
    // Non-zero biases, so a bias dropped or misplaced on load shows.
    const values = built.weights.map((w) => toTensor(randomNd(rng, w.shape as number[])));
    built.setWeights(values);
    tf.dispose(values);
    const x = toTensor(randomNd(rng, [3, 8, 8, 4]));
    try {
      expect(built.countParams()).toBe(costTotal(arch));
      expect(new Set(built.layers.map((l) => l.getClassName()))).toEqual(
        new Set(['InputLayer', 'GlobalAveragePooling2D', 'Add', 'Dense', ...CUSTOM]),
      );

      await built.save(`file://${dir}`);
      loaded = await tf.loadLayersModel(`file://${join(dir, 'model.json')}`);

      expect(loaded.layers.map((l) => [l.name, l.getClassName()])).toEqual(
        built.layers.map((l) => [l.name, l.getClassName()]),
      );
      expect(loaded.layers.find((l) => l.getClassName() === 'NasDropPath')?.getConfig()).toMatchObject({ rate: 0.3 });
      expect(loaded.countParams()).toBe(costTotal(arch));
      const before = built.getWeights().map((w) => w.dataSync() as Float32Array);
      const after = loaded.getWeights().map((w) => w.dataSync() as Float32Array);
      expect(after.length).toBe(before.length);
      after.forEach((a, i) => expect(maxAbsDiff(a, before[i] ?? new Float32Array())).toBe(0));

      const [want, got] = tf.tidy(() =>
        [built.predict(x) as Tensor, (loaded as LayersModel).predict(x) as Tensor].map(
          (t) => t.dataSync() as Float32Array,
        ),
      );
      expect(want?.length).toBe(3 * 5);
      expect(maxAbsDiff(want ?? [], got ?? [])).toBeLessThan(1e-6);
    } finally {
      built.dispose();
      loaded?.dispose();
      x.dispose();
    }
  });
});
