import type { Variable } from '@tensorflow/tfjs-node';
import type { Json } from '../../core/arch.js';
import { loadTf } from '../../backend/tf.js';
import { createOptimizer, decays, type Optimizer, type Param } from '../../eval/train/index.js';
import type { NamedArray } from '../../eval/checkpoint-file.js';
import type { DartsOptions } from './options.js';
import type { Supernet } from './supernet.js';

/** The trainable state of a DARTS search: the supernet, w with its SGD, α with its Adam. */
export interface SearchState {
  readonly net: Supernet;
  readonly weights: readonly Param[];
  readonly alphas: readonly Variable[];
  readonly wOptimizer: Optimizer;
  readonly alphaOptimizer: Optimizer;
}

/** The optimizers of the paper: SGD with momentum and L2 decay on kernels for w; Adam with L2 decay for α. */
export function searchState(net: Supernet, o: DartsOptions): SearchState {
  const weights = net.model.trainableWeights.map((w) => ({
    variable: w.read() as Variable,
    decay: decays(w.originalName, 'kernels'),
  }));
  const alphas = net.relaxation.cells.map((c) => net.alphas[c.name] as Variable);
  const wOptimizer = createOptimizer(
    { kind: 'sgd', momentum: o.momentum, nesterov: false, weightDecay: o.weightDecay, decayOn: 'kernels' },
    weights,
  );
  const alphaParams = alphas.map((variable) => ({ variable, decay: true }));
  const alphaOptimizer = createOptimizer(
    {
      kind: 'adam',
      beta1: o.alphaBeta1,
      beta2: o.alphaBeta2,
      epsilon: 1e-8,
      weightDecay: o.alphaWeightDecay,
      decayOn: 'all',
    },
    alphaParams,
  );
  return { net, weights, alphas, wOptimizer, alphaOptimizer };
}

/** Frees the optimizers' slots and the supernet. */
export function disposeState(s: SearchState): void {
  s.wOptimizer.dispose();
  s.alphaOptimizer.dispose();
  s.net.dispose();
}

type Slot = {
  readonly name: string;
  read(): Float32Array;
  write(data: Float32Array): void;
  readonly shape: readonly number[];
};

function variableSlot(name: string, v: Variable): Slot {
  const tf = loadTf();
  return {
    name,
    shape: v.shape,
    read: () => v.dataSync() as Float32Array,
    write: (data) => tf.tidy(() => v.assign(tf.tensor(data, v.shape))),
  };
}

/** Every tensor a resume needs, by a stable name (model weights by position: BatchNorm statistics included). */
function slots(s: SearchState): Slot[] {
  const tf = loadTf();
  const model = s.net.model.weights.map((w, i): Slot => ({
    name: `w/${i}`,
    shape: w.shape as number[],
    read: () => w.read().dataSync() as Float32Array,
    write: (data) => tf.tidy(() => void w.write(tf.tensor(data, w.shape as number[]))),
  }));
  return [
    ...model,
    ...s.net.relaxation.cells.map((c) => variableSlot(`alpha/${c.name}`, s.net.alphas[c.name] as Variable)),
    ...s.wOptimizer.slots.map((v, i) => variableSlot(`w-optimizer/${i}`, v)),
    ...s.alphaOptimizer.slots.map((v, i) => variableSlot(`alpha-optimizer/${i}`, v)),
  ];
}

/** The state as named arrays and meta (epoch, optimizer step counts), for a checkpoint file. */
export function exportState(s: SearchState, epoch: number): { meta: Json; arrays: NamedArray[] } {
  const arrays = slots(s).map((slot) => ({ name: slot.name, shape: slot.shape, data: slot.read() }));
  return { meta: { epoch, wSteps: s.wOptimizer.steps, alphaSteps: s.alphaOptimizer.steps }, arrays };
}

/** Loads a checkpoint's arrays into the state; returns its epoch. A missing or misshapen array is an error. */
export function importState(s: SearchState, meta: Json, arrays: ReadonlyMap<string, NamedArray>): number {
  for (const slot of slots(s)) {
    const saved = arrays.get(slot.name);
    if (saved === undefined || saved.shape.join() !== slot.shape.join()) {
      throw new Error(
        `checkpoint does not fit this supernet: "${slot.name}" is [${saved?.shape.join(', ') ?? 'missing'}], expected [${slot.shape.join(', ')}]`,
      );
    }
    slot.write(saved.data);
  }
  const m = meta as { epoch: number; wSteps: number; alphaSteps: number };
  s.wOptimizer.steps = m.wSteps;
  s.alphaOptimizer.steps = m.alphaSteps;
  return m.epoch;
}
