/**
 * What a network's inference graph holds in each form (src/eval/compile/quantized.ts builds it):
 *
 * - `float`: every weight float32;
 * - `dynamic` (dynamic-range, weight-only): the kernels of conv, dwconv, sepconv (both) and dense
 *   int8 per output channel; biases, BN and every activation float;
 * - `full-integer` (simulated): the kernels as above, every bias of a quantized kernel int32 at
 *   scale s_in·s_w,c (zero point 0, as int8 runtimes store it), and the input and every activation
 *   the plan quantizes (activation-plan.ts) fake-quantized with its calibrated range. The graph then
 *   computes, up to float rounding, what an int8 runtime does: every conv sums products of
 *   integers (exact in float32 below 2^24) scaled by s_in·s_w,c, adds the int32 bias on the same
 *   scale, and requantizes to the output's grid. Separable convolutions must be split first
 *   (split-separable.ts). Transposed convolutions keep float kernels (their output channels are not
 *   the last axis); BatchNorms that did not fold keep float γ, β and statistics.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import type { ConstantWeight } from '../compile/inference-pass.js';
import type { WeightArray } from '../weights.js';
import { activationPlan, type ActivationPlan } from './activation-plan.js';
import { affineParams, usableRange } from './affine.js';
import type { Range } from './observers/observer.js';
import { quantizePerChannel, type PerChannelWeights } from './per-channel.js';

export type QuantizationMode = 'float' | 'dynamic' | 'full-integer';

export type NetworkConstants = {
  readonly weights: ReadonlyMap<string, ConstantWeight>;
  /** The fake-quantized activations and their ranges (full-integer only). */
  readonly fakeQuant: ReadonlyMap<string, Range>;
};

const QUANTIZED_KERNELS: Readonly<Record<string, readonly string[]>> = {
  conv: ['kernel'],
  dwconv: ['kernel'],
  sepconv: ['kernel', 'pointwise_kernel'],
  dense: ['kernel'],
};

/** Weight name → id of the node that owns it, for every kernel quantized to int8 (shared weights once, by their owner). */
export function quantizedKernels(arch: ResolvedArch): Map<string, string> {
  const names = layerNames(arch).byNode;
  const kernels = new Map<string, string>();
  for (const { id, node } of arch.nodes) {
    if ('weightsOf' in node && node.weightsOf !== undefined) continue;
    for (const weight of QUANTIZED_KERNELS[node.op] ?? []) kernels.set(`${names.get(id) as string}/${weight}`, id);
  }
  return kernels;
}

/**
 * The constants and fake-quantized activations of `arch` in `mode`; `ranges` (by INPUT_ID and node
 * id, as calibrate() returns them) are required for `full-integer`.
 */
export function networkConstants(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, WeightArray>,
  mode: QuantizationMode,
  ranges?: ReadonlyMap<string, Range>,
): NetworkConstants {
  const out = new Map<string, ConstantWeight>(
    [...weights].map(([name, w]) => [name, { kind: 'float', shape: w.shape, data: w.data }]),
  );
  if (mode === 'float') return { weights: out, fakeQuant: new Map() };
  const kernels = new Map<string, PerChannelWeights>();
  for (const name of quantizedKernels(arch).keys()) {
    const w = weights.get(name);
    if (w === undefined) throw new Error(`missing weight ${name}`);
    const quantized = quantizePerChannel(w.data, w.shape);
    kernels.set(name, quantized);
    out.set(name, { kind: 'int8', shape: w.shape, ...quantized });
  }
  if (mode === 'dynamic') return { weights: out, fakeQuant: new Map() };
  if (ranges === undefined) throw new Error('full-integer quantization needs calibrated activation ranges');
  if (arch.nodes.some(({ node }) => node.op === 'sepconv'))
    throw new Error('split separable convolutions before full-integer quantization (splitSeparable)');
  const plan = activationPlan(arch);
  const fakeQuant = new Map<string, Range>();
  for (const point of plan.points) {
    const range = ranges.get(point);
    if (range === undefined) throw new Error(`no calibrated range for activation "${point}"`);
    const [min, max] = usableRange(range.min, range.max);
    fakeQuant.set(point, { min, max });
  }
  for (const [name, bias] of quantizedBiases(arch, plan, fakeQuant, kernels, weights)) out.set(name, bias);
  return { weights: out, fakeQuant };
}

/** The int32 bias of every quantized kernel's layer, at scale s_in·s_w,c (s_in: the scale of the node's input grid). */
function quantizedBiases(
  arch: ResolvedArch,
  plan: ActivationPlan,
  fakeQuant: ReadonlyMap<string, Range>,
  kernels: ReadonlyMap<string, PerChannelWeights>,
  weights: ReadonlyMap<string, WeightArray>,
): Map<string, ConstantWeight> {
  const names = layerNames(arch).byNode;
  const out = new Map<string, ConstantWeight>();
  for (const [kernelName, id] of quantizedKernels(arch)) {
    const biasName = `${names.get(id) as string}/bias`;
    const bias = weights.get(biasName);
    const node = arch.nodes.find((n) => n.id === id);
    if (bias === undefined || node === undefined) continue;
    const grid = plan.gridOf(node.node.inputs[0] as string);
    const range = grid === undefined ? undefined : fakeQuant.get(grid);
    if (range === undefined) throw new Error(`bug: the input of "${id}" is not on an 8-bit grid`);
    const inputScale = affineParams(range.min, range.max).scale;
    const weightScales = (kernels.get(kernelName) as PerChannelWeights).scales;
    out.set(biasName, { kind: 'int32', shape: bias.shape, ...quantizeBias(bias.data, inputScale, weightScales) });
  }
  return out;
}

/** b / (s_in·s_w,c) rounded (half away from zero) and clamped to int32; the scales are float32 products. */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: Float32Array,
): { q: Int32Array; scales: Float32Array } {
  if (bias.length !== weightScales.length)
    throw new Error(`bias has ${bias.length} values for ${weightScales.length} channels`);
  const scales = Float32Array.from(weightScales, (s) => inputScale * s);
  const limit = 2 ** 31 - 1;
  const q = Int32Array.from(bias, (b, c) => {
    const r = b / (scales[c] as number);
    return Math.min(limit, Math.max(-limit, Math.sign(r) * Math.floor(Math.abs(r) + 0.5)));
  });
  return { q, scales };
}

/**
 * Bytes of a network's parameters as a deployment stores them: float32 and int32 values 4 each, int8
 * 1 plus a float32 scale per channel, and per quantized activation a float32 scale and an int32 zero
 * point (an int32 bias's scale is s_in·s_w, derived, not stored).
 */
export function parameterBytes(constants: NetworkConstants): number {
  let bytes = 8 * constants.fakeQuant.size;
  for (const w of constants.weights.values())
    bytes +=
      w.kind === 'int8' ? w.q.length + 4 * w.scales.length : 4 * (w.kind === 'float' ? w.data.length : w.q.length);
  return bytes;
}
