/**
 * A TensorFlow graph under construction: nodes (TensorFlow op type, inputs, attributes) whose
 * outputs are symbolic tensors with a static shape (−1 where the batch size goes). The compiler
 * lowers an architecture into one of these, differentiates it (autodiff.ts) and writes it as a
 * SavedModel (saved-model.ts). Node names are unique; creation order is a topological order.
 */

/** Element types the compiler uses. */
/** quint8, qint8, qint32: TensorFlow's quantized types (the integer kernels of integer-kernels.ts). */
export type DType = 'float32' | 'int32' | 'int64' | 'bool' | 'resource' | 'int8' | 'quint8' | 'qint8' | 'qint32';

/** An attribute value of a node, tagged by its protobuf field. */
export type Attr =
  | { readonly type: DType }
  | { readonly i: number }
  | { readonly f: number }
  | { readonly b: boolean }
  | { readonly s: string }
  | { readonly shape: readonly number[] }
  | { readonly ints: readonly number[] }
  | { readonly tensor: ConstValue };

/** A constant's value: float32, int32 or int8 (quantized weights; qint8, qint32 for the integer kernels) data and its shape. */
export type ConstValue = {
  readonly dtype: 'float32' | 'int32' | 'int8' | 'qint8' | 'qint32';
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
};

/** One output of a node. */
export interface Sym {
  readonly node: GraphNode;
  readonly index: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly Sym[];
  readonly control: readonly GraphNode[];
  readonly attrs: Readonly<Record<string, Attr>>;
  readonly outputs: readonly Sym[];
}

/** A tensor's name in TensorFlow's notation, "node:index". */
export function tensorName(s: Sym): string {
  return `${s.node.name}:${s.index}`;
}

/** What an op produces: one (shape, dtype) per output. */
export type OutputSpec = readonly { readonly shape: readonly number[]; readonly dtype: DType }[];

export class Graph {
  readonly nodes: GraphNode[] = [];
  private readonly names = new Set<string>();
  private scope: string[] = [];

  /** Adds a node; its name is made unique under the current scope. */
  add(
    op: string,
    inputs: readonly Sym[],
    attrs: Readonly<Record<string, Attr>>,
    outputs: OutputSpec,
    options: { name?: string; control?: readonly GraphNode[] } = {},
  ): GraphNode {
    const name = this.unique([...this.scope, options.name ?? op].join('/'));
    const node: { -readonly [K in keyof GraphNode]: GraphNode[K] } = {
      name,
      op,
      inputs,
      control: options.control ?? [],
      attrs,
      outputs: [],
    };
    node.outputs = outputs.map((o, index) => ({ node, index, shape: o.shape, dtype: o.dtype }));
    this.nodes.push(node);
    return node;
  }

  /** Adds a node with one output and returns that output. */
  op(
    op: string,
    inputs: readonly Sym[],
    attrs: Readonly<Record<string, Attr>>,
    shape: readonly number[],
    dtype: DType = 'float32',
    name?: string,
  ): Sym {
    return this.add(op, inputs, attrs, [{ shape, dtype }], name === undefined ? {} : { name }).outputs[0] as Sym;
  }

  /** Runs `fn` with node names prefixed by `prefix/`. */
  within<T>(prefix: string, fn: () => T): T {
    const saved = this.scope;
    this.scope = [...saved, prefix.replace(/[^A-Za-z0-9_.\-/]/g, '_')];
    try {
      return fn();
    } finally {
      this.scope = saved;
    }
  }

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }
}
