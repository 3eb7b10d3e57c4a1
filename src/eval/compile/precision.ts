/**
 * Mixed precision of the compiled training step (design part 5.1; docs/training.md, "Mixed
 * precision"): after compiling, the `train` signature's activation ops (convolutions, matmuls and
 * their gradients, BatchNorm's x and y, ReLU, pooling, adds, pads, concatenations) are moved to
 * bfloat16 on the SavedModel's protobuf. Each chosen node's `T` becomes the low dtype, a Cast to it is
 * inserted on every float input that does not already come low from another chosen node, and a Cast
 * back to float32 on every output a float32 consumer (or a signature) reads. Variables (the float32
 * master weights), the optimizer, the loss, reductions and the BatchNorm statistics stay float32
 * (FusedBatchNormV3/GradV3 keep U = float32), as do `evaluate` and `predict`.
 *
 * Done on the protobuf, after differentiation, so the gradient rules and the IR stay float32-only;
 * the compiled graph's nodes give every tensor's dtype and static shape.
 */
import { savedModelProto } from '../../backend/tf.js';
import type { GraphNode } from './graph.js';

export type LowDType = 'bfloat16' | 'float16';

/** types.proto: DT_BFLOAT16 = 14, DT_HALF = 19 (tfjs-node's generated enum lacks DT_HALF; the number is what is written). */
export const DATA_TYPE: Readonly<Record<LowDType | 'float32', number>> = { float32: 1, bfloat16: 14, float16: 19 };

/** Ops whose typed (T) inputs and outputs are only some of their float ones: BatchNorm keeps U = float32. */
const PARTIAL: Readonly<Record<string, { readonly inputs: readonly number[]; readonly outputs: readonly number[] }>> = {
  FusedBatchNormV3: { inputs: [0], outputs: [0] },
  FusedBatchNormGradV3: { inputs: [0, 1], outputs: [0] },
};

/** Ops that read only their input's shape. */
const SHAPE_ONLY: ReadonlySet<string> = new Set(['Shape', 'Size', 'Rank']);

/** Indices of a node's inputs that take the node's T. */
export function typedInputs(node: GraphNode): number[] {
  return PARTIAL[node.op]?.inputs.slice() ?? node.inputs.flatMap((s, i) => (s.dtype === 'float32' ? [i] : []));
}

/** Indices of a node's outputs of type T. */
export function typedOutputs(node: GraphNode): number[] {
  return PARTIAL[node.op]?.outputs.slice() ?? node.outputs.flatMap((s, i) => (s.dtype === 'float32' ? [i] : []));
}

/** The rewritten bytes; how many nodes went low, how many Cast nodes were added, and how many inputs were rewired to a Cast (to low, back to float32). */
export type Lowered = {
  readonly bytes: Uint8Array;
  readonly lowered: number;
  readonly castNodes: number;
  readonly castsIn: number;
  readonly castsOut: number;
  readonly ops: ReadonlyMap<string, number>;
};

/**
 * Rewrites `bytes` (written from `graph` by saved-model.ts) so that the nodes `select` picks run in
 * `dtype`. Only nodes with a `T` attribute can be picked.
 */
