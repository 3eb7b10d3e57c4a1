import type { LayersModel } from '@tensorflow/tfjs-node';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EpochMetrics } from '../../core/trial.js';
import { Rng } from '../../core/rng.js';
import { loadTf } from '../../backend/tf.js';
import { BatchBuffer, epochOrder, subsetOf, type IndexedImages, type TrainData } from './batches.js';
import { resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from './config.js';
import { activationStats, type ActivationStat, type GradientTracker, type TrainDiagnostics } from './diagnostics.js';
import { compiledEngine, eagerEngine, type CompiledSteps, type Engine } from './engines.js';
import { DivergedError, TrainConfigError } from './errors.js';
import { evaluateBatches, type Evaluation } from './evaluate.js';
import { lrAt, toStepSchedule, type StepSchedule } from './schedule.js';
import type { StepStats } from './step.js';
import { checkData, planRun, qatStartStep, type RunPlan } from './plan.js';

/** Where a run is, sent at most every `progressIntervalMs` while it trains. */
export type TrainProgress = {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly totalSteps: number;
  /** Mean training loss of the current epoch so far. */
  readonly loss: number;
  readonly learningRate: number;
};

/** Callbacks and stop controls of a run; all optional. Stops are checked before every step. */
export type TrainHooks = {
  readonly signal?: AbortSignal;
  readonly shouldStop?: () => boolean;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Default 1000. */
  readonly progressIntervalMs?: number;
};

/** What a run measured. `stopped`: a stop was requested, the epoch in progress is not in `epochs`. */
export type TrainResult = {
  readonly epochs: readonly EpochMetrics[];
  readonly testAccuracy?: number;
  readonly testLoss?: number;
  readonly seconds: number;
  readonly steps: number;
  readonly stopped: boolean;
  readonly diagnostics?: TrainDiagnostics;
  /** With `qat`: how many of the steps were quantization-aware. */
  readonly qatSteps?: number;
};

/**
 * Trains `model` (logits output) on `data` as `config` says, with our own loop: seeded per-epoch
 * order, training-mode forward, our optimizers and schedules, validation in inference mode after
 * every epoch. With `compiled`, the steps and evaluations run on that graph instead (the model's own
 * weights are then left alone; the caller copies the trained ones back). Throws
 * {@link DivergedError} on a NaN or infinite loss. The model stays the caller's; everything else the
 * run creates (optimizer slots, batches) is disposed before it returns or throws.
 */
export async function train(model: LayersModel, data: TrainData, config: TrainConfig | ResolvedTrainConfig, hooks: TrainHooks = {}, compiled?: CompiledSteps): Promise<TrainResult> {
  const started = performance.now();
  const cfg = 'budget' in config ? config : resolveTrainConfig(config);
  checkData(model, data, cfg);
  if (compiled !== undefined && (cfg.diagnostics.gradients || cfg.diagnostics.activations)) {
    throw new TrainConfigError(['diagnostics: not measured on the compiled engine yet; train with engine "eager"']);
  }
  if (compiled === undefined && cfg.qat !== undefined) {
    throw new TrainConfigError(['qat: quantization-aware training needs the compiled engine (trainModel compiles the network)']);
  }
  const rng = new Rng(cfg.seed);
  const trainIndices = subsetOf(data.train.indices, cfg.dataFraction, rng.derive('subset'));
  const plan = planRun(trainIndices.length, cfg);
  const engine = compiled === undefined ? eagerEngine(model, cfg) : compiledEngine(compiled);
  try {
    const run = new Run(model, engine, data, cfg, plan, hooks, rng);
    const stopped = await run.epochs(trainIndices);
    const test = cfg.test && data.test !== undefined && !stopped ? run.evaluate(data.test) : undefined;
    const diagnostics = run.diagnostics();
    return {
      epochs: run.metrics,
      ...(test === undefined ? {} : { testAccuracy: test.accuracy, testLoss: test.loss }),
      seconds: (performance.now() - started) / 1000,
      steps: run.step,
      stopped,
      ...(diagnostics === undefined ? {} : { diagnostics }),
      ...(run.qatFrom === undefined ? {} : { qatSteps: Math.max(0, run.step - run.qatFrom) }),
    };
  } finally {
    engine.dispose();
  }
}

/** Running sums of an epoch's steps. */
type EpochSums = { lossSum: number; correct: number; seen: number; lastLr: number };

/** The state of one run between steps. */
class Run {
  readonly metrics: EpochMetrics[] = [];
  step = 0;
  /** The first quantization-aware step, with `qat`. */
  readonly qatFrom: number | undefined;
  private readonly schedule: StepSchedule;
  private readonly buffer: BatchBuffer;
  private readonly evalBuffer: BatchBuffer;
  private readonly tracker: GradientTracker | undefined;
  private lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly model: LayersModel,
    private readonly engine: Engine,
    private readonly data: TrainData,
    private readonly cfg: ResolvedTrainConfig,
    private readonly plan: RunPlan,
    private readonly hooks: TrainHooks,
    private readonly rng: Rng,
  ) {
    this.schedule = toStepSchedule(cfg.schedule, plan.stepsPerEpoch);
    this.buffer = new BatchBuffer(data.train.set.shape, cfg.batchSize);
    this.evalBuffer = new BatchBuffer(data.train.set.shape, cfg.evalBatchSize);
    this.tracker = engine.tracker;
    this.qatFrom = qatStartStep(plan, cfg);
  }

  /** Trains every epoch of the plan; true if a stop was requested. */
  async epochs(indices: Uint32Array): Promise<boolean> {
    for (let epoch = 1; epoch <= this.plan.epochs; epoch++) {
      const begun = performance.now();
      const done = await this.epoch(epoch, indices);
      if (done === undefined) return true;
      this.tracker?.endEpoch(epoch);
      const validation = this.data.validation === undefined ? undefined : this.evaluate(this.data.validation);
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: done.lossSum / done.seen,
        trainAccuracy: done.correct / done.seen,
        validationLoss: validation?.loss ?? Number.NaN,
        validationAccuracy: validation?.accuracy ?? Number.NaN,
        learningRate: done.lastLr,
        seconds: (performance.now() - begun) / 1000,
      };
      this.metrics.push(metrics);
      this.hooks.onEpoch?.(metrics);
    }
    return false;
  }

  /** One epoch's steps; undefined if a stop was requested before one of them. */
  private async epoch(epoch: number, indices: Uint32Array): Promise<EpochSums | undefined> {
    const order = epochOrder(indices, this.rng.derive(`order/${epoch}`));
    const augment = this.rng.derive(`augment/${epoch}`);
    const dropout = this.rng.derive(`dropout/${epoch}`);
    const steps = Math.min(this.plan.stepsPerEpoch, this.plan.totalSteps - this.step);
    const sums: EpochSums = { lossSum: 0, correct: 0, seen: 0, lastLr: Number.NaN };
    for (let s = 0; s < steps; s++) {
      if (this.hooks.signal?.aborted === true || this.hooks.shouldStop?.() === true) return undefined;
      const lr = lrAt(this.step, this.plan.totalSteps, this.schedule);
      const batch = this.buffer.next(this.data.train.set, order, s * this.cfg.batchSize, this.data.transform?.train, augment);
      let stats: StepStats;
      try {
        stats = this.engine.step(batch, lr, dropout, this.qatFrom !== undefined && this.step >= this.qatFrom);
      } finally {
        loadTf().dispose([batch.x, batch.labels]);
      }
      this.step += 1;
      if (!Number.isFinite(stats.loss)) throw new DivergedError(this.step, epoch, stats.loss, this.metrics);
      sums.lossSum += stats.loss * batch.count;
      sums.correct += stats.correct;
      sums.seen += batch.count;
      sums.lastLr = lr;
      if (stats.squaredNorms !== undefined) this.tracker?.add(stats.squaredNorms);
      this.progress(epoch, sums.lossSum / sums.seen, lr);
      await nextTurn();
    }
    return sums;
  }

  evaluate(part: IndexedImages): Evaluation {
    const transform = this.data.transform?.eval;
    const options = { batchSize: this.cfg.evalBatchSize, buffer: this.evalBuffer, ...(transform === undefined ? {} : { transform }) };
    return evaluateBatches(part, options, (batch) => this.engine.evaluateBatch(batch));
  }

  diagnostics(): TrainDiagnostics | undefined {
    const { gradients, activations } = this.cfg.diagnostics;
    if (!gradients && !activations) return undefined;
    const probe = this.data.validation ?? this.data.train;
    let stats: ActivationStat[] | undefined;
    if (activations) {
      const batch = this.evalBuffer.next(probe.set, probe.indices, 0, this.data.transform?.eval, new Rng('evaluate'));
      try {
        stats = activationStats(this.model, batch.x);
      } finally {
        loadTf().dispose([batch.x, batch.labels]);
      }
    }
    return {
      ...(this.tracker === undefined ? {} : { gradients: { epochs: this.tracker.epochs, lastEpochByWeight: this.tracker.lastByWeight } }),
      ...(stats === undefined ? {} : { activations: stats }),
    };
  }

  private progress(epoch: number, loss: number, learningRate: number): void {
    const { onProgress, progressIntervalMs = 1000 } = this.hooks;
    const now = performance.now();
    if (onProgress === undefined || now - this.lastProgress < progressIntervalMs) return;
    this.lastProgress = now;
    onProgress({ epoch, epochs: this.plan.epochs, step: this.step, totalSteps: this.plan.totalSteps, loss, learningRate });
  }
}
