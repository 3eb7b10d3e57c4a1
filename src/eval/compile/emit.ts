/**
 * Typed constructors of the TensorFlow ops the compiler emits, each with its static output shape
 * (−1 stands for the batch size, known only when a step runs). Forward lowering (lower/) and the
 * gradient rules (gradients/) both build graphs through this one class.
 */
import { Graph, type Attr, type DType, type Sym } from './graph.js';

/** Padding of the two spatial axes, [[top, bottom], [left, right]]. */
export type Sides = readonly [readonly [number, number], readonly [number, number]];
export type Pair2 = readonly [number, number];

const f32: Attr = { type: 'float32' };

/** Elementwise broadcast of two static shapes (NumPy rules; −1 meets −1 or 1). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Output length of a window along one axis with explicit padding. */
export function windowOut(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  before: number,
  after: number,
): number {
  return Math.floor((size + before + after - dilation * (kernel - 1) - 1) / stride) + 1;
}

export class Emit {
  constructor(readonly g: Graph) {}

  // ---- constants and shapes ----
  /** A float32 constant; `name` names its node (a frozen graph's weights keep their layer names). */
  constF(values: ArrayLike<number>, shape: readonly number[] = [], name = 'const'): Sym {
    return this.g.op(
      'Const',
      [],
      { dtype: f32, value: { tensor: { dtype: 'float32', shape, values } } },
      shape,
      'float32',
      name,
    );
  }
  constI(values: ArrayLike<number>, shape: readonly number[] = [values.length]): Sym {
    return this.g.op(
      'Const',
      [],
      { dtype: { type: 'int32' }, value: { tensor: { dtype: 'int32', shape, values } } },
      shape,
      'int32',
      'const',
    );
  }
  scalar(v: number): Sym {
    return this.constF([v], []);
  }
  /** The runtime shape of `x` as an int32 vector. */
  shapeOf(x: Sym): Sym {
    return this.g.op('Shape', [x], { T: { type: x.dtype }, out_type: { type: 'int32' } }, [x.shape.length], 'int32');
  }
  /** A shape as a tensor: a constant when static, else computed from `like` (batch from its first axis). */
  shapeTensor(shape: readonly number[], like?: Sym): Sym {
    if (!shape.includes(-1) || like === undefined) return this.constI(shape);
    const batch = this.g.op(
      'StridedSlice',
      [this.shapeOf(like), this.constI([0]), this.constI([1]), this.constI([1])],
      {
        T: { type: 'int32' },
        Index: { type: 'int32' },
        begin_mask: { i: 0 },
        end_mask: { i: 0 },
        ellipsis_mask: { i: 0 },
        new_axis_mask: { i: 0 },
        shrink_axis_mask: { i: 0 },
      },
      [1],
      'int32',
    );
    const rest = this.constI(shape.slice(1));
    return this.g.op(
      'ConcatV2',
      [batch, rest, this.constI([0], [])],
      { T: { type: 'int32' }, N: { i: 2 }, Tidx: { type: 'int32' } },
      [shape.length],
      'int32',
    );
  }
  /** Number of elements of `x` along `axes`, as a float scalar (a constant when static). */
  countAlong(x: Sym, axes: readonly number[]): Sym {
    const dims = axes.map((a) => x.shape[a] as number);
    if (!dims.includes(-1)) return this.scalar(dims.reduce((p, d) => p * d, 1));
    const sizes = this.g.op('Cast', [this.shapeOf(x)], { SrcT: { type: 'int32' }, DstT: f32, Truncate: { b: false } }, [
      x.shape.length,
    ]);
    return this.g.op(
      'Prod',
      [
        this.g.op(
          'GatherV2',
          [sizes, this.constI(axes), this.constI([0], [])],
          { Tparams: f32, Tindices: { type: 'int32' }, Taxis: { type: 'int32' }, batch_dims: { i: 0 } },
          [axes.length],
        ),
        this.constI([0]),
      ],
      { T: f32, Tidx: { type: 'int32' }, keep_dims: { b: false } },
      [],
    );
  }

  // ---- elementwise ----
  unary(op: string, x: Sym, attrs: Record<string, Attr> = {}): Sym {
    return this.g.op(op, [x], { T: { type: x.dtype }, ...attrs }, x.shape, x.dtype);
  }
  binary(op: string, a: Sym, b: Sym): Sym {
    return this.g.op(op, [a, b], { T: { type: a.dtype } }, broadcastShape(a.shape, b.shape), a.dtype);
  }
  add(a: Sym, b: Sym): Sym {
    return this.binary('AddV2', a, b);
  }
  sub(a: Sym, b: Sym): Sym {
    return this.binary('Sub', a, b);
  }
  mul(a: Sym, b: Sym): Sym {
    return this.binary('Mul', a, b);
  }
  div(a: Sym, b: Sym): Sym {
    return this.binary('RealDiv', a, b);
  }
  addN(xs: readonly Sym[]): Sym {
    if (xs.length === 1) return xs[0] as Sym;
    const first = xs[0] as Sym;
    return this.g.op('AddN', xs, { T: { type: first.dtype }, N: { i: xs.length } }, first.shape, first.dtype);
  }
  cast(x: Sym, to: DType): Sym {
    return this.g.op('Cast', [x], { SrcT: { type: x.dtype }, DstT: { type: to }, Truncate: { b: false } }, x.shape, to);
  }
  select(cond: Sym, a: Sym, b: Sym): Sym {
    return this.g.op(
      'SelectV2',
      [cond, a, b],
      { T: { type: a.dtype } },
      broadcastShape(cond.shape, broadcastShape(a.shape, b.shape)),
      a.dtype,
    );
  }
  compare(op: 'Greater' | 'GreaterEqual' | 'Equal' | 'Less', a: Sym, b: Sym): Sym {
    const attrs: Record<string, Attr> =
      op === 'Equal' ? { T: { type: a.dtype }, incompatible_shape_error: { b: true } } : { T: { type: a.dtype } };
    return this.g.op(op, [a, b], attrs, broadcastShape(a.shape, b.shape), 'bool');
  }

