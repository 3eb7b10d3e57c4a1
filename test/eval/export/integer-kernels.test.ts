// saved-model-int8-kernels: the full-integer graph with TensorFlow's integer convolution kernel
// (QuantizedConv2DWithBiasAndReluAndRequantize) where the pattern allows, against the simulated
// full-integer graph (saved-model-int8) it must compute:
// - conv-BN-ReLU ×3 + GAP + dense (BN folded): every conv on an integer kernel when the input's
//   calibrated range starts at 0, all but the first when it does not (its grid has a zero point);
// - every ReLU output of an integer kernel as an integer against the simulated FakeQuant's, and the
//   logits, within the measured bound (MAX_STEP_DIFF, TIE_FRACTION, LOGIT_BOUND); the same class on
//   every input;
// - written as `nas export` writes it, loaded in a fresh Node process importing only tfjs-node
//   (fixtures/predict.mjs): the same logits as in-process;
// - a network with no coverable conv (ReLU6, a conv read by an add) exports the simulated graph
//   with integerOps "0 of 2 convs".
import fs from 'node:fs';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { createImageSet } from '../../../src/backend/data/types.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import type { FrozenNetwork } from '../../../src/eval/compile/frozen.js';
import { Graph, type Sym } from '../../../src/eval/compile/graph.js';
import { removeSavedModel, savedModelBytes, writeSavedModel } from '../../../src/eval/compile/saved-model.js';
import { ExportNetworks } from '../../../src/eval/export/networks.js';
import { writeFormat } from '../../../src/eval/export/write-format.js';
import { affineParams } from '../../../src/eval/quantize/index.js';
import { modelWeights, setModelWeights } from '../../../src/eval/weights.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { maxAbsDiff, predictInChild, randomised, tempRoot } from './helpers.js';

const tf = loadTf();

/** Measured: no ReLU output differs by more than one step between the integer kernel and the simulated FakeQuant. */
const MAX_STEP_DIFF = 1;
/**
 * The share of ReLU outputs one step apart: the kernel requantizes the exact int32 accumulator
 * (scale s_in·s_w,c/s_out, rounded to nearest), the simulated graph rounds a float32 sum of float32
 * products with FakeQuant's half-up rule, so values within float rounding of a rounding boundary
 * may land one step apart. Measured 23 of 1,048,576 (r1 0, r2 2, r3 21).
 */
const TIE_FRACTION = 1e-4;
/**
 * Logits, relative to max(1, |logit|): a flipped ReLU step moves a GAP mean by s/64, under half of
 * the GAP's own grid step, so it rarely reaches the logits (measured 0 on both cases); one flipped
 * GAP step would move a logit by s_gap·|w|, about 1e-2 of it.
 */
const LOGIT_BOUND = 1e-2;
/** The same graph in another session: float rounding of another kernel order only. */
const SAME_FORM = 1e-5;

const INPUT: [number, number, number] = [16, 16, 3];
const CLASSES = 10;
const IMAGES = 128;

const net = (nodes: object[]): ResolvedArch =>
  assertArch({ version: 1, nodes, output: 'logits' } as never, { inputShape: INPUT, classes: CLASSES });

