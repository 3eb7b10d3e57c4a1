/**
 * quantization.json, beside a full-integer SavedModel: how it was calibrated and the 8-bit grid of
 * every activation that has its own, so the export is reproducible and an int8 runtime can take the
 * ranges without reading the graph. The grids are the FakeQuant ops' (TensorFlow's nudging,
 * src/eval/quantize/affine.ts): uint8 q ∈ [0, 255] with zero point z; the int8 runtime's grid is the
 * same with q − 128 and z − 128.
 */
import { tensorName } from '../compile/graph.js';
import type { FrozenNetwork } from '../compile/frozen.js';
import type { FakeQuantRanges } from '../compile/inference-pass.js';
import { affineParams } from '../quantize/affine.js';
import type { ObserverKind } from '../quantize/observers/index.js';

export const QUANTIZATION_FILE = 'quantization.json';

export type ActivationGrid = {
  /** Node id of the (prepared) network, or "input". */
  readonly id: string;
  /** The FakeQuant output in the graph, "node:index" (in saved-model-int8-kernels, a covered ReLU's: its integer kernel's quint8 output). */
  readonly tensor: string;
  /** The range the FakeQuant gets: the calibrated one widened to contain 0. */
  readonly min: number;
  readonly max: number;
  readonly scale: number;
  /** uint8 zero point; int8's is this − 128. */
  readonly zeroPoint: number;
};

export type QuantizationFile = {
  readonly observer: ObserverKind;
  /** Training images the ranges were calibrated on. */
  readonly calibrationImages: number;
  readonly weights: string;
  readonly activations: readonly ActivationGrid[];
};

export const WEIGHT_SCHEME =
  'conv, dwconv and dense kernels int8 symmetric per output channel (q ∈ [−127, 127], zero point 0, float32 scales in the graph); their biases int32 at scale s_in·s_w,c; other weights float32';

export function quantizationFile(
  frozen: FrozenNetwork,
  fakeQuant: FakeQuantRanges,
  calibration: { readonly observer: ObserverKind; readonly images: number },
): QuantizationFile {
  const activations = [...fakeQuant].map(([id, { min, max }]): ActivationGrid => {
    const value = frozen.activations.get(id);
    if (value === undefined) throw new Error(`bug: no activation "${id}" in the frozen graph`);
    const { scale, zeroPoint } = affineParams(min, max);
    return { id, tensor: tensorName(value), min, max, scale, zeroPoint };
  });
  return { observer: calibration.observer, calibrationImages: calibration.images, weights: WEIGHT_SCHEME, activations };
}
