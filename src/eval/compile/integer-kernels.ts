/**
 * The full-integer frozen graph with TensorFlow's integer kernels where they exist (design part 5.2,
 * docs/inference.md "Quantization"): a rewrite of the simulated graph (freezeNetwork of the
 * full-integer constants) in which every convolution that src/eval/quantize/integer-kernel-plan.ts
 * picks — Conv2D → BiasAdd → Relu → FakeQuant[0, max], its input on a grid with zero point 0 —
 * becomes one oneDNN `QuantizedConv2DWithBiasAndReluAndRequantize`: quint8 input, the int8
 * per-channel kernel as qint8 with per-channel ranges ±127·s_c, the int32 bias as qint32 (already at
 * the accumulator's scale s_in·s_w,c), requantized to the ReLU output's quint8 grid. Where the input
 * comes from another such kernel, that kernel's quint8 output feeds it directly; otherwise a
 * `QuantizeV2` (SCALED, [0, max]) turns the simulated graph's on-grid float values back into their
 * integers. A float reader of a kernel's output gets a `Dequantize` (SCALED). Everything else stays
 * as simulated; nodes nothing reads any more are dropped.
 */
import { needed, type FrozenNetwork } from './frozen.js';
import { Graph, type Attr, type GraphNode, type Sym } from './graph.js';
import type { ConstantWeight } from './inference-pass.js';

/** A convolution to run on an integer kernel: its layer, and the activations around it (by node id). */
export type IntegerConv = {
  readonly layer: string;
  /** The node the conv reads (its grid has zero point 0) and its grid's range. */
  readonly input: string;
  readonly inputMax: number;
  /** The ReLU that reads only the conv, and its range (min 0). */
  readonly relu: string;
  readonly outputMax: number;
};

export type IntegerKernelGraph = {
  readonly frozen: FrozenNetwork;
  /** Layers of the convolutions that run on integer kernels. */
  readonly layers: readonly string[];
};

const QUANTIZED_OP = 'QuantizedConv2DWithBiasAndReluAndRequantize';

type Matched = {
  readonly conv: IntegerConv;
  readonly conv2d: GraphNode;
  readonly kernel: ConstantWeight & { kind: 'int8' };
  readonly bias: ConstantWeight & { kind: 'int32' };
};

/** Rewrites `frozen` (the simulated full-integer graph of `weights`) so that each of `convs` whose nodes have the expected form runs on an integer kernel. */
export function withIntegerKernels(
  frozen: FrozenNetwork,
  weights: ReadonlyMap<string, ConstantWeight>,
  convs: readonly IntegerConv[],
): IntegerKernelGraph {
  const matched = new Map<GraphNode, Matched>();
  for (const conv of convs) {
    const m = match(frozen, weights, conv);
    if (m !== undefined) matched.set((frozen.activations.get(conv.relu) as Sym).node, m);
  }
  const g = new Graph();
  const copies = new Map<Sym, Sym>();
  const copied = new Map<GraphNode, GraphNode>();
  /** The quint8 output (value, min, max) of each integer kernel, by the FakeQuant output it replaces. */
  const quint8 = new Map<Sym, readonly [Sym, Sym, Sym]>();
  const map = (s: Sym): Sym => copies.get(s) ?? (copied.get(s.node)?.outputs[s.index] as Sym);
  const integerNodes: GraphNode[] = [];
  for (const node of frozen.nodes) {
    const m = matched.get(node);
    if (m === undefined) {
      copied.set(
        node,
        copyNode(node, map, (n) => copied.get(n) as GraphNode),
      );
      continue;
    }
    const start = g.nodes.length;
    const { out, dequantized } = g.within(`${m.conv.layer}_int8`, () =>
      integerConv(
        g,
        m,
        quint8.get(m.conv2d.inputs[0] as Sym) ?? quantize(g, map(m.conv2d.inputs[0] as Sym), m.conv.inputMax),
      ),
    );
    integerNodes.push(...g.nodes.slice(start));
    quint8.set(node.outputs[0] as Sym, out);
    copies.set(node.outputs[0] as Sym, dequantized);
  }
  const logits = map(frozen.logits);
  const all = [
    ...frozen.nodes.map((n) => copied.get(n)).filter((n): n is GraphNode => n !== undefined),
    ...integerNodes,
  ];
  const order = topological(all);
  const names = new Set<string>();
  for (const n of order) {
    if (names.has(n.name)) throw new Error(`bug: two nodes named ${n.name} in the integer-kernel graph`);
    names.add(n.name);
  }
  const activations = new Map([...frozen.activations].map(([id, s]) => [id, quint8.get(s)?.[0] ?? map(s)]));
  const weightSyms = new Map([...frozen.weights].map(([name, s]) => [name, map(s)]));
  return {
    frozen: { nodes: needed(order, logits.node), input: map(frozen.input), logits, weights: weightSyms, activations },
    layers: [...matched.values()].map((m) => m.conv.layer),
  };
}

