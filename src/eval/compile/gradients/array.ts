/** Gradients of shape and indexing ops (TensorFlow's `array_grad.py`). */
import type { Emit } from '../emit.js';
import type { Attr, GraphNode, Sym } from '../graph.js';
import type { GradientRule } from './rule.js';
import { constInts } from './math.js';

const inputs = (node: GraphNode) => node.inputs as readonly Sym[] as [Sym, Sym, ...Sym[]];
const first = (dys: readonly (Sym | undefined)[]) => dys[0] as Sym;
const f32: Attr = { type: 'float32' };

export const ARRAY_GRADIENTS: Readonly<Record<string, GradientRule>> = {
  Reshape: (e, node, dys) => [e.reshapeLike(first(dys), inputs(node)[0]), undefined],
  ConcatV2: (e, node, dys) => {
    const parts = node.inputs.slice(0, -1);
    const axis = constInts(node.inputs.at(-1) as Sym)[0] as number;
    let offset = 0;
    return [
      ...parts.map((x) => {
        const begin = x.shape.map((_, i) => (i === axis ? offset : 0));
        offset += x.shape[axis] as number;
        return e.slice(first(dys), begin, x.shape);
      }),
      undefined,
    ];
  },
  Slice: (e, node, dys) => {
    const [x, beginConst] = inputs(node);
    const begin = constInts(beginConst);
    const y = node.outputs[0] as Sym;
    // A dynamic (batch) axis is never sliced: it is taken whole.
    const paddings = x.shape.map(
      (d, i) =>
        (d === -1 ? [0, 0] : [begin[i] as number, d - (begin[i] as number) - (y.shape[i] as number)]) as [
          number,
          number,
        ],
    );
    return [e.pad(first(dys), paddings), undefined, undefined];
  },
  StridedSlice: (e, node, dys) => {
    const [x, begin, end, strides] = inputs(node) as [Sym, Sym, Sym, Sym];
    const { T: _t, ...masks } = node.attrs;
    const grad = e.g.op(
      'StridedSliceGrad',
      [e.shapeTensor(x.shape, x), begin, end, strides, first(dys)],
      { T: f32, ...masks },
      x.shape,
    );
    return [grad, undefined, undefined, undefined];
  },
  Pad: (e, node, dys) => [unpad(e, node, dys), undefined],
  PadV2: (e, node, dys) => [unpad(e, node, dys), undefined, undefined],
  SpaceToBatchND: (e, node, dys) => {
    const [x, block, paddings] = inputs(node) as [Sym, Sym, Sym];
    return [
      e.g.op(
        'BatchToSpaceND',
        [first(dys), block, paddings],
        { T: f32, Tblock_shape: { type: 'int32' }, Tcrops: { type: 'int32' } },
        x.shape,
      ),
      undefined,
      undefined,
    ];
  },
  BatchToSpaceND: (e, node, dys) => {
    const [x, block, crops] = inputs(node) as [Sym, Sym, Sym];
    return [
      e.g.op(
        'SpaceToBatchND',
        [first(dys), block, crops],
        { T: f32, Tblock_shape: { type: 'int32' }, Tpaddings: { type: 'int32' } },
        x.shape,
      ),
      undefined,
      undefined,
    ];
  },
  // A row of a small dense matrix (DARTS α): the row's gradient padded into the matrix's shape.
  GatherV2: (e, node, dys) => {
    const [params, index] = inputs(node);
    const row = constInts(index)[0] as number;
    const [rows = 0] = params.shape;
    const grad = e.pad(e.reshape(first(dys), [1, ...params.shape.slice(1)]), [
      [row, rows - row - 1],
      ...params.shape.slice(1).map(() => [0, 0] as [number, number]),
    ]);
    return [grad, undefined, undefined];
  },
  Unpack: (e, node, dys) => {
    const x = inputs(node)[0];
    const parts = node.outputs.map((o, i) => dys[i] ?? e.zerosLike(o));
    return [e.g.op('Pack', parts, { T: f32, N: { i: parts.length }, axis: node.attrs.axis ?? { i: 0 } }, x.shape)];
  },
};

/** The gradient of a constant padding: the padded gradient cut back to the input's window. */
function unpad(e: Emit, node: GraphNode, dys: readonly (Sym | undefined)[]): Sym {
  const [x, paddings] = inputs(node);
  const before = constInts(paddings).filter((_, i) => i % 2 === 0);
  return e.slice(first(dys), before, x.shape);
}
