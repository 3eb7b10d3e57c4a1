/**
 * A frozen graph as a tfjs graph model, as tfjs-converter writes one: model.json (`format:
 * "graph-model"`, the GraphDef in protobuf's JSON mapping as `modelTopology`, a `signature`, and a
 * weights manifest) and weights.bin. Every Const node's value goes to the manifest under the node's
 * name, as the converter does: tfjs's graph executor takes Consts from the weights, never from the
 * topology, whose Const nodes keep only dtype and shape. Chosen float constants (the kernels, for
 * `tfjs-graph-uint8`) can be stored as uint8 with tfjs's own per-tensor quantization (uint8-weights.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DTYPES, PRODUCER } from '../compile/saved-model.js';
import type { FrozenGraph } from '../compile/frozen.js';
import type { Attr, ConstValue, GraphNode, Sym } from '../compile/graph.js';
import { assertTfjsGraphOps } from './tfjs-graph-ops.js';
import { quantizeUint8, type Uint8Quantization } from './uint8-weights.js';

export const WEIGHTS_FILE = 'weights.bin';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type WeightEntry = { name: string; shape: number[]; dtype: 'float32' | 'int32'; quantization?: Uint8Quantization };

export type TfjsGraphOptions = {
  /** Names of float32 Const nodes to store as uint8 (one affine grid per tensor), dequantized by tfjs at load. */
  readonly uint8?: ReadonlySet<string>;
};

/** model.json (as an object) and the bytes of weights.bin. Throws a UserError on an op tfjs cannot run. */
export function tfjsGraphModel(
  frozen: FrozenGraph,
  options: TfjsGraphOptions = {},
): { modelJson: Record<string, Json>; weights: Uint8Array } {
  assertTfjsGraphOps(frozen.nodes);
  const entries: WeightEntry[] = [];
  const chunks: Uint8Array[] = [];
  const node = frozen.nodes.map((n) => {
    if (n.op !== 'Const') return nodeJson(n, n.attrs);
    const value = (n.attrs.value as { tensor: ConstValue }).tensor;
    // tfjs's weights hold float32 and int32 (int8 would need the converter's quantization scheme).
    if (value.dtype !== 'float32' && value.dtype !== 'int32')
      throw new Error(`the tfjs-graph format has no ${value.dtype} constants (node ${n.name})`);
    const dtype = value.dtype;
    if (options.uint8?.has(n.name) === true) {
      if (dtype !== 'float32')
        throw new Error(`only float32 constants are stored as uint8 (node ${n.name} is ${dtype})`);
      const { q, quantization } = quantizeUint8(Float32Array.from(value.values));
      entries.push({ name: n.name, shape: [...value.shape], dtype, quantization });
      chunks.push(q);
    } else {
      entries.push({ name: n.name, shape: [...value.shape], dtype });
      chunks.push(bytesOf(value.values, dtype));
    }
    // The converter keeps a Const's dtype and shape in the topology, its values in the weights.
    return nodeJson(n, { dtype: { type: value.dtype }, value: { tensor: { ...value, values: [] } } });
  });
  const modelJson: Record<string, Json> = {
    format: 'graph-model',
    generatedBy: 'nas (src/eval/compile/frozen.ts)',
    convertedBy: 'nas export',
    modelTopology: { node, library: {}, versions: { producer: PRODUCER } },
    signature: { inputs: { x: tensorInfo(frozen.input) }, outputs: { logits: tensorInfo(frozen.logits) } },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: entries }],
  };
  return { modelJson, weights: concat(chunks) };
}

/** Writes model.json and weights.bin into `dir` (created if missing); returns the files' names. */
export async function writeTfjsGraphModel(
  frozen: FrozenGraph,
  dir: string,
  options: TfjsGraphOptions = {},
): Promise<string[]> {
  const { modelJson, weights } = tfjsGraphModel(frozen, options);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, WEIGHTS_FILE), weights);
  return ['model.json', WEIGHTS_FILE];
}

function nodeJson(n: GraphNode, attrs: Readonly<Record<string, Attr>>): Json {
  const input = [
    ...n.inputs.map((s) => (s.index === 0 ? s.node.name : `${s.node.name}:${s.index}`)),
    ...n.control.map((c) => `^${c.name}`),
  ];
  const attr = Object.fromEntries(Object.entries(attrs).map(([key, value]) => [key, attrJson(value)]));
  return { name: n.name, op: n.op, ...(input.length > 0 ? { input } : {}), attr };
}

/** An AttrValue in protobuf's JSON mapping (int64 as strings, bytes as base64), as the converter writes it. */
function attrJson(attr: Attr): Json {
  if ('type' in attr) return { type: DTYPES[attr.type] };
  if ('i' in attr) return { i: String(attr.i) };
  if ('f' in attr) return { f: attr.f };
  if ('b' in attr) return { b: attr.b };
  if ('s' in attr) return { s: Buffer.from(attr.s, 'utf8').toString('base64') };
  if ('shape' in attr) return { shape: shapeJson(attr.shape) };
  if ('tensor' in attr)
    return { tensor: { dtype: DTYPES[attr.tensor.dtype], tensorShape: shapeJson(attr.tensor.shape) } };
  return { list: attr.ints.length === 0 ? {} : { i: attr.ints.map(String) } };
}

function shapeJson(dims: readonly number[]): Json {
  return dims.length === 0 ? {} : { dim: dims.map((d) => ({ size: String(d) })) };
}

function tensorInfo(s: Sym): Json {
  return { name: `${s.node.name}:${s.index}`, dtype: DTYPES[s.dtype], tensorShape: shapeJson(s.shape) };
}

function bytesOf(values: ArrayLike<number>, dtype: 'float32' | 'int32'): Uint8Array {
  const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
