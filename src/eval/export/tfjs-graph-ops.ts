/**
 * The TensorFlow ops a frozen inference graph may hold in the tfjs-graph format: those the forward
 * lowering (src/eval/compile/lower) emits in inference mode for the catalog's ops. Each is in
 * tfjs-converter's op lists (test/eval/export/tfjs-graph-ops.test.ts reads them) and predicts as
 * TensorFlow does in some network of test/eval/export/catalog.test.ts, which checks that every op
 * here is used there. (elu with alpha ≠ 1 would need SelectV2 and Greater; the eager builder refuses
 * it, so no trained model has it.)
 */
import { UserError } from '../../core/errors.js';
import type { GraphNode } from '../compile/graph.js';

export const TFJS_GRAPH_OPS: ReadonlySet<string> = new Set([
  // graph
  'Placeholder',
  'Const',
  'Identity',
  'Shape',
  // convolution, pooling, normalisation, dense
  'Conv2D',
  'DepthwiseConv2dNative',
  'Conv2DBackpropInput',
  'BiasAdd',
  'MatMul',
  'MaxPool',
  'AvgPool',
  'FusedBatchNormV3',
  // shapes
  'Reshape',
  'Pad',
  'PadV2',
  'Slice',
  'StridedSlice',
  'ConcatV2',
  'SpaceToBatchND',
  'BatchToSpaceND',
  'ResizeNearestNeighbor',
  'ResizeBilinear',
  // reductions and arithmetic
  'Mean',
  'Max',
  'AddN',
  'AddV2',
  'Mul',
  'RealDiv',
  'ZerosLike',
  // activations
  'Relu',
  'Relu6',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Erf',
  'Sigmoid',
  'Tanh',
  'Softplus',
  'Softmax',
]);

/** Throws a {@link UserError} naming every op of `nodes` outside {@link TFJS_GRAPH_OPS}, with a node using it. */
export function assertTfjsGraphOps(nodes: readonly GraphNode[]): void {
  const unsupported = new Map<string, string>();
  for (const node of nodes)
    if (!TFJS_GRAPH_OPS.has(node.op) && !unsupported.has(node.op)) unsupported.set(node.op, node.name);
  if (unsupported.size === 0) return;
  const list = [...unsupported].map(([op, node]) => `${op} (node ${node})`).join(', ');
  throw new UserError(
    'EXPORT_FORMAT',
    `the tfjs-graph format cannot hold this network: tfjs has no kernel for ${list}`,
    'export it as saved-model (TensorFlow runs every op), or as tfjs-layers',
  );
}
