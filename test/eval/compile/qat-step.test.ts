// The compiled `train_qat` step (src/eval/compile/qat.ts) against a JavaScript float64 reference of
// the fake-quantized forward pass, written from the design, not from the graph: a tiny network
// conv → BN → ReLU → max pool → separable conv → GAP → dense, where the deployed network folds the BN
// into the conv, fuses the conv into the ReLU and splits the separable conv in two. So the reference
// fake-quantizes the input, the ReLU's output, the depthwise output inside the separable conv, the
// separable conv's, the GAP's and the logits (TensorFlow's affine nudging), and the four int8
// kernels per output channel on ∓max|w_c|·(1 + 2⁻²⁰) (narrow); BN normalises with the batch's
// statistics. At learning rate 0 the weights stay, so two steps on two batches check the ranges: the
// first step's are its batch's [min(x, 0), max(x, 0)], the second's the moving average of those
// and the second batch's, and they are what qatRanges() reads back. Measured: losses equal to 5e-9
// relative (float32 kernels against float64), the ranges to 8e-8 of their width; leaving any one of
// the six activations unquantized in the reference moves its loss by 1.4e-4 relative or more.
// Also: gradient checkpointing gives the same QAT steps and ranges; and training through the fake
// quantization lowers the loss and moves every trainable weight (the straight-through gradients
// reach each one; SGD without decay or momentum, so only a gradient moves a weight).
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { INPUT_ID, type ArchNode } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileFromModel, type CompiledModel } from '../../../src/eval/compile/index.js';
import { affineParams, gridRange, qatRanges } from '../../../src/eval/quantize/index.js';
import { resolveTrainConfig } from '../../../src/eval/train/index.js';
import { modelWeights, setModelWeights, type WeightArray } from '../../../src/eval/weights.js';
import { assertArch } from '../../../src/space/index.js';
import { conv2d, dense, globalAverage, maxPool2, type Activation } from '../quantize/reference.js';

const tf = loadTf();
const MOMENTUM = 0.9;
const BATCH = 6;
const SHAPE = [4, 4, 2] as const;

const nodes: ArchNode[] = [
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 3, kernel: 3, padding: 'same', bias: false },
  { id: 'b1', op: 'bn', inputs: ['c1'] },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
  { id: 'p1', op: 'maxpool', inputs: ['r1'], kernel: 2 },
  { id: 's1', op: 'sepconv', inputs: ['p1'], filters: 4, kernel: 3, padding: 'same' },
  { id: 'gap', op: 'gap', inputs: ['s1'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
];
const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [...SHAPE], classes: 3 });

type Range = [number, number];
const f = Math.fround;

/** TensorFlow's fake quantization of `v` on [min, max] over integers [qmin, qmax] (nudged grid, ⌊· + ½⌋). */
function fakeQuant(v: number, min: number, max: number, qmin = 0): number {
  const p = affineParams(min, max, qmin, 255);
  const [lo, hi] = gridRange(p);
  const clamped = Math.min(hi, Math.max(lo, v));
  return Math.floor((clamped - lo) / p.scale + 0.5) * p.scale + lo;
}

/** A kernel quantized per output channel (last axis) on ∓max|w_c| (widened by 2⁻²⁰), narrow. */
function fakeQuantKernel(w: WeightArray): Float64Array {
  const channels = w.shape.at(-1) as number;
  const maxAbs = new Float64Array(channels);
  w.data.forEach((v, i) => (maxAbs[i % channels] = Math.max(maxAbs[i % channels] as number, Math.abs(v))));
  const m = Array.from(maxAbs, (a) => f(f(Math.max(a, 1e-12)) * f(1 + 2 ** -20)));
  return Float64Array.from(w.data, (v, i) => fakeQuant(v, -(m[i % channels] as number), m[i % channels] as number, 1));
}

/** The reference's state between steps: each activation's range, after the step. */
type Ranges = Map<string, Range>;