export function lowerPrecision(
  bytes: Uint8Array,
  graph: { readonly nodes: readonly GraphNode[] },
  select: (node: GraphNode) => boolean,
  dtype: LowDType,
): Lowered {
  const pb = savedModelProto();
  const model = pb.SavedModel.deserializeBinary(bytes);
  const meta = model.getMetaGraphsList()[0];
  const graphDef = meta.getGraphDef();
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const chosen = new Set(graph.nodes.filter((n) => 'T' in n.attrs && select(n)).map((n) => n.name));
  const low = DATA_TYPE[dtype];
  const ops = new Map<string, number>();

  // A tensor reference in a NodeDef's input list: "node", "node:1" or "^node" (control).
  const parse = (ref: string): { node: string; index: number } | undefined => {
    if (ref.startsWith('^')) return undefined;
    const colon = ref.lastIndexOf(':');
    return colon < 0 ? { node: ref, index: 0 } : { node: ref.slice(0, colon), index: Number(ref.slice(colon + 1)) };
  };
  /** The tensor is produced in the low dtype by a chosen node. */
  const producedLow = (node: string, index: number) =>
    chosen.has(node) && typedOutputs(byName.get(node) as GraphNode).includes(index);

  const casts = new Map<string, string>();
  const newNodes: unknown[] = [];
  const cast = (ref: string, from: number, to: number): string => {
    const key = `${ref}->${to}`;
    const known = casts.get(key);
    if (known !== undefined) return known;
    const name = `${ref.replace(':', '_')}/cast_${to === low ? dtype : 'float32'}`;
    const def = new pb.NodeDef();
    def.setName(name);
    def.setOp('Cast');
    def.addInput(ref);
    const attrs = def.getAttrMap();
    const type = (t: number) => {
      const a = new pb.AttrValue();
      a.setType(t);
      return a;
    };
    const truncate = new pb.AttrValue();
    truncate.setB(false);
    attrs.set('SrcT', type(from));
    attrs.set('DstT', type(to));
    attrs.set('Truncate', truncate);
    newNodes.push(def);
    casts.set(key, name);
    return name;
  };

  let castsIn = 0;
  let castsOut = 0;
  for (const def of graphDef.getNodeList() as {
    getName(): string;
    getInputList(): string[];
    setInputList(l: string[]): void;
    getAttrMap(): { get(k: string): { setType(t: number): void } | undefined };
  }[]) {
    const node = byName.get(def.getName());
    if (node === undefined) continue;
    const inputs = def.getInputList();
    if (chosen.has(node.name)) {
      ops.set(node.op, (ops.get(node.op) ?? 0) + 1);
      def.getAttrMap().get('T')?.setType(low);
      const typed = typedInputs(node);
      def.setInputList(
        inputs.map((ref, i) => {
          const src = parse(ref);
          if (src === undefined || !typed.includes(i) || producedLow(src.node, src.index)) return ref;
          castsIn++;
          return cast(ref, DATA_TYPE.float32, low);
        }),
      );
    } else if (SHAPE_ONLY.has(node.op)) {
      // Reads only the shape: takes the low tensor as it is (T follows it) instead of a Cast of the whole tensor.
      const src = parse(inputs[0] as string);
      if (src !== undefined && producedLow(src.node, src.index)) def.getAttrMap().get('T')?.setType(low);
    } else {
      def.setInputList(
        inputs.map((ref) => {
          const src = parse(ref);
          if (src === undefined || !producedLow(src.node, src.index)) return ref;
          castsOut++;
          return cast(ref, low, DATA_TYPE.float32);
        }),
      );
    }
  }
  // Signature outputs read float32.
  type Info = { getName(): string; setName(n: string): void };
  type Sig = { getOutputsMap(): { forEach(fn: (info: Info) => void): void } };
  (meta.getSignatureDefMap() as { forEach(fn: (sig: Sig) => void): void }).forEach((sig) =>
    sig.getOutputsMap().forEach((info) => {
      const src = parse(info.getName());
      if (src !== undefined && producedLow(src.node, src.index))
        info.setName(`${cast(src.index === 0 ? src.node : `${src.node}:${src.index}`, low, DATA_TYPE.float32)}:0`);
    }),
  );
  for (const def of newNodes) graphDef.addNode(def);
  return {
    bytes: model.serializeBinary() as Uint8Array,
    lowered: chosen.size,
    castNodes: casts.size,
    castsIn,
    castsOut,
    ops,
  };
}

/** Convolutions and matmuls, forward and both gradients: the ops bfloat16 speeds up (oneDNN's AMX kernels). */
export const HEAVY: ReadonlySet<string> = new Set([
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'MatMul',
]);

/** Ops that go low with them when they read a batch of rank-4 activations, so casts sit only where activations meet float32. */
const ACTIVATION_OPS: ReadonlySet<string> = new Set([
  'FusedBatchNormV3',
  'FusedBatchNormGradV3',
  'Relu',
  'ReluGrad',
  'Relu6',
  'Relu6Grad',
  'MaxPool',
  'MaxPoolGrad',
  'AvgPool',
  'AvgPoolGrad',
  'BiasAdd',
  'AddV2',
  'AddN',
  'Sub',
  'Mul',
  'Pad',
  'PadV2',
  'ConcatV2',
  'Slice',
  'StridedSlice',
  'Identity',
  'Reshape',
  'ZerosLike',
]);

function readsBatchActivation(n: GraphNode): boolean {
  return typedInputs(n).some((i) => {
    const s = n.inputs[i];
    return s !== undefined && s.shape.length === 4 && s.shape[0] === -1;
  });
}

/** The nodes of the `train` signature that run in bfloat16 (see the header). */
export function trainActivationOp(n: GraphNode): boolean {
  return n.name.startsWith('train/') && (HEAVY.has(n.op) || (ACTIVATION_OPS.has(n.op) && readsBatchActivation(n)));
}