/** The conv's Conv2D, checked to read the input activation and the layer's own int8 kernel, with BiasAdd, Relu, FakeQuant after it. */
function match(
  frozen: FrozenNetwork,
  weights: ReadonlyMap<string, ConstantWeight>,
  conv: IntegerConv,
): Matched | undefined {
  const fq = frozen.activations.get(conv.relu)?.node;
  const relu = fq?.op === 'FakeQuantWithMinMaxArgs' ? fq.inputs[0]?.node : undefined;
  const biasAdd = relu?.op === 'Relu' ? relu.inputs[0]?.node : undefined;
  const conv2d = biasAdd?.op === 'BiasAdd' ? biasAdd.inputs[0]?.node : undefined;
  const kernel = weights.get(`${conv.layer}/kernel`);
  const bias = weights.get(`${conv.layer}/bias`);
  if (conv2d?.op !== 'Conv2D' || kernel?.kind !== 'int8' || bias?.kind !== 'int32') return undefined;
  if (
    biasAdd?.inputs[1] !== frozen.weights.get(`${conv.layer}/bias`) ||
    conv2d.inputs[1] !== frozen.weights.get(`${conv.layer}/kernel`)
  )
    return undefined;
  if (conv2d.inputs[0] !== frozen.activations.get(conv.input)) return undefined;
  return { conv, conv2d, kernel, bias };
}

const scalar = (g: Graph, v: number, name: string): Sym =>
  g.op(
    'Const',
    [],
    { dtype: { type: 'float32' }, value: { tensor: { dtype: 'float32', shape: [], values: [v] } } },
    [],
    'float32',
    name,
  );

/** Float values on the grid [0, max] (zero point 0) as their quint8 integers. */
function quantize(g: Graph, x: Sym, max: number): readonly [Sym, Sym, Sym] {
  const attrs: Record<string, Attr> = {
    T: { type: 'quint8' },
    mode: { s: 'SCALED' },
    round_mode: { s: 'HALF_AWAY_FROM_ZERO' },
    narrow_range: { b: false },
    axis: { i: -1 },
    ensure_minimum_range: { f: 0 },
  };
  const node = g.add('QuantizeV2', [x, scalar(g, 0, 'input_min'), scalar(g, max, 'input_max')], attrs, [
    { shape: x.shape, dtype: 'quint8' },
    { shape: [], dtype: 'float32' },
    { shape: [], dtype: 'float32' },
  ]);
  return node.outputs as [Sym, Sym, Sym];
}

function integerConv(
  g: Graph,
  m: Matched,
  input: readonly [Sym, Sym, Sym],
): { out: readonly [Sym, Sym, Sym]; dequantized: Sym } {
  const { kernel, bias, conv2d } = m;
  const channels = kernel.scales.length;
  const filterMax = Float32Array.from(kernel.scales, (s) => s * 127);
  const constant = (
    dtype: 'float32' | 'qint8' | 'qint32',
    shape: readonly number[],
    values: ArrayLike<number>,
    name: string,
  ) => g.op('Const', [], { dtype: { type: dtype }, value: { tensor: { dtype, shape, values } } }, shape, dtype, name);
  const inputs = [
    input[0],
    constant('qint8', kernel.shape, kernel.q, 'kernel'),
    constant('qint32', [channels], bias.q, 'bias'),
    input[1],
    input[2],
    constant(
      'float32',
      [channels],
      Float32Array.from(filterMax, (v) => -v),
      'filter_min',
    ),
    constant('float32', [channels], filterMax, 'filter_max'),
    scalar(g, 0, 'output_min'),
    scalar(g, m.conv.outputMax, 'output_max'),
  ];
  const attrs: Record<string, Attr> = {
    Tinput: { type: 'quint8' },
    Tfilter: { type: 'qint8' },
    Tbias: { type: 'qint32' },
    out_type: { type: 'quint8' },
    strides: conv2d.attrs.strides as Attr,
    padding: conv2d.attrs.padding as Attr,
    dilations: conv2d.attrs.dilations as Attr,
    padding_list: { ints: [] },
  };
  const shape = (conv2d.outputs[0] as Sym).shape;
  const node = g.add(QUANTIZED_OP, inputs, attrs, [
    { shape, dtype: 'quint8' },
    { shape: [], dtype: 'float32' },
    { shape: [], dtype: 'float32' },
  ]);
  const out = node.outputs as [Sym, Sym, Sym];
  const dequantized = g.op(
    'Dequantize',
    out,
    {
      T: { type: 'quint8' },
      mode: { s: 'SCALED' },
      narrow_range: { b: false },
      axis: { i: -1 },
      dtype: { type: 'float32' },
    },
    shape,
  );
  return { out, dequantized };
}

/** A copy of `node` reading the copies of its inputs. */
function copyNode(node: GraphNode, map: (s: Sym) => Sym, mapNode: (n: GraphNode) => GraphNode): GraphNode {
  const copy: { -readonly [K in keyof GraphNode]: GraphNode[K] } = {
    name: node.name,
    op: node.op,
    inputs: node.inputs.map(map),
    control: node.control.map(mapNode),
    attrs: node.attrs,
    outputs: [],
  };
  copy.outputs = node.outputs.map((o) => ({ node: copy, index: o.index, shape: o.shape, dtype: o.dtype }));
  return copy;
}

/** The nodes in an order where each comes after its inputs (the integer kernels were made after their readers' copies). */
function topological(nodes: readonly GraphNode[]): GraphNode[] {
  const done = new Set<GraphNode>();
  const order: GraphNode[] = [];
  const visit = (root: GraphNode) => {
    const stack: [GraphNode, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [n, expanded] = stack.pop() as [GraphNode, boolean];
      if (done.has(n)) continue;
      if (expanded) {
        done.add(n);
        order.push(n);
        continue;
      }
      stack.push([n, true]);
      for (const dep of [...n.inputs.map((i) => i.node), ...n.control]) if (!done.has(dep)) stack.push([dep, false]);
    }
  };
  nodes.forEach(visit);
  return order;
}
