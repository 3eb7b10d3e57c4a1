/**
 * Samples of the layer-wise space and their encodings, in one place:
 *
 * - sample (JSON):  { layers: [{ op, skips: [bool × i] } × L] }; layer i reads x_i and may add
 *                   x_j for every j < i where skips[j] is true (x_0 = stem output, x_{i+1} = layer i's)
 * - index vector:   per layer its op index into the space's op list, then its i skip bits (0/1)
 * - text:           the sample's canonical JSON (keys sorted)
 */
import type { SampleIssue } from '../../search-space.js';

/** The ENAS macro ops (Pham et al. 2018): convolutions, separable convolutions, 3×3 pools. */
export const LAYERWISE_OPS = ['conv3x3', 'conv5x5', 'sepconv3x3', 'sepconv5x5', 'maxpool3x3', 'avgpool3x3'] as const;
export type LayerwiseOp = (typeof LAYERWISE_OPS)[number];

/** One layer: its op and, for each earlier source x_j (j < i), whether it is summed in. */
export type LayerChoice = { readonly op: LayerwiseOp; readonly skips: readonly boolean[] };
export type LayerwiseSample = { readonly layers: readonly LayerChoice[] };

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(rec: Record<string, unknown>, known: readonly string[], prefix: string): SampleIssue[] {
  return Object.keys(rec)
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: `${prefix}${k}`, message: `unknown field; expected ${known.join(', ')}` }));
}

function layerIssues(raw: unknown, i: number, ops: readonly LayerwiseOp[]): SampleIssue[] {
  const path = `layers[${i}]`;
  if (!isRecord(raw)) return [{ path, message: `expected { op, skips }, got ${show(raw)}` }];
  const issues = unknownKeys(raw, ['op', 'skips'], `${path}.`);
  if (!(ops as readonly unknown[]).includes(raw['op']))
    issues.push({ path: `${path}.op`, message: `expected one of ${ops.join(', ')}, got ${show(raw['op'])}` });
  const skips = raw['skips'];
  if (!Array.isArray(skips) || skips.length !== i) {
    issues.push({
      path: `${path}.skips`,
      message: `expected ${i} booleans (one per earlier output x_0..x_${i - 1}), got ${show(skips)}`,
    });
  } else {
    skips.forEach((b: unknown, j) => {
      if (typeof b !== 'boolean')
        issues.push({ path: `${path}.skips[${j}]`, message: `expected true or false, got ${show(b)}` });
    });
  }
  return issues;
}

/** Every problem of an untrusted value as a sample of L layers over `ops`; empty when valid. */
export function layerwiseIssues(raw: unknown, layers: number, ops: readonly LayerwiseOp[]): SampleIssue[] {
  if (!isRecord(raw)) return [{ path: 'sample', message: `expected { layers: [{ op, skips }, …] }, got ${show(raw)}` }];
  const issues = unknownKeys(raw, ['layers'], '');
  const list = raw['layers'];
  if (!Array.isArray(list) || list.length !== layers) {
    return [
      ...issues,
      {
        path: 'layers',
        message: `expected ${layers} layers, got ${Array.isArray(list) ? `${list.length} layers` : show(list)}`,
      },
    ];
  }
  return [...issues, ...list.flatMap((layer: unknown, i) => layerIssues(layer, i, ops))];
}

/** The index vector: per layer, the op index then the skip bits. */
export function encodeLayers(s: LayerwiseSample, ops: readonly LayerwiseOp[]): number[] {
  return s.layers.flatMap((l) => [ops.indexOf(l.op), ...l.skips.map(Number)]);
}

/** The sample of an index vector; throws a RangeError on a wrong length or an index out of range. */
export function decodeLayers(indices: readonly number[], layers: number, ops: readonly LayerwiseOp[]): LayerwiseSample {
  const want = layers + (layers * (layers - 1)) / 2;
  if (indices.length !== want)
    throw new RangeError(`expected ${want} indices for ${layers} layers, got ${indices.length}`);
  let at = 0;
  const take = (n: number, what: string): number => {
    const v = indices[at++] as number;
    if (!Number.isInteger(v) || v < 0 || v >= n)
      throw new RangeError(`index ${at - 1} (${what}): expected 0..${n - 1}, got ${v}`);
    return v;
  };
  return {
    layers: Array.from({ length: layers }, (_, i) => ({
      op: ops[take(ops.length, `layers[${i}].op`)] as LayerwiseOp,
      skips: Array.from({ length: i }, (_, j) => take(2, `layers[${i}].skips[${j}]`) === 1),
    })),
  };
}