  // ---- shape ops ----
  reshape(x: Sym, shape: readonly number[]): Sym {
    return this.g.op(
      'Reshape',
      [x, this.constI(shape)],
      { T: { type: x.dtype }, Tshape: { type: 'int32' } },
      shape,
      x.dtype,
    );
  }
  /** Reshape to the (possibly batch-dynamic) static shape of `like`. */
  reshapeLike(x: Sym, like: Sym): Sym {
    return this.g.op(
      'Reshape',
      [x, this.shapeTensor(like.shape, like)],
      { T: { type: x.dtype }, Tshape: { type: 'int32' } },
      like.shape,
      x.dtype,
    );
  }
  reduce(op: 'Sum' | 'Mean' | 'Max' | 'Min' | 'Prod', x: Sym, axes: readonly number[], keepDims = false): Sym {
    const shape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return this.g.op(
      op,
      [x, this.constI(axes)],
      { T: { type: x.dtype }, Tidx: { type: 'int32' }, keep_dims: { b: keepDims } },
      shape,
      x.dtype,
    );
  }
  /** Sums `x` down to `shape` (undoes a broadcast to x's shape). */
  sumTo(x: Sym, shape: readonly number[]): Sym {
    if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
    const lead = x.shape.length - shape.length;
    const axes = x.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1));
    const summed = axes.length > 0 ? this.reduce('Sum', x, axes, true) : x;
    return lead > 0 || summed.shape.length !== shape.length
      ? this.reshape(
          summed,
          shape.map((d) => (d === -1 ? -1 : d)),
        )
      : summed;
  }
  concat(xs: readonly Sym[], axis: number): Sym {
    if (xs.length === 1) return xs[0] as Sym;
    const first = xs[0] as Sym;
    const shape = first.shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + (x.shape[i] as number), 0) : d));
    return this.g.op(
      'ConcatV2',
      [...xs, this.constI([axis], [])],
      { T: { type: first.dtype }, N: { i: xs.length }, Tidx: { type: 'int32' } },
      shape,
      first.dtype,
    );
  }
  /** x[:, begin…begin+size) on every axis after the first (the batch axis is kept whole). */
  slice(x: Sym, begin: readonly number[], size: readonly number[]): Sym {
    return this.g.op(
      'Slice',
      [x, this.constI(begin), this.constI(size)],
      { T: { type: x.dtype }, Index: { type: 'int32' } },
      size.map((d, i) => (d === -1 ? (x.shape[i] as number) : d)),
      x.dtype,
    );
  }
  /** Every `stride`-th element of the two spatial axes of NHWC x. */
  subsample(x: Sym, stride: Pair2): Sym {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const shape = [n, Math.ceil(h / stride[0]), Math.ceil(w / stride[1]), c];
    return this.g.op(
      'StridedSlice',
      [x, this.constI([0, 0, 0, 0]), this.constI([0, 0, 0, 0]), this.constI([1, stride[0], stride[1], 1])],
      {
        T: { type: x.dtype },
        Index: { type: 'int32' },
        begin_mask: { i: 15 },
        end_mask: { i: 15 },
        ellipsis_mask: { i: 0 },
        new_axis_mask: { i: 0 },
        shrink_axis_mask: { i: 0 },
      },
      shape,
      x.dtype,
    );
  }
  /** Pads the spatial axes of NHWC x with a constant. */
  padSpatial(x: Sym, sides: Sides, value = 0): Sym {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const paddings = this.constI([0, 0, sides[0][0], sides[0][1], sides[1][0], sides[1][1], 0, 0], [4, 2]);
    const shape = [n, h + sides[0][0] + sides[0][1], w + sides[1][0] + sides[1][1], c];
    return this.g.op('PadV2', [x, paddings, this.scalar(value)], { T: f32, Tpaddings: { type: 'int32' } }, shape);
  }
  /** Pads any axes: `paddings` is one [before, after] per axis. */
  pad(x: Sym, paddings: readonly (readonly [number, number])[]): Sym {
    const shape = x.shape.map((d, i) =>
      d === -1 ? -1 : d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1],
    );
    return this.g.op(
      'Pad',
      [x, this.constI(paddings.flat(), [paddings.length, 2])],
      { T: { type: x.dtype }, Tpaddings: { type: 'int32' } },
      shape,
      x.dtype,
    );
  }
  zerosLike(x: Sym): Sym {
    return this.unary('ZerosLike', x);
  }

  // ---- variables ----
  readVariable(handle: Sym, shape: readonly number[]): Sym {
    return this.g.op('ReadVariableOp', [handle], { dtype: f32 }, shape, 'float32', 'read');
  }
}