/** One fake-quantized training-mode forward pass and its mean cross-entropy, with the ranges it used. */
function referenceStep(
  x: Float32Array,
  labels: readonly number[],
  weights: ReadonlyMap<string, WeightArray>,
  previous?: Ranges,
): { loss: number; ranges: Ranges } {
  const ranges: Ranges = new Map();
  const w = (name: string) => weights.get(name) as WeightArray;
  /** Updates the point's range from the batch's values and fake-quantizes them with it. */
  const quantize = (point: string, batch: Activation[]): Activation[] => {
    let lo = 0;
    let hi = 0;
    for (const a of batch) for (const v of a.data) [lo, hi] = [Math.min(lo, f(v)), Math.max(hi, f(v))];
    const old = previous?.get(point);
    const range: Range =
      old === undefined
        ? [lo, hi]
        : [f(old[0] - f(f(old[0] - lo) * f(1 - MOMENTUM))), f(old[1] - f(f(old[1] - hi) * f(1 - MOMENTUM)))];
    ranges.set(point, range);
    return batch.map((a) => ({ shape: a.shape, data: a.data.map((v) => fakeQuant(v, range[0], range[1])) }));
  };
  const size = SHAPE[0] * SHAPE[1] * SHAPE[2];
  let h: Activation[] = Array.from({ length: BATCH }, (_, n) => ({
    shape: [...SHAPE],
    data: Float64Array.from(x.subarray(n * size, (n + 1) * size)),
  }));
  h = quantize(INPUT_ID, h);
  h = h.map((a) => conv2d(a, fakeQuantKernel(w('c1/kernel')), w('c1/kernel').shape, undefined));
  h = batchNormTraining(h, w('b1/gamma').data, w('b1/beta').data);
  h = quantize(
    'r1',
    h.map((a) => ({ shape: a.shape, data: a.data.map((v) => Math.max(0, v)) })),
  );
  h = h.map(maxPool2);
  h = quantize(
    's1_depthwise',
    h.map((a) => conv2d(a, fakeQuantKernel(w('s1/kernel')), w('s1/kernel').shape, undefined, 3)),
  );
  h = quantize(
    's1',
    h.map((a) =>
      conv2d(a, fakeQuantKernel(w('s1/pointwise_kernel')), w('s1/pointwise_kernel').shape, w('s1/bias').data),
    ),
  );
  h = quantize('gap', h.map(globalAverage));
  h = quantize(
    'logits',
    h.map((a) => dense(a, fakeQuantKernel(w('logits/kernel')), 3, w('logits/bias').data)),
  );
  const loss =
    h.reduce((sum, logits, n) => {
      const top = Math.max(...logits.data);
      const logSum = Math.log(logits.data.reduce((s, v) => s + Math.exp(v - top), 0)) + top;
      return sum + logSum - (logits.data[labels[n] as number] as number);
    }, 0) / BATCH;
  return { loss, ranges };
}

/** Training-mode BatchNorm: each channel normalised by its batch mean and biased variance (ε 1e-5). */
function batchNormTraining(batch: Activation[], gamma: Float32Array, beta: Float32Array): Activation[] {
  const channels = gamma.length;
  const count = batch.length * ((batch[0] as Activation).data.length / channels);
  const mean = new Float64Array(channels);
  const square = new Float64Array(channels);
  for (const a of batch) {
    a.data.forEach((v, i) => {
      mean[i % channels] = (mean[i % channels] as number) + v / count;
      square[i % channels] = (square[i % channels] as number) + (v * v) / count;
    });
  }
  const scale = Array.from(mean, (m, c) => (gamma[c] as number) / Math.sqrt((square[c] as number) - m * m + 1e-5));
  return batch.map((a) => ({
    shape: a.shape,
    data: a.data.map(
      (v, i) => (v - (mean[i % channels] as number)) * (scale[i % channels] as number) + (beta[i % channels] as number),
    ),
  }));
}

/** The builder's weights with biases, γ and β drawn (they start at 0 and 1). */
function drawnWeights(): Map<string, WeightArray> {
  const model = buildModel(arch, { seed: 3 });
  try {
    const rng = new Rng('qat-step').derive('weights');
    const draw: Record<string, () => number> = {
      bias: () => 0.3 * rng.normal(),
      gamma: () => 0.5 + rng.next(),
      beta: () => 0.3 * rng.normal(),
    };
    const drawn = new Map(
      [...modelWeights(model)].map(([name, w]) => {
        const fn = draw[name.slice(name.lastIndexOf('/') + 1)];
        return [name, fn === undefined ? w : { shape: w.shape, data: Float32Array.from(w.data, () => fn()) }];
      }),
    );
    setModelWeights(model, drawn);
    return drawn;
  } finally {
    model.dispose();
  }
}

function batch(seed: number): { x: Tensor4D; labels: Tensor1D; data: Float32Array; classes: number[] } {
  const rng = new Rng(`batch/${seed}`);
  const data = Float32Array.from(
    { length: BATCH * SHAPE[0] * SHAPE[1] * SHAPE[2] },
    () => rng.normal() * (seed === 1 ? 1 : 1.5) + 0.2,
  );
  const classes = Array.from({ length: BATCH }, (_, i) => (i + seed) % 3);
  return { x: tf.tensor4d(data, [BATCH, ...SHAPE]), labels: tf.tensor1d(classes, 'int32'), data, classes };
}

