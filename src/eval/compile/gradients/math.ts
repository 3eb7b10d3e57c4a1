/** Gradients of elementwise and reduction ops (TensorFlow's `math_grad.py`). */
import type { Emit } from '../emit.js';
import type { GraphNode, Sym } from '../graph.js';
import type { GradientRule } from './rule.js';

const inputs = (node: GraphNode) => node.inputs as readonly Sym[] as [Sym, Sym, ...Sym[]];
const output = (node: GraphNode) => node.outputs[0] as Sym;
const first = (dys: readonly (Sym | undefined)[]) => dys[0] as Sym;

/** dy broadcast back over the reduced axes of x (the reduction's gradient before any scaling). */
function unreduce(e: Emit, node: GraphNode, dy: Sym): Sym {
  const [x, axesConst] = inputs(node);
  const axes = constInts(axesConst);
  const kept =
    node.attrs.keep_dims !== undefined && 'b' in node.attrs.keep_dims && node.attrs.keep_dims.b
      ? dy
      : e.reshape(
          dy,
          x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
        );
  return e.g.op(
    'BroadcastTo',
    [kept, e.shapeTensor(x.shape, x)],
    { T: { type: 'float32' }, Tidx: { type: 'int32' } },
    x.shape,
  );
}

/** The integer values of a Const node's output. */
export function constInts(s: Sym): number[] {
  const value = s.node.attrs.value;
  if (s.node.op !== 'Const' || value === undefined || !('tensor' in value))
    throw new Error(`expected a constant, got ${s.node.op} ${s.node.name}`);
  return Array.from(value.tensor.values);
}

const passThrough: GradientRule = (_e, node, dys) => node.inputs.map(() => first(dys));

export const MATH_GRADIENTS: Readonly<Record<string, GradientRule>> = {
  Identity: (_e, _n, dys) => [first(dys)],
  // Zeros do not depend on their input's values (DARTS "none").
  ZerosLike: () => [undefined],
  // Quantization ranges computed from the values they quantize are constants to the gradient.
  StopGradient: () => [undefined],
  AddN: passThrough,
  AddV2: (e, node, dys) => [e.sumTo(first(dys), inputs(node)[0].shape), e.sumTo(first(dys), inputs(node)[1].shape)],
  Sub: (e, node, dys) => [
    e.sumTo(first(dys), inputs(node)[0].shape),
    e.unary('Neg', e.sumTo(first(dys), inputs(node)[1].shape)),
  ],
  Mul: (e, node, dys) => {
    const [a, b] = inputs(node);
    return [e.sumTo(e.mul(first(dys), b), a.shape), e.sumTo(e.mul(first(dys), a), b.shape)];
  },
  RealDiv: (e, node, dys) => {
    const [a, b] = inputs(node);
    const dy = first(dys);
    return [e.sumTo(e.div(dy, b), a.shape), e.sumTo(e.unary('Neg', e.div(e.mul(dy, a), e.mul(b, b))), b.shape)];
  },
  Neg: (e, _n, dys) => [e.unary('Neg', first(dys))],
  Square: (e, node, dys) => [e.mul(first(dys), e.mul(inputs(node)[0], e.scalar(2)))],
  Sqrt: (e, node, dys) => [
    e.g.op('SqrtGrad', [output(node), first(dys)], { T: { type: 'float32' } }, output(node).shape),
  ],
  Exp: (e, node, dys) => [e.mul(first(dys), output(node))],
  Erf: (e, node, dys) => {
    const x = inputs(node)[0];
    return [
      e.mul(first(dys), e.mul(e.scalar(2 / Math.sqrt(Math.PI)), e.unary('Exp', e.unary('Neg', e.unary('Square', x))))),
    ];
  },
  Sigmoid: (e, node, dys) => [
    e.g.op('SigmoidGrad', [output(node), first(dys)], { T: { type: 'float32' } }, output(node).shape),
  ],
  Tanh: (e, node, dys) => [
    e.g.op('TanhGrad', [output(node), first(dys)], { T: { type: 'float32' } }, output(node).shape),
  ],
  Sum: (e, node, dys) => [unreduce(e, node, first(dys)), undefined],
  Mean: (e, node, dys) => {
    const [x, axes] = inputs(node);
    return [e.div(unreduce(e, node, first(dys)), e.countAlong(x, constInts(axes))), undefined];
  },
  Max: (e, node, dys) => {
    const [x, axes] = inputs(node);
    const keep = x.shape.map((d, i) => (constInts(axes).includes(i) ? 1 : d));
    const y = e.reshape(output(node), keep);
    const hits = e.cast(e.compare('Equal', x, y), 'float32');
    const count = e.reduce('Sum', hits, constInts(axes), true);
    return [e.mul(e.div(hits, count), e.reshape(first(dys), keep)), undefined];
  },
  SelectV2: (e, node, dys) => {
    const [cond, a, b] = inputs(node) as [Sym, Sym, Sym];
    const zeros = e.zerosLike(first(dys));
    return [
      undefined,
      e.sumTo(e.select(cond, first(dys), zeros), a.shape),
      e.sumTo(e.select(cond, zeros, first(dys)), b.shape),
    ];
  },
};
