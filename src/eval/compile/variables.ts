/**
 * The variables of a compiled graph: the network's weights (named `<layer>/<weight>` like the eager
 * model's) and the optimizer's slots. Each is a resource variable (VarHandleOp) that lives in the
 * loaded session between calls; a pass reads each once, and updates write it once.
 */
import type { Emit } from './emit.js';
import type { GraphNode, Sym } from './graph.js';
import type { WeightKind } from './lower/index.js';

/**
 * What a variable holds besides the network's weights: an optimizer's `slot`, or a `range` of
 * quantization-aware training (an activation's moving [min, max], the count of QAT steps; qat.ts).
 * Both start at zero and have no counterpart in the eager model.
 */
export type StateKind = 'slot' | 'range';

export type VariableSpec = {
  readonly name: string;
  readonly shape: readonly number[];
  /** Trained by an optimizer (not BatchNorm's moving statistics, not a slot or a range; α by the architecture's). */
  readonly trainable: boolean;
  readonly kind: WeightKind | StateKind;
};

export class Variables {
  readonly specs: VariableSpec[] = [];
  readonly handles = new Map<string, Sym>();

  constructor(private readonly e: Emit) {}

  /** The handle of a variable, created on first use. */
  handle(name: string, shape: readonly number[], kind: WeightKind | StateKind): Sym {
    const known = this.handles.get(name);
    if (known !== undefined) return known;
    const handle = this.e.g.within('vars', () =>
      this.e.g.op(
        'VarHandleOp',
        [],
        { dtype: { type: 'float32' }, shape: { shape }, shared_name: { s: name }, container: { s: '' } },
        [],
        'resource',
        name,
      ),
    );
    this.handles.set(name, handle);
    this.specs.push({ name, shape, trainable: kind !== 'moving' && kind !== 'slot' && kind !== 'range', kind });
    return handle;
  }

  /** Writes `value` into a variable; the node to depend on. */
  assign(name: string, value: Sym): GraphNode {
    const handle = this.handles.get(name) as Sym;
    return this.e.g.add(
      'AssignVariableOp',
      [handle, value],
      { dtype: { type: 'float32' }, validate_shape: { b: false } },
      [],
      { name: 'assign' },
    );
  }
}

/** One read per variable within a pass (a forward and its backward). */
export class Reads {
  private readonly values = new Map<string, Sym>();

  constructor(
    private readonly e: Emit,
    private readonly vars: Variables,
  ) {}

  read(name: string, shape: readonly number[], kind: WeightKind | StateKind): Sym {
    const known = this.values.get(name);
    if (known !== undefined) return known;
    const value = this.e.readVariable(this.vars.handle(name, shape, kind), shape);
    this.values.set(name, value);
    return value;
  }

  /** The reads of this pass, by variable name. */
  get all(): ReadonlyMap<string, Sym> {
    return this.values;
  }
}
