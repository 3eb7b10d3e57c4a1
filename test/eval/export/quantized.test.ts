// The quantized export formats (saved-model-dynamic, saved-model-int8, tfjs-graph-uint8), written as
// `nas export` writes them (ExportNetworks and the frozen-graph writers) for a sampled network of
// three spaces with random weights, biases and BN statistics, then loaded in a fresh Node process that
// imports only @tensorflow/tfjs-node (fixtures/predict.mjs):
// - each predicts what the in-process graph of the same form computes: compileInference of the same
//   constants (and fake-quant ranges), loaded as a CompiledModel; for tfjs-graph-uint8 the float
//   graph of the weights tfjs decodes from the uint8 ones;
// - each stays within its bound of the float network (space-samples.test.ts justifies the int8 ones);
// - the int8 SavedModel holds its kernels as DT_INT8 constants, the uint8 graph model as one byte per
//   kernel weight: on a network whose parameters dominate, each is below 0.35× its float format.
import fs from 'node:fs';
import path from 'node:path';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf, savedModelProto } from '../../../src/backend/tf.js';
import { createImageSet } from '../../../src/backend/data/types.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import type { ConstantWeight } from '../../../src/eval/compile/inference-pass.js';
import { compileInference } from '../../../src/eval/compile/quantized.js';
import { ExportNetworks } from '../../../src/eval/export/networks.js';
import {
  QUANTIZATION_FILE,
  quantizationFile,
  type QuantizationFile,
} from '../../../src/eval/export/quantization-file.js';
import { writeFrozenSavedModel } from '../../../src/eval/export/saved-model.js';
import { writeTfjsGraphModel } from '../../../src/eval/export/tfjs-graph.js';
import { dequantizeUint8, quantizeUint8 } from '../../../src/eval/export/uint8-weights.js';
import { affineParams, networkConstants, quantizedKernels } from '../../../src/eval/quantize/index.js';
import { modelWeights, setModelWeights, type WeightArray } from '../../../src/eval/weights.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { maxAbsDiff, predictInChild, randomised, tempRoot, type ChildModel, type ChildResult } from './helpers.js';

const tf = loadTf();

/**
 * The export and the in-process graph run the same nodes (same constants, same FakeQuant ranges) in
 * another session, or through tfjs's graph executor: float32 rounding of another kernel order only.
 * Allowed: 1e-5 · max(1, |logit|).
 */
const SAME_FORM = 1e-5;
/** Relative logit error against the float network, as test/eval/quantize/space-samples.test.ts bounds it. */
const DYNAMIC_BOUND = 5e-2;
const FULL_BOUND = 1e-1;
/**
 * tfjs-graph-uint8: one affine grid per kernel tensor, half a step = (max − min)/510 of the whole
 * tensor, i.e. about max|w|/255 over all channels where the int8 forms have max|w_c|/254 per channel:
 * as coarse as the int8 kernels on the tensor's largest channel, coarser on the others (BN folding
 * scales each channel by γ/σ). Bounded as the dynamic form.
 */
const UINT8_BOUND = 5e-2;

const INPUT: [number, number, number] = [16, 16, 3];
const CLASSES = 10;
const CALIBRATION = 64;
const BATCH = 16;

function sampled(name: string, options: Record<string, unknown>): [string, ResolvedArch] {
  const space = createSpace(name, options);
  const sample: Json = space.sample(new Rng(`export quantized ${name}`));
  return [name, assertArch(space.freeze(sample), { inputShape: INPUT, classes: CLASSES })];
}

const SAMPLES: [string, ResolvedArch][] = [
  sampled('macro', {
    stem: 'conv3x3',
    stemChannels: 8,
    stageWidths: [8, 16, 16],
    widthMultipliers: ['0.5', '1'],
    divisor: 4,
    kernels: [3, 5],
    expansions: [1, 2, 4],
    depths: [1, 2],
    strides: [1, 2],
    head: 'classifier',
  }),
  sampled('layerwise', { layers: 6, channels: 8, reductions: [1, 3], merge: 'concat' }),
  sampled('nb201', { cells: 1, channels: 8 }),
];