/** Conv-BN-ReLU ×3 (the BNs fold into the convs), GAP, dense. */
const CONV_RELU = net([
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 16, kernel: 3, padding: 'same', bias: false },
  { id: 'b1', op: 'bn', inputs: ['c1'] },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
  { id: 'c2', op: 'conv', inputs: ['r1'], filters: 32, kernel: 3, stride: 2, padding: 'same', bias: false },
  { id: 'b2', op: 'bn', inputs: ['c2'] },
  { id: 'r2', op: 'act', fn: 'relu', inputs: ['b2'] },
  { id: 'c3', op: 'conv', inputs: ['r2'], filters: 32, kernel: 3, padding: 'same', bias: false },
  { id: 'b3', op: 'bn', inputs: ['c3'] },
  { id: 'r3', op: 'act', fn: 'relu', inputs: ['b3'] },
  { id: 'gap', op: 'gap', inputs: ['r3'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
]);

/** No conv the integer kernel covers: one fused with a ReLU6, one read by an add. */
const UNCOVERED = net([
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 8, kernel: 3, padding: 'same' },
  { id: 'r1', op: 'act', fn: 'relu6', inputs: ['c1'] },
  { id: 'c2', op: 'conv', inputs: ['r1'], filters: 8, kernel: 3, padding: 'same' },
  { id: 'sum', op: 'add', inputs: ['c2', 'r1'] },
  { id: 'gap', op: 'gap', inputs: ['sum'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
]);

type Case = { readonly networks: ExportNetworks; readonly x: Float32Array; readonly arch: ResolvedArch };

/** `arch` with random weights and BN statistics, and its calibration (and test) images: uniform [0, 1) or normal. */
function makeCase(arch: ResolvedArch, seed: number, images: 'uniform' | 'normal'): Case {
  const model = buildModel(arch, { seed });
  const weights = randomised(modelWeights(model), seed);
  setModelWeights(model, weights);
  model.dispose();
  const set = createImageSet(IMAGES, INPUT);
  const rng = new Rng(seed).derive('images');
  set.images.forEach((_, i) => (set.images[i] = images === 'uniform' ? rng.next() : rng.normal()));
  const networks = new ExportNetworks(
    { arch, weights },
    { images: { set, indices: Uint32Array.from({ length: IMAGES }, (_, i) => i) }, observer: 'minmax' },
  );
  return { networks, x: set.images, arch };
}

/** Runs `frozen` on `x` and returns its logits and, as floats, the activations `ids` (a quint8 one through Dequantize). */
async function probe(
  frozen: FrozenNetwork,
  ids: readonly string[],
  x: Float32Array,
): Promise<{ logits: Float32Array; activations: Float32Array[] }> {
  const g = new Graph();
  const outputs: Record<string, Sym> = { logits: frozen.logits };
  g.within('probe', () =>
    ids.forEach((id, i) => {
      const s = frozen.activations.get(id) as Sym;
      outputs[`a${i}`] =
        s.dtype === 'quint8'
          ? g.op(
              'Dequantize',
              s.node.outputs,
              {
                T: { type: 'quint8' },
                mode: { s: 'SCALED' },
                narrow_range: { b: false },
                axis: { i: -1 },
                dtype: { type: 'float32' },
              },
              s.shape,
            )
          : s;
    }),
  );
  const dir = await writeSavedModel(
    savedModelBytes({ nodes: [...frozen.nodes, ...g.nodes] }, { probe: { inputs: { x: frozen.input }, outputs } }),
  );
  const model = await tf.node.loadSavedModel(dir, ['serve'], 'probe');
  try {
    const input = tf.tensor4d(x, [IMAGES, ...INPUT]);
    const y = model.predict({ x: input }) as Record<string, Tensor>;
    const values = (k: string) => (y[k] as Tensor).dataSync() as Float32Array;
    const result = { logits: values('logits'), activations: ids.map((_, i) => values(`a${i}`)) };
    input.dispose();
    Object.values(y).forEach((t) => t.dispose());
    return result;
  } finally {
    model.dispose();
    await removeSavedModel(dir);
  }
}

const argmax = (logits: Float32Array, row: number) => {
  const r = logits.subarray(row * CLASSES, (row + 1) * CLASSES);
  return r.indexOf(Math.max(...r));
};

const measured: string[] = [];
afterAll(() => {
  for (const line of measured) console.log(line);
});

describe('saved-model-int8-kernels', () => {
  let uniform: Case;
  let root: string;
  beforeAll(() => {
    uniform = makeCase(CONV_RELU, 41, 'uniform');
    root = tempRoot('nas-export-int8-kernels-');
  });

  it('runs every conv-ReLU whose input grid has zero point 0 on an integer kernel, computing the simulated graph', async () => {
    const full = await uniform.networks.fullInteger();
    const kernels = await uniform.networks.integerKernels();
    expect(`${kernels.integerOps} of ${kernels.convs}`).toBe('3 of 3');
    const ops = kernels.frozen.nodes.map((n) => n.op);
    expect(ops.filter((op) => op === 'QuantizedConv2DWithBiasAndReluAndRequantize')).toHaveLength(3);
    // Consecutive integer convs feed each other in quint8: one QuantizeV2 at the input, one Dequantize before the GAP.
    expect(ops.filter((op) => op === 'QuantizeV2')).toHaveLength(1);
    expect(ops.filter((op) => op === 'Dequantize')).toHaveLength(1);
    expect(ops).not.toContain('Conv2D');
    const relus = ['r1', 'r2', 'r3'];
    const simulated = await probe(full.frozen, relus, uniform.x);
    const integer = await probe(kernels.frozen, relus, uniform.x);
    let apart = 0;
    let total = 0;
    let maxSteps = 0;
    const byRelu: string[] = [];
    relus.forEach((id, k) => {
      const before = apart;
      const { min, max } = full.constants.fakeQuant.get(id) as { min: number; max: number };
      const { scale } = affineParams(min, max);
      const a = simulated.activations[k] as Float32Array;
      const b = integer.activations[k] as Float32Array;
      for (let i = 0; i < a.length; i++) {
        const steps = Math.abs(Math.round((a[i] as number) / scale) - Math.round((b[i] as number) / scale));
        maxSteps = Math.max(maxSteps, steps);
        if (steps > 0) apart++;
        total++;
      }
      byRelu.push(`${id} ${apart - before}/${a.length}`);
    });
    const scale = Math.max(1, ...Array.from(simulated.logits, Math.abs));
    const logitDiff = Math.max(...Array.from(simulated.logits, (v, i) => Math.abs(v - (integer.logits[i] as number))));
    const sameClass = Array.from(
      { length: IMAGES },
      (_, r) => argmax(simulated.logits, r) === argmax(integer.logits, r),
    ).filter(Boolean).length;
    measured.push(
      `conv-ReLU ×3: ${apart} of ${total} ReLU outputs one step apart (${byRelu.join(', ')}; max ${maxSteps} steps); logits max |Δ| ${logitDiff.toExponential(2)} (|logit| up to ${scale.toFixed(2)}); same class ${sameClass}/${IMAGES}`,
    );
    expect(maxSteps).toBeLessThanOrEqual(MAX_STEP_DIFF);
    expect(apart / total).toBeLessThanOrEqual(TIE_FRACTION);
    expect(logitDiff).toBeLessThanOrEqual(LOGIT_BOUND * scale);
    expect(sameClass).toBe(IMAGES);
  }, 120_000);

  it('leaves the first conv simulated when the input range has a negative part (zero point ≠ 0)', async () => {
    const normal = makeCase(CONV_RELU, 42, 'normal');
    const kernels = await normal.networks.integerKernels();
    expect(`${kernels.integerOps} of ${kernels.convs}`).toBe('2 of 3');
    const full = await normal.networks.fullInteger();
    const simulated = await probe(full.frozen, [], normal.x);
    const integer = await probe(kernels.frozen, [], normal.x);
    const scale = Math.max(1, ...Array.from(simulated.logits, Math.abs));
    expect(
      Math.max(...Array.from(simulated.logits, (v, i) => Math.abs(v - (integer.logits[i] as number)))),
    ).toBeLessThanOrEqual(LOGIT_BOUND * scale);
  }, 120_000);

  it('exports as nas export writes it, loads in a fresh process and predicts what it does in-process; an uncovered network exports simulated with integerOps 0', async () => {
    const none = makeCase(UNCOVERED, 43, 'uniform');
    const layers = { dir: root, files: [] };
    const dirs = { covered: path.join(root, 'covered'), uncovered: path.join(root, 'uncovered') };
    const written = await writeFormat('saved-model-int8-kernels', dirs.covered, uniform.networks, layers);
    const writtenNone = await writeFormat('saved-model-int8-kernels', dirs.uncovered, none.networks, layers);
    expect(written.integerOps).toBe('3 of 3 convs');
    expect(writtenNone.integerOps).toBe('0 of 2 convs');
    expect(written.files).toEqual(['saved_model.pb', 'variables/', 'quantization.json']);
    expect(written.calibration).toEqual({
      observer: 'minmax',
      images: IMAGES,
      file: 'saved-model-int8-kernels/quantization.json',
    });
    const quantization = JSON.parse(fs.readFileSync(path.join(dirs.covered, 'quantization.json'), 'utf8')) as {
      activations: { id: string; tensor: string }[];
    };
    expect(quantization.activations.find((a) => a.id === 'r3')?.tensor).toMatch(
      /QuantizedConv2DWithBiasAndReluAndRequantize:0$/,
    );
    const noneKernels = await none.networks.integerKernels();
    expect(noneKernels.frozen.nodes.map((n) => n.op).filter((op) => op.startsWith('Quantize'))).toEqual([]);
    const input = path.join(root, 'x.f32');
    fs.writeFileSync(input, new Uint8Array(uniform.x.buffer, uniform.x.byteOffset, uniform.x.byteLength));
    const shape = [IMAGES, ...INPUT];
    const results = await predictInChild([
      { id: 'covered', format: 'saved-model', path: dirs.covered, input: { file: input, shape } },
      { id: 'uncovered', format: 'saved-model', path: dirs.uncovered, input: { file: input, shape } },
    ]);
    const inProcess = (await probe((await uniform.networks.integerKernels()).frozen, [], uniform.x)).logits;
    const simulatedNone = (await probe((await none.networks.fullInteger()).frozen, [], uniform.x)).logits;
    const covered = maxAbsDiff(results.get('covered'), inProcess);
    const uncovered = maxAbsDiff(results.get('uncovered'), simulatedNone);
    measured.push(
      `fresh process against in-process: covered ${covered.toExponential(1)}, uncovered (against saved-model-int8's graph) ${uncovered.toExponential(1)}`,
    );
    expect(covered).toBeLessThanOrEqual(SAME_FORM * Math.max(1, ...Array.from(inProcess, Math.abs)));
    expect(uncovered).toBeLessThanOrEqual(SAME_FORM * Math.max(1, ...Array.from(simulatedNone, Math.abs)));
  }, 180_000);
});
