import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Json } from '../../core/arch.js';
import type { OneShotEpoch } from '../../core/events.js';
import { Rng } from '../../core/rng.js';
import type { SearchSpace } from '../../space/search-space.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { loadTf } from '../../backend/tf.js';
import {
  BatchBuffer,
  DivergedError,
  cosineAnnealing,
  epochOrder,
  type BatchTensors,
  type TrainData,
} from '../../eval/train/index.js';
import { compiledEngine } from './compiled-engine.js';
import { eagerEngine, type DartsEngine } from './engine.js';
import type { NamedArray } from '../../eval/checkpoint-file.js';
import type { DartsOptions } from './options.js';
import { searchState } from './state.js';
import { createSupernet } from './supernet.js';

/** Callbacks of a search; `onEpoch` is awaited (the caller checkpoints and records before the next epoch). */
export interface DartsHooks {
  readonly onEpoch: (record: OneShotEpoch, state: () => { meta: Json; arrays: NamedArray[] }) => Promise<void>;
  readonly onProgress?: (epoch: number, fraction: number, loss: number) => void;
  readonly signal?: AbortSignal;
  /** Default 1000. */
  readonly progressIntervalMs?: number;
}

/** What DARTS needs of a space: its relaxation, and to derive and print a sample from α. */
export type OneShotSpace = Required<Pick<SearchSpace, 'relaxation' | 'derive' | 'format'>>;

/** The one-shot view of a cell space; a space without a relaxation is an error naming it. */
export function oneShotSpace(space: SearchSpace): OneShotSpace {
  const { relaxation, derive } = space;
  if (relaxation === undefined || derive === undefined)
    throw new Error(`space "${space.id}" has no one-shot relaxation`);
  return { relaxation: relaxation.bind(space), derive: derive.bind(space), format: space.format.bind(space) };
}

/** A search to run: the space and its supernet, the data (validation: the experiment's split), a seed. */
export interface DartsRun {
  readonly space: OneShotSpace;
  readonly arch: ResolvedArch;
  readonly options: DartsOptions;
  readonly data: TrainData;
  readonly seed: number;
  /** A checkpoint to continue from (the epochs after its own). */
  readonly resume?: { readonly meta: Json; readonly arrays: ReadonlyMap<string, NamedArray> };
  /** Peak resident memory of this process so far, bytes (the worker measures it). */
  readonly peakMemory?: () => number;
  /** What trains the supernet: the compiled graph (default) or eager tfjs ops. */
  readonly engine?: 'compiled' | 'eager';
}

/** The seeded halves of the training split: w learns on one, α on the other (`train_portion`). */
export function splitForBilevel(
  indices: Uint32Array,
  weightFraction: number,
  seed: number,
): { weights: Uint32Array; alphas: Uint32Array } {
  const order = epochOrder(indices, new Rng(seed).derive('darts/split'));
  const cut = Math.min(order.length - 1, Math.max(1, Math.round(weightFraction * order.length)));
  return { weights: order.subarray(0, cut), alphas: order.subarray(cut) };
}

/**
 * Runs DARTS (Liu et al. 2019, Algorithm 1) from epoch 1 or a checkpoint to `options.epochs`: each step
 * takes an architecture step on an α batch (first or second order), then a weight step (SGD with
 * momentum, L2 decay, clipping, cosine learning rate per epoch) on a w batch. After each epoch it
 * evaluates on the validation split, derives the architecture and reports. Returns 'stopped' when the
 * signal aborts (the epoch in progress is lost; the last reported one is the checkpoint).
 */
export async function runDarts(run: DartsRun, hooks: DartsHooks): Promise<'finished' | 'stopped'> {
  const { options: o, data, space } = run;
  const split = splitForBilevel(data.train.indices, o.weightFraction, run.seed);
  const state = searchState(createSupernet(space.relaxation(), run.arch, run.seed), o);
  const engine = run.engine === 'eager' ? eagerEngine(state, o) : await compiledEngine(state, run.arch, o);
  try {
    const first = run.resume === undefined ? 1 : engine.importState(run.resume.meta, run.resume.arrays) + 1;
    const loop = new Loop(run, hooks, engine, split);
    for (let epoch = first; epoch <= o.epochs; epoch++) {
      if ((await loop.epoch(epoch)) === 'stopped') return 'stopped';
    }
    return 'finished';
  } finally {
    engine.dispose();
  }
}

type Sums = { trainLoss: number; alphaLoss: number; correct: number; seen: number; alphaSeen: number };