/** Conv-BN-ReLU ×3, GAP, dense: 57k parameters, so the constants dominate saved_model.pb. */
const WIDE = assertArch(
  {
    version: 1,
    nodes: [
      { id: 'c1', op: 'conv', inputs: ['input'], filters: 32, kernel: 3, padding: 'same', bias: false },
      { id: 'b1', op: 'bn', inputs: ['c1'] },
      { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
      { id: 'c2', op: 'conv', inputs: ['r1'], filters: 64, kernel: 3, stride: 2, padding: 'same', bias: false },
      { id: 'b2', op: 'bn', inputs: ['c2'] },
      { id: 'r2', op: 'act', fn: 'relu', inputs: ['b2'] },
      { id: 'c3', op: 'conv', inputs: ['r2'], filters: 64, kernel: 3, padding: 'same', bias: false },
      { id: 'b3', op: 'bn', inputs: ['c3'] },
      { id: 'r3', op: 'act', fn: 'relu', inputs: ['b3'] },
      { id: 'gap', op: 'gap', inputs: ['r3'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ],
    output: 'logits',
  },
  { inputShape: INPUT, classes: CLASSES },
);

type Form = 'saved-model' | 'tfjs-graph' | 'saved-model-dynamic' | 'saved-model-int8' | 'tfjs-graph-uint8';
const LOADER: Record<Form, ChildModel['format']> = {
  'saved-model': 'saved-model',
  'tfjs-graph': 'tfjs-graph',
  'saved-model-dynamic': 'saved-model',
  'saved-model-int8': 'saved-model',
  'tfjs-graph-uint8': 'tfjs-graph',
};

type Written = {
  readonly label: string;
  readonly dirs: Record<Form, string>;
  readonly input: { readonly file: string; readonly shape: readonly number[] };
  /** The eager (unfolded, float) model's logits. */
  readonly float: Float32Array;
  /** The in-process graphs' logits, by quantized form. */
  readonly inProcess: Record<'saved-model-dynamic' | 'saved-model-int8' | 'tfjs-graph-uint8', Float32Array>;
  readonly quantization: QuantizationFile;
  readonly networks: ExportNetworks;
};

/** Writes every frozen format of `arch` with random weights, and computes the references on a batch of calibration images. */
async function writeAll(label: string, arch: ResolvedArch, seed: number, root: string): Promise<Written> {
  const model = buildModel(arch, { seed });
  const weights = randomised(modelWeights(model), seed);
  setModelWeights(model, weights);
  const images = createImageSet(CALIBRATION, INPUT);
  const rng = new Rng(seed).derive('images');
  images.images.forEach((_, i) => (images.images[i] = rng.normal()));
  const x = tf.tensor4d(images.images.slice(0, BATCH * INPUT[0] * INPUT[1] * INPUT[2]), [BATCH, ...INPUT]);
  const float = tf.tidy(() => (model.predict(x) as Tensor).dataSync() as Float32Array);
  model.dispose();
  const networks = new ExportNetworks(
    { arch, weights },
    { images: { set: images, indices: Uint32Array.from({ length: CALIBRATION }, (_, i) => i) }, observer: 'minmax' },
  );
  const dir = path.join(root, label);
  const dirs = Object.fromEntries((Object.keys(LOADER) as Form[]).map((f) => [f, path.join(dir, f)])) as Record<
    Form,
    string
  >;
  const full = await networks.fullInteger();
  await writeFrozenSavedModel(networks.frozen(), dirs['saved-model']);
  await writeTfjsGraphModel(networks.frozen(), dirs['tfjs-graph']);
  await writeFrozenSavedModel(networks.dynamic(), dirs['saved-model-dynamic']);
  await writeFrozenSavedModel(full.frozen, dirs['saved-model-int8']);
  await writeTfjsGraphModel(networks.frozen(), dirs['tfjs-graph-uint8'], { uint8: networks.kernelConstants() });
  const net = networks.prepared();
  const folded = networks.folded();
  const inProcess = {
    'saved-model-dynamic': await predictWith(
      net.arch,
      networkConstants(net.arch, net.weights, 'dynamic').weights,
      new Map(),
      x,
    ),
    'saved-model-int8': await predictWith(net.arch, full.constants.weights, full.constants.fakeQuant, x),
    'tfjs-graph-uint8': await predictWith(folded.arch, uint8Decoded(folded.arch, folded.weights), new Map(), x),
  };
  const file = path.join(dir, 'x.f32');
  const data = x.dataSync() as Float32Array;
  fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  x.dispose();
  return {
    label,
    dirs,
    input: { file, shape: [BATCH, ...INPUT] },
    float,
    inProcess,
    quantization: full.quantization,
    networks,
  };
}

/** The folded weights as tfjs decodes them from tfjs-graph-uint8: the kernels through their uint8 grid. */
function uint8Decoded(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): Map<string, ConstantWeight> {
  const kernels = quantizedKernels(arch);
  return new Map(
    [...weights].map(([name, w]) => {
      if (!kernels.has(name)) return [name, { kind: 'float', shape: w.shape, data: w.data }];
      const { q, quantization } = quantizeUint8(w.data);
      return [name, { kind: 'float', shape: w.shape, data: dequantizeUint8(q, quantization) }];
    }),
  );
}

async function predictWith(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, ConstantWeight>,
  fakeQuant: ReadonlyMap<string, { min: number; max: number }>,
  x: Tensor4D,
): Promise<Float32Array> {
  const model = await CompiledModel.load(compileInference(arch, weights, fakeQuant));
  try {
    const y = model.predict(x);
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  } finally {
    model.dispose();
  }
}

function values(result: ChildResult | undefined): Float32Array {
  if (result?.error !== undefined) throw new Error(`${result.id}: ${result.error}`);
  return Float32Array.from(result?.values ?? []);
}

function relativeError(y: Float32Array, float: Float32Array): number {
  const scale = Math.max(...Array.from(float, Math.abs));
  return Math.max(...Array.from(y, (v, i) => Math.abs(v - (float[i] as number)))) / scale;
}

function bytesUnder(file: string): number {
  const stat = fs.statSync(file);
  return stat.isDirectory() ? fs.readdirSync(file).reduce((n, f) => n + bytesUnder(path.join(file, f)), 0) : stat.size;
}

/** Name → dtype (DT_…) of every Const in a saved_model.pb. */
function constDtypes(savedModelDir: string): Map<string, string> {
  const pb = savedModelProto();
  const model = pb.SavedModel.deserializeBinary(fs.readFileSync(path.join(savedModelDir, 'saved_model.pb')));
  const names = Object.fromEntries(Object.entries(pb.DataType).map(([k, v]) => [v, k]));
  const nodes = model.getMetaGraphsList()[0].getGraphDef().getNodeList() as {
    getName(): string;
    getOp(): string;
    getAttrMap(): { get(key: string): { getType(): number } };
  }[];
  return new Map(
    nodes
      .filter((n) => n.getOp() === 'Const')
      .map((n) => [n.getName(), names[n.getAttrMap().get('dtype').getType()] as string]),
  );
}

const written = new Map<string, Written>();
let results = new Map<string, ChildResult>();
const measured: string[] = [];

beforeAll(async () => {
  const root = tempRoot('nas-export-quantized-');
  for (const [i, [label, arch]] of [...SAMPLES, ['wide', WIDE] as [string, ResolvedArch]].entries())
    written.set(label, await writeAll(label, arch, 20 + i, root));
  const models = [...written.values()].flatMap((w) =>
    (Object.keys(LOADER) as Form[]).map((f): ChildModel => ({
      id: `${w.label} ${f}`,
      format: LOADER[f],
      path: LOADER[f] === 'tfjs-graph' ? path.join(w.dirs[f], 'model.json') : w.dirs[f],
      input: w.input,
    })),
  );
  results = await predictInChild(models);
}, 300_000);

afterAll(() => {
  for (const line of measured) console.log(line);
});

describe('quantized export formats', () => {
  it.each(SAMPLES.map(([label]) => label))(
    '%s: each loads in a fresh process, computes its in-process form and stays near the float network',
    (label) => {
      const w = written.get(label) as Written;
      const scale = Math.max(1, ...Array.from(w.float, Math.abs));
      const line: string[] = [];
      for (const [form, bound] of [
        ['saved-model-dynamic', DYNAMIC_BOUND],
        ['saved-model-int8', FULL_BOUND],
        ['tfjs-graph-uint8', UINT8_BOUND],
      ] as const) {
        const result = results.get(`${label} ${form}`);
        const same = maxAbsDiff(result, w.inProcess[form]);
        const error = relativeError(values(result), w.float);
        line.push(`${form} same-form ${same.toExponential(1)}, vs float ${error.toExponential(2)}`);
        expect(same, `${form} against its in-process graph`).toBeLessThanOrEqual(SAME_FORM * scale);
        expect(error, `${form} against the float network`).toBeLessThanOrEqual(bound);
      }
      // The float formats of the same folder still predict the float network (fold.test.ts's bound).
      for (const form of ['saved-model', 'tfjs-graph'] as const)
        expect(maxAbsDiff(results.get(`${label} ${form}`), w.float)).toBeLessThanOrEqual(1e-4 * scale);
      measured.push(`${label} (logits up to |${scale.toFixed(2)}|): ${line.join('; ')}`);
    },
  );

  it('records every 8-bit activation of the int8 SavedModel: its graph tensor, range, scale and zero point', () => {
    const w = written.get('macro') as Written;
    const q = w.quantization;
    expect(q.observer).toBe('minmax');
    expect(q.calibrationImages).toBe(CALIBRATION);
    expect(q.activations[0]?.id).toBe('input');
    const net = w.networks.prepared();
    expect(q.activations.length).toBeGreaterThan(net.arch.nodes.length / 3);
    for (const a of q.activations) {
      expect(a.tensor).toMatch(/FakeQuantWithMinMaxArgs(_\d+)?:0$/);
      expect(a.min).toBeLessThanOrEqual(0);
      expect(a.max).toBeGreaterThan(a.min);
      expect({ scale: a.scale, zeroPoint: a.zeroPoint }).toEqual(
        (({ scale, zeroPoint }) => ({ scale, zeroPoint }))(affineParams(a.min, a.max)),
      );
    }
    expect(quantizationFile(w.networks.frozen(), new Map(), { observer: 'mse', images: 1 }).activations).toEqual([]);
    expect(QUANTIZATION_FILE).toBe('quantization.json');
  });

  it('stores the kernels in 8 bits: DT_INT8 constants in the SavedModels, uint8 in the graph model, under 0.35× the float size', () => {
    const w = written.get('wide') as Written;
    const kernels = [...quantizedKernels(w.networks.prepared().arch).keys()];
    expect(kernels).toHaveLength(4);
    for (const form of ['saved-model-dynamic', 'saved-model-int8'] as const) {
      const dtypes = constDtypes(w.dirs[form]);
      for (const k of kernels) expect(dtypes.get(`weights/${k}/q`), `${form} ${k}`).toBe('DT_INT8');
      expect([...dtypes.values()].filter((d) => d === 'DT_INT8')).toHaveLength(kernels.length);
    }
    expect(
      [...constDtypes(w.dirs['saved-model-int8']).entries()].filter(([, d]) => d === 'DT_INT32').map(([n]) => n),
    ).toEqual(expect.arrayContaining(kernels.map((k) => `weights/${k.replace(/kernel$/, 'bias')}/q`)));
    const manifest =
      (
        JSON.parse(fs.readFileSync(path.join(w.dirs['tfjs-graph-uint8'], 'model.json'), 'utf8')) as {
          weightsManifest: { weights: { name: string; quantization?: { dtype: string } }[] }[];
        }
      ).weightsManifest[0]?.weights ?? [];
    expect(
      manifest
        .filter((e) => e.quantization?.dtype === 'uint8')
        .map((e) => e.name)
        .sort(),
    ).toEqual(kernels.map((k) => `weights/${k}`).sort());
    const sizes = Object.fromEntries((Object.keys(LOADER) as Form[]).map((f) => [f, bytesUnder(w.dirs[f])])) as Record<
      Form,
      number
    >;
    measured.push(`wide network bytes: ${JSON.stringify(sizes)}`);
    for (const form of ['saved-model-dynamic', 'saved-model-int8'] as const)
      expect(sizes[form]).toBeLessThan(0.35 * sizes['saved-model']);
    expect(sizes['tfjs-graph-uint8']).toBeLessThan(0.35 * sizes['tfjs-graph']);
  });
});
