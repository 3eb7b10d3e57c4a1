/** Pieces every compiled signature shares: the loss, the correct count, outputs that wait for updates, variable I/O. */
import type { Emit } from './emit.js';
import type { GraphNode, Sym } from './graph.js';
import type { Variables } from './variables.js';

/** Mean softmax cross-entropy against integer labels with label smoothing ε (as src/eval/train/loss.ts). */
export function crossEntropy(e: Emit, logits: Sym, labels: Sym, smoothing = 0): Sym {
  const classes = logits.shape[1] as number;
  const off = smoothing / classes;
  const target = e.g.op(
    'OneHot',
    [labels, e.constI([classes], []), e.scalar(1 - smoothing + off), e.scalar(off)],
    { T: { type: 'float32' }, TI: { type: 'int32' }, axis: { i: -1 } },
    logits.shape,
  );
  const perExample = e.g.add('SoftmaxCrossEntropyWithLogits', [logits, target], { T: { type: 'float32' } }, [
    { shape: [-1], dtype: 'float32' },
    { shape: logits.shape, dtype: 'float32' },
  ]).outputs[0] as Sym;
  return e.reduce('Mean', perExample, [0]);
}

/** How many rows of the logits have their largest value at the label. */
export function correctCount(e: Emit, logits: Sym, labels: Sym): Sym {
  const predicted = e.g.op(
    'ArgMax',
    [logits, e.constI([1], [])],
    { T: { type: 'float32' }, Tidx: { type: 'int32' }, output_type: { type: 'int32' } },
    [-1],
    'int32',
  );
  return e.reduce('Sum', e.cast(e.compare('Equal', predicted, labels), 'float32'), [0]);
}

/** Scalars packed into one vector (one host read per call). */
export function pack(e: Emit, scalars: readonly Sym[]): Sym {
  return e.g.op('Pack', scalars, { T: { type: 'float32' }, N: { i: scalars.length }, axis: { i: 0 } }, [
    scalars.length,
  ]);
}

/** `s` once `deps` have run: fetching it runs them. */
export function after(e: Emit, s: Sym, deps: readonly GraphNode[]): Sym {
  return e.g.add('Identity', [s], { T: { type: s.dtype } }, [{ shape: s.shape, dtype: s.dtype }], {
    name: 'out',
    control: deps,
  }).outputs[0] as Sym;
}

/** A placeholder input. */
export function placeholder(
  e: Emit,
  name: string,
  shape: readonly number[],
  dtype: 'float32' | 'int32' = 'float32',
): Sym {
  return e.g.op('Placeholder', [], { dtype: { type: dtype }, shape: { shape } }, shape, dtype, name);
}

/** The `read` outputs and `assign` inputs of every variable, keyed v0, v1, … in `vars.specs` order. */
export function variableIo(e: Emit, vars: Variables) {
  const read: Record<string, Sym> = {};
  const assignInputs: Record<string, Sym> = {};
  const assigns: GraphNode[] = [];
  vars.specs.forEach((spec, i) => {
    read[`v${i}`] = e.readVariable(vars.handles.get(spec.name) as Sym, spec.shape);
    const input = placeholder(e, `in${i}`, spec.shape);
    assignInputs[`v${i}`] = input;
    assigns.push(vars.assign(spec.name, input));
  });
  return { read, assignInputs, done: after(e, e.scalar(vars.specs.length), assigns) };
}