class Loop {
  private readonly wBuffer: BatchBuffer;
  private readonly alphaBuffer: BatchBuffer;
  private readonly rng: Rng;
  private lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly run: DartsRun,
    private readonly hooks: DartsHooks,
    private readonly engine: DartsEngine,
    private readonly split: { weights: Uint32Array; alphas: Uint32Array },
  ) {
    const shape = run.data.train.set.shape;
    this.wBuffer = new BatchBuffer(shape, run.options.batchSize);
    this.alphaBuffer = new BatchBuffer(shape, run.options.batchSize);
    this.rng = new Rng(run.seed).derive('darts');
  }

  async epoch(epoch: number): Promise<'done' | 'stopped'> {
    const { options: o, data } = this.run;
    const begun = performance.now();
    const lr = cosineAnnealing(epoch - 1, o.epochs, o.lr, o.lrMin);
    const wOrder = epochOrder(this.split.weights, this.rng.derive(`w/${epoch}`));
    const alphaOrder = epochOrder(this.split.alphas, this.rng.derive(`alpha/${epoch}`));
    const augment = this.rng.derive(`augment/${epoch}`);
    const steps = Math.ceil(wOrder.length / o.batchSize);
    const sums: Sums = { trainLoss: 0, alphaLoss: 0, correct: 0, seen: 0, alphaSeen: 0 };
    for (let step = 0; step < steps; step++) {
      if (this.hooks.signal?.aborted === true) return 'stopped';
      const wBatch = this.wBuffer.next(data.train.set, wOrder, step * o.batchSize, data.transform?.train, augment);
      const alphaStart = (step * o.batchSize) % alphaOrder.length;
      const alphaBatch = this.alphaBuffer.next(data.train.set, alphaOrder, alphaStart, data.transform?.train, augment);
      try {
        this.step(epoch, sums, lr, wBatch, alphaBatch);
      } finally {
        loadTf().dispose([wBatch.x, wBatch.labels, alphaBatch.x, alphaBatch.labels]);
      }
      this.progress(epoch, (step + 1) / steps, sums.trainLoss / sums.seen);
      await nextTurn();
    }
    await this.report(epoch, lr, sums, (performance.now() - begun) / 1000);
    return 'done';
  }

  /** One architecture step, then one weight step (Algorithm 1). */
  private step(epoch: number, sums: Sums, lr: number, wBatch: BatchTensors, alphaBatch: BatchTensors): void {
    const alphaLoss = this.engine.alphaStep(wBatch, alphaBatch, lr);
    if (!Number.isFinite(alphaLoss)) throw new DivergedError(this.engine.weightSteps + 1, epoch, alphaLoss, []);
    const stats = this.engine.weightStep(wBatch, lr);
    if (!Number.isFinite(stats.loss)) throw new DivergedError(this.engine.weightSteps, epoch, stats.loss, []);
    sums.trainLoss += stats.loss * wBatch.count;
    sums.alphaLoss += alphaLoss * alphaBatch.count;
    sums.correct += stats.correct;
    sums.seen += wBatch.count;
    sums.alphaSeen += alphaBatch.count;
  }

  private async report(epoch: number, lr: number, sums: Sums, seconds: number): Promise<void> {
    const { data, options: o, space } = this.run;
    const validation =
      data.validation === undefined
        ? undefined
        : this.engine.validate(data.validation, {
            batchSize: Math.max(o.batchSize, 256),
            ...(data.transform?.eval === undefined ? {} : { transform: data.transform.eval }),
          });
    const weights = this.engine.alphaWeights();
    const derived = space.derive(weights);
    const record: OneShotEpoch = {
      epoch,
      epochs: o.epochs,
      trainLoss: sums.trainLoss / sums.seen,
      trainAccuracy: sums.correct / sums.seen,
      alphaLoss: sums.alphaLoss / sums.alphaSeen,
      validationLoss: validation?.loss ?? Number.NaN,
      validationAccuracy: validation?.accuracy ?? Number.NaN,
      learningRate: lr,
      seconds,
      weights,
      derived,
      derivedText: space.format(derived),
      peakMemoryBytes: this.run.peakMemory?.() ?? 0,
    };
    await this.hooks.onEpoch(record, () => this.engine.exportState(epoch));
  }

  private progress(epoch: number, fraction: number, loss: number): void {
    const { onProgress, progressIntervalMs = 1000 } = this.hooks;
    const now = performance.now();
    if (onProgress === undefined || (now - this.lastProgress < progressIntervalMs && fraction < 1)) return;
    this.lastProgress = now;
    onProgress(epoch, fraction, loss);
  }
}
