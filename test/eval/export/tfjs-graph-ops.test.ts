// The tfjs-graph format against tfjs-converter itself: every op TFJS_GRAPH_OPS admits is in the
// converter's op lists (the ops its graph executor maps to a kernel), a graph with any other op is
// refused naming it, and model.json is laid out as the converter writes it (Const values in the
// weights manifest, not in the topology).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { Emit } from '../../../src/eval/compile/emit.js';
import { compileFrozen, type FrozenGraph } from '../../../src/eval/compile/frozen.js';
import { Graph } from '../../../src/eval/compile/graph.js';
import { TFJS_GRAPH_OPS } from '../../../src/eval/export/tfjs-graph-ops.js';
import { tfjsGraphModel } from '../../../src/eval/export/tfjs-graph.js';
import { assertArch } from '../../../src/space/index.js';

/** The TensorFlow op names of tfjs-converter's op lists (dist/operations/op_list/*.js). */
function converterOps(): Set<string> {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-converter/package.json');
  const dir = path.join(path.dirname(pkg), 'dist', 'operations', 'op_list');
  const ops = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/'tfOpName':\s*'([A-Za-z0-9_]+)'/g))
      ops.add(m[1] as string);
  }
  return ops;
}

const arch = assertArch(
  {
    version: 1,
    nodes: [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 3, kernel: 3, padding: 'same', bias: false },
      { id: 'relu', op: 'act', fn: 'relu', inputs: ['conv'] },
      { id: 'gap', op: 'gap', inputs: ['relu'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ],
    output: 'logits',
  },
  { inputShape: [5, 5, 2], classes: 4 },
);

function weight(shape: number[]) {
  return { shape, data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i / 10) };
}

const frozen = compileFrozen(
  arch,
  new Map([
    ['conv/kernel', weight([3, 3, 2, 3])],
    ['logits/kernel', weight([3, 4])],
    ['logits/bias', weight([4])],
  ]),
);

type NodeJson = { name: string; op: string; input?: string[]; attr: Record<string, Record<string, unknown>> };
type ModelJson = {
  format: string;
  modelTopology: { node: NodeJson[] };
  signature: { inputs: Record<string, { name: string }>; outputs: Record<string, { name: string }> };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
};

describe('the tfjs-graph format', () => {
  it('admits only ops tfjs-converter maps to a kernel', () => {
    const known = converterOps();
    expect(known.size).toBeGreaterThan(200);
    expect([...TFJS_GRAPH_OPS].filter((op) => !known.has(op))).toEqual([]);
  });

  it('refuses a graph with another op, naming it and the node', () => {
    const e = new Emit(new Graph());
    const x = e.g.op(
      'Placeholder',
      [],
      { dtype: { type: 'float32' }, shape: { shape: [-1, 3] } },
      [-1, 3],
      'float32',
      'x',
    );
    const sum = e.g.op(
      'Cumsum',
      [x, e.constI([1], [])],
      { T: { type: 'float32' }, Tidx: { type: 'int32' }, exclusive: { b: false }, reverse: { b: false } },
      [-1, 3],
      'float32',
      'running',
    );
    const graph: FrozenGraph = { nodes: e.g.nodes, input: x, logits: sum };
    expect(() => tfjsGraphModel(graph)).toThrow(UserError);
    expect(() => tfjsGraphModel(graph)).toThrow(/tfjs has no kernel for Cumsum \(node running\)/);
  });

  it('writes model.json as the converter does: Const values in the weights manifest, attrs in protobuf JSON', () => {
    const { modelJson, weights } = tfjsGraphModel(frozen);
    const json = JSON.parse(JSON.stringify(modelJson)) as ModelJson;
    expect(json.format).toBe('graph-model');
    expect(json.signature.inputs.x?.name).toBe('x:0');
    expect(json.signature.outputs.logits?.name).toBe('logits:0');
    const consts = json.modelTopology.node.filter((n) => n.op === 'Const');
    const manifest = json.weightsManifest[0]?.weights ?? [];
    expect(manifest.map((w) => w.name)).toEqual(consts.map((n) => n.name));
    for (const c of consts) expect(Object.keys(c.attr.value?.tensor ?? {}).sort()).toEqual(['dtype', 'tensorShape']);
    expect(manifest.find((w) => w.name === 'weights/conv/kernel')).toEqual({
      name: 'weights/conv/kernel',
      shape: [3, 3, 2, 3],
      dtype: 'float32',
    });
    expect(weights.byteLength).toBe(manifest.reduce((n, w) => n + 4 * w.shape.reduce((p, d) => p * d, 1), 0));
    const conv = json.modelTopology.node.find((n) => n.op === 'Conv2D') as NodeJson;
    expect(conv.attr.padding).toEqual({ s: Buffer.from('SAME').toString('base64') });
    expect(conv.attr.strides).toEqual({ list: { i: ['1', '1', '1', '1'] } });
    expect(json.modelTopology.node.map((n) => n.op)).not.toContain('VarHandleOp');
  });
});
