/** Gradients of the network ops (TensorFlow's `nn_grad.py`), by TensorFlow's own gradient kernels. */
import type { Emit } from '../emit.js';
import type { Attr, GraphNode, Sym } from '../graph.js';
import type { GradientRule } from './rule.js';

const inputs = (node: GraphNode) => node.inputs as readonly Sym[] as [Sym, Sym, ...Sym[]];
const output = (node: GraphNode) => node.outputs[0] as Sym;
const first = (dys: readonly (Sym | undefined)[]) => dys[0] as Sym;
const f32: Attr = { type: 'float32' };

/** The attributes of a node without the ones a gradient kernel does not take. */
function attrsWithout(node: GraphNode, ...drop: string[]): Record<string, Attr> {
  return Object.fromEntries(Object.entries(node.attrs).filter(([k]) => !drop.includes(k)));
}

/** An activation whose gradient kernel takes (dy, y or x). */
const activation =
  (kernel: string, from: 'input' | 'output'): GradientRule =>
  (e, node, dys) => {
    const against = from === 'input' ? inputs(node)[0] : output(node);
    return [e.g.op(kernel, [first(dys), against], attrsWithout(node), against.shape)];
  };

function convGradients(e: Emit, node: GraphNode, dy: Sym, kernels: readonly [string, string]): [Sym, Sym] {
  const [x, w] = inputs(node);
  const dx = e.g.op(kernels[0], [e.shapeTensor(x.shape, x), w, dy], node.attrs, x.shape);
  const dw = e.g.op(kernels[1], [x, e.constI(w.shape), dy], node.attrs, w.shape);
  return [dx, dw];
}

export const NN_GRADIENTS: Readonly<Record<string, GradientRule>> = {
  Conv2D: (e, node, dys) => convGradients(e, node, first(dys), ['Conv2DBackpropInput', 'Conv2DBackpropFilter']),
  DepthwiseConv2dNative: (e, node, dys) =>
    convGradients(e, node, first(dys), ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']),
  // A transposed convolution (the forward op of `deconv`): its input is the third operand.
  Conv2DBackpropInput: (e, node, dys) => {
    const [, w, x] = inputs(node) as [Sym, Sym, Sym];
    const dy = first(dys);
    const dw = e.g.op('Conv2DBackpropFilter', [dy, e.constI(w.shape), x], node.attrs, w.shape);
    const dx = e.g.op('Conv2D', [dy, w], node.attrs, x.shape);
    return [undefined, dw, dx];
  },
  BiasAdd: (e, node, dys) => [
    first(dys),
    e.g.op('BiasAddGrad', [first(dys)], { T: f32, data_format: { s: 'NHWC' } }, inputs(node)[1].shape),
  ],
  MatMul: (e, node, dys) => {
    const [a, b] = inputs(node);
    const dy = first(dys);
    const mm = (p: Sym, q: Sym, ta: boolean, tb: boolean, shape: readonly number[]) =>
      e.g.op('MatMul', [p, q], { T: f32, transpose_a: { b: ta }, transpose_b: { b: tb } }, shape);
    return [mm(dy, b, false, true, a.shape), mm(a, dy, true, false, b.shape)];
  },
  FusedBatchNormV3: (e, node, dys) => {
    const [x, scale] = inputs(node);
    const saved = node.outputs.slice(3) as Sym[];
    const outs = e.g.add(
      'FusedBatchNormGradV3',
      [first(dys), x, scale, ...saved],
      attrsWithout(node, 'exponential_avg_factor'),
      [
        { shape: x.shape, dtype: 'float32' },
        { shape: scale.shape, dtype: 'float32' },
        { shape: scale.shape, dtype: 'float32' },
        { shape: [0], dtype: 'float32' },
        { shape: [0], dtype: 'float32' },
      ],
    ).outputs;
    return [outs[0], outs[1], outs[2], undefined, undefined];
  },
  MaxPool: (e, node, dys) => [
    e.g.op('MaxPoolGrad', [inputs(node)[0], output(node), first(dys)], node.attrs, inputs(node)[0].shape),
  ],
  AvgPool: (e, node, dys) => {
    const x = inputs(node)[0];
    return [e.g.op('AvgPoolGrad', [e.shapeTensor(x.shape, x), first(dys)], node.attrs, x.shape)];
  },
  Relu: activation('ReluGrad', 'output'),
  Relu6: activation('Relu6Grad', 'input'),
  LeakyRelu: activation('LeakyReluGrad', 'input'),
  Elu: activation('EluGrad', 'output'),
  Selu: activation('SeluGrad', 'output'),
  Softplus: activation('SoftplusGrad', 'input'),
  Softmax: (e, node, dys) => {
    const y = output(node);
    const dy = first(dys);
    const inner = e.reduce('Sum', e.mul(dy, y), [y.shape.length - 1], true);
    return [e.mul(e.sub(dy, inner), y)];
  },
  SoftmaxCrossEntropyWithLogits: (e, node, dys) => {
    const backprop = node.outputs[1] as Sym;
    const dLoss = first(dys);
    return [e.mul(e.reshape(dLoss, [-1, 1]), backprop), undefined];
  },
  ResizeNearestNeighbor: (e, node, dys) => {
    const x = inputs(node)[0];
    return [
      e.g.op('ResizeNearestNeighborGrad', [first(dys), e.constI(x.shape.slice(1, 3))], node.attrs, x.shape),
      undefined,
    ];
  },
  ResizeBilinear: (e, node, dys) => {
    const x = inputs(node)[0];
    return [e.g.op('ResizeBilinearGrad', [first(dys), x], node.attrs, x.shape), undefined];
  },
};
