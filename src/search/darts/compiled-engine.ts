/**
 * DARTS on the compiled supernet (src/eval/compile/supernet.ts): an architecture step and a weight
 * step are one native call each. The eager supernet of the same seed gives the initial w and α and
 * the checkpoint names (state.ts), so checkpoints are interchangeable with the eager engine's.
 */
import type { Tensor } from '@tensorflow/tfjs-node';
import type { Json } from '../../core/arch.js';
import { loadTf } from '../../backend/tf.js';
import { CompiledModel, compileSupernet, type VariableSpec } from '../../eval/compile/index.js';
import { evaluateBatches } from '../../eval/train/index.js';
import type { ResolvedArch } from '../../space/resolve.js';
import type { NamedArray } from '../../eval/checkpoint-file.js';
import type { DartsEngine } from './engine.js';
import type { DartsOptions } from './options.js';
import { disposeState, exportState, type SearchState } from './state.js';

/**
 * Compiles the supernet of `s` and loads it with s's weights, α and optimizer slots. It takes `s`
 * over: the eager state is freed once copied (the compiled graph holds the search from then on).
 */
export async function compiledEngine(s: SearchState, arch: ResolvedArch, o: DartsOptions): Promise<DartsEngine> {
  let model: CompiledModel | undefined;
  try {
    model = await CompiledModel.load(compileSupernet(arch, o));
    const engine = engineOn(model, checkpointNames(s, model.variables), o);
    const initial = exportState(s, 0);
    engine.importState({ epoch: 0, wSteps: 0, alphaSteps: 0 }, new Map(initial.arrays.map((a) => [a.name, a])));
    return engine;
  } catch (error) {
    model?.dispose();
    throw error;
  } finally {
    disposeState(s);
  }
}

function engineOn(model: CompiledModel, names: readonly string[], o: DartsOptions): DartsEngine {
  const tf = loadTf();
  let weightSteps = 0;
  const assign = (arrays: ReadonlyMap<string, NamedArray>, alphaSteps: number) => {
    const values = model.variables.map((v, i) => {
      if (v.name === 'optimizer/step') return tf.scalar(alphaSteps);
      const saved = arrays.get(names[i] as string);
      if (saved === undefined || saved.shape.join() !== v.shape.join()) {
        throw new Error(
          `checkpoint does not fit this supernet: "${names[i]}" is [${saved?.shape.join(', ') ?? 'missing'}], expected [${v.shape.join(', ')}]`,
        );
      }
      return tf.tensor(saved.data, [...v.shape]);
    });
    try {
      model.assignAll(values);
    } finally {
      tf.dispose(values);
    }
  };
  return {
    // A non-finite architecture gradient is a diverged step, reported as a NaN loss.
    alphaStep(wBatch, alphaBatch, lr) {
      const rate = tf.scalar(lr);
      try {
        const valBatch = { vx: alphaBatch.x, vlabels: alphaBatch.labels };
        const stats =
          o.order === 'first'
            ? model.stats('alpha_first', valBatch)
            : model.stats('alpha_second', { x: wBatch.x, labels: wBatch.labels, ...valBatch, lr: rate });
        return stats[1] === 1 ? (stats[0] as number) : Number.NaN;
      } finally {
        rate.dispose();
      }
    },
    weightStep(batch, lr) {
      const rate = tf.scalar(lr);
      try {
        const stats = model.stats('weight_step', { x: batch.x, labels: batch.labels, lr: rate });
        weightSteps += 1;
        return { loss: stats[0] as number, correct: stats[1] as number };
      } finally {
        rate.dispose();
      }
    },
    get weightSteps() {
      return weightSteps;
    },
    validate: (part, options) =>
      evaluateBatches(part, options, (batch) => model.stats('evaluate', { x: batch.x, labels: batch.labels })),
    alphaWeights() {
      const values = model.readAll();
      try {
        return Object.fromEntries(
          model.variables.flatMap((v, i) =>
            v.kind === 'alpha'
              ? [
                  [
                    v.name.slice('alpha/'.length),
                    tf.tidy(() => tf.softmax(values[i] as Tensor).arraySync() as number[][]),
                  ],
                ]
              : [],
          ),
        );
      } finally {
        tf.dispose(values);
      }
    },
    exportState(epoch) {
      const values = model.readAll();
      try {
        const step = model.variables.findIndex((v) => v.name === 'optimizer/step');
        const alphaSteps = step < 0 ? 0 : ((values[step] as Tensor).dataSync()[0] as number);
        const arrays = model.variables.flatMap((v, i) =>
          i === step
            ? []
            : [{ name: names[i] as string, shape: v.shape, data: (values[i] as Tensor).dataSync() as Float32Array }],
        );
        return { meta: { epoch, wSteps: weightSteps, alphaSteps } as Json, arrays };
      } finally {
        tf.dispose(values);
      }
    },
    importState(meta, arrays) {
      const m = meta as { epoch: number; wSteps: number; alphaSteps: number };
      assign(arrays, m.alphaSteps);
      weightSteps = m.wSteps;
      return m.epoch;
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * The checkpoint name (state.ts) of each compiled variable: model weights `w/<position>`, α
 * `alpha/<cell>`, SGD momentum `w-optimizer/<trainable position>`, Adam's m and v of α
 * `alpha-optimizer/<i>` (m of every cell, then v). Adam's step count goes into the meta.
 */
function checkpointNames(s: SearchState, variables: readonly VariableSpec[]): string[] {
  const weights = s.net.model.weights.map((w) => w.originalName);
  const trainable = s.net.model.trainableWeights.map((w) => w.originalName);
  const cells = s.net.relaxation.cells.map((c) => `alpha/${c.name}`);
  return variables.map(({ name }) => {
    if (name === 'optimizer/step' || cells.includes(name)) return name;
    if (name.endsWith('/momentum')) return `w-optimizer/${trainable.indexOf(name.slice(0, -'/momentum'.length))}`;
    const moment = /^(alpha\/.+)\/([mv])$/.exec(name);
    if (moment !== null)
      return `alpha-optimizer/${cells.indexOf(moment[1] as string) + (moment[2] === 'v' ? cells.length : 0)}`;
    const i = weights.indexOf(name);
    if (i < 0) throw new Error(`compiled supernet variable ${name} has no counterpart in the eager supernet`);
    return `w/${i}`;
  });
}