const opened: CompiledModel[] = [];
afterAll(() => opened.forEach((m) => m.dispose()));

async function compiledWith(weights: ReadonlyMap<string, WeightArray>, segments?: number): Promise<CompiledModel> {
  const model = buildModel(arch, { seed: 3 });
  try {
    setModelWeights(model, weights);
    // Plain SGD without decay: a weight moves only by its gradient.
    const cfg = resolveTrainConfig({
      seed: 1,
      epochs: 1,
      optimizer: { kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 },
      qat: { epochs: 1, momentum: MOMENTUM },
      ...(segments === undefined ? {} : { checkpointing: { segments } }),
    });
    const compiled = await compileFromModel(arch, model, cfg);
    opened.push(compiled);
    return compiled;
  } finally {
    model.dispose();
  }
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-6, Math.abs(b));

describe('the compiled train_qat step', () => {
  it('computes the fake-quantized loss of a JS reference, and its moving ranges', async () => {
    const weights = drawnWeights();
    const compiled = await compiledWith(weights);
    const [a, b] = [batch(1), batch(2)];
    try {
      const first = compiled.train(a.x, a.labels, 0, [0, 0], true);
      const ref1 = referenceStep(a.data, a.classes, weights);
      const second = compiled.train(b.x, b.labels, 0, [0, 0], true);
      const ref2 = referenceStep(b.data, b.classes, weights, ref1.ranges);
      console.log(
        `train_qat loss: step 1 ${first[0]} (reference ${ref1.loss}), step 2 ${second[0]} (reference ${ref2.loss})`,
      );
      expect(relative(first[0] as number, ref1.loss)).toBeLessThan(1e-5);
      expect(relative(second[0] as number, ref2.loss)).toBeLessThan(1e-5);

      const learned = qatRanges(compiled);
      expect([...learned.keys()]).toEqual([...ref2.ranges.keys()]);
      let worst = 0;
      for (const [point, [lo, hi]] of ref2.ranges) {
        const got = learned.get(point) as { min: number; max: number };
        const scale = Math.max(hi - lo, 1e-6);
        worst = Math.max(worst, Math.abs(got.min - lo) / scale, Math.abs(got.max - hi) / scale);
      }
      console.log(`moving ranges: largest difference ${worst.toExponential(2)} of the range`);
      expect(worst).toBeLessThan(1e-5);

      // The plain step neither fake-quantizes nor moves the ranges.
      const plain = compiled.train(b.x, b.labels, 0);
      expect(plain[0]).not.toBe(second[0]);
      expect(qatRanges(compiled)).toEqual(learned);
    } finally {
      tf.dispose([a.x, a.labels, b.x, b.labels]);
    }
  });

  it('gives the same steps with gradient checkpointing (segments recomputed with their fake quantization)', async () => {
    const weights = drawnWeights();
    const [plain, checkpointed] = [await compiledWith(weights), await compiledWith(weights, 3)];
    const a = batch(1);
    try {
      for (let step = 0; step < 3; step++) {
        const [p, c] = [
          plain.train(a.x, a.labels, 0.05, [0, 0], true),
          checkpointed.train(a.x, a.labels, 0.05, [0, 0], true),
        ];
        expect(relative(c[0] as number, p[0] as number)).toBeLessThan(1e-5);
      }
      const [rp, rc] = [qatRanges(plain), qatRanges(checkpointed)];
      for (const [point, r] of rp) {
        const other = rc.get(point) as { min: number; max: number };
        expect(Math.abs(other.min - r.min) + Math.abs(other.max - r.max), point).toBeLessThan(
          1e-5 * Math.max(1, r.max - r.min),
        );
      }
    } finally {
      tf.dispose([a.x, a.labels]);
    }
  });

  it('trains through the fake quantization (straight-through gradients reach every weight)', async () => {
    const weights = drawnWeights();
    const compiled = await compiledWith(weights);
    const a = batch(1);
    try {
      const losses = Array.from({ length: 5 }, () => compiled.train(a.x, a.labels, 0.05, [0, 0], true)[0] as number);
      expect(losses.at(-1)).toBeLessThan(losses[0] as number);
      const values = compiled.readAll();
      try {
        compiled.variables.forEach((v, i) => {
          if (!v.trainable) return;
          const before = weights.get(v.name)?.data as Float32Array;
          const after = values[i]?.dataSync() as Float32Array;
          expect(
            after.some((x, j) => x !== before[j]),
            v.name,
          ).toBe(true);
        });
      } finally {
        tf.dispose(values);
      }
    } finally {
      tf.dispose([a.x, a.labels]);
    }
  });
});
