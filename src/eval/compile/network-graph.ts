import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import type { ResolvedTrainConfig } from '../train/config.js';
import { Emit } from './emit.js';
import { Graph, type Sym } from './graph.js';
import { placeholder } from './parts.js';
import type { Pass } from './pass.js';
import { Variables, type VariableSpec } from './variables.js';

// What every signature set of a network starts from (compile.ts, supernet.ts, qat.ts, diagnose.ts).

/** The training settings the graph bakes in (the learning rate is an input of every step). */
export type CompileTrainConfig = Pick<
  ResolvedTrainConfig,
  'optimizer' | 'labelSmoothing' | 'clipNorm' | 'checkpointing'
> &
  Partial<Pick<ResolvedTrainConfig, 'qat' | 'diagnostics'>>;

/** The parts of a compiled network's graph that every kind of signature set starts from. */
export type NetworkGraph = {
  readonly e: Emit;
  readonly vars: Variables;
  readonly arch: ResolvedArch;
  readonly names: ReadonlyMap<string, string>;
  readonly seed: Sym;
};

export function networkGraph(arch: ResolvedArch): NetworkGraph {
  const e = new Emit(new Graph());
  return {
    e,
    vars: new Variables(e),
    arch,
    names: layerNames(arch).byNode,
    seed: placeholder(e, 'seed', [2], 'int32'),
  };
}

/** The network's trainable weights (not α) read by a pass, with their values. */
export function trainableOf(net: NetworkGraph, pass: Pass): { spec: VariableSpec; value: Sym }[] {
  return net.vars.specs
    .filter((v) => v.trainable && v.kind !== 'alpha' && pass.reads.all.has(v.name))
    .map((spec) => ({ spec, value: pass.reads.all.get(spec.name) as Sym }));
}
