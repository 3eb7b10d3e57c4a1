import type { LayersModel, Tensor4D } from '@tensorflow/tfjs-node';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EpochMetrics, StepReport } from '../../core/trial.js';
import { Rng } from '../../core/rng.js';
import { loadTf } from '../../backend/tf.js';
import { BatchBuffer, epochOrder, subsetOf, type IndexedImages, type TrainData } from './batches.js';
import { resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from './config.js';
import type { TrainDiagnostics } from '../../core/diagnostics.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { DiagnosticsRecorder, type CheckFigures } from './diagnostics.js';
import { compiledEngine, eagerEngine, type CompiledSteps, type Engine, type EngineStep } from './engines.js';
import { DiagnosticsStopError, DivergedError, TrainConfigError } from './errors.js';
import { modelProbePoints, type ProbePoint } from './probes.js';
import { evaluateBatches, type Evaluation } from './evaluate.js';
import { lrAt, toStepSchedule, type StepSchedule } from './schedule.js';
import { checkData, planRun, qatStartStep, type RunPlan } from './plan.js';
import type { TrainState } from './train-state.js';

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

/** Callbacks and stop controls of a run; all optional. `signal` and `shouldStop` are checked before every step. */
export type TrainHooks = {
  readonly signal?: AbortSignal;
  readonly shouldStop?: () => boolean;
  /**
   * Called after every batch and before every epoch; throws to end the run at once (a worker's stop
   * check, src/backend/pool/protocol.ts). The run's tensors are disposed as on any throw.
   */
  readonly throwIfStopped?: () => void;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  /**
   * With diagnostics: an epoch's checks, histograms and flags, as it ends (before its `onEpoch`), and
   * those of the epoch a diagnostics stop or a divergence cut short, before the error is thrown.
   */
  readonly onDiagnostics?: (record: DiagnosticEpoch) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Default 1000. */
  readonly progressIntervalMs?: number;
  /**
   * Every `every` steps (counted over the run), the validation part is evaluated and `on` is given
   * a {@link StepReport} (a pruner's intermediate values within the epochs).
   */
  readonly report?: { readonly every: number; readonly on: (report: StepReport) => void };
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
  /** With `keepState`, unless stopped: the state after the last epoch, to continue from. */
  readonly state?: TrainState;
};

/**
 * What runs the steps: `compiled`, a graph (compiled with the run's diagnostics when they are on), or
 * the model eagerly; `probes`, the diagnostics' probes of the model's architecture (by default its
 * ReLU and BatchNorm layers, src/eval/train/probes.ts).
 */
export type TrainEngineOptions = { readonly compiled?: CompiledSteps; readonly probes?: readonly ProbePoint[] };

/**
 * A part of a run: from a saved state (`resume`: its epoch + 1 on, at its step) and up to epoch
 * `until`, the schedule still spanning the config's epochs; `keepState` returns the state at the end.
 * Training epochs 1…k, then k+1…n from the state, ends in exactly the weights of training 1…n.
 */
export type TrainSpan = {
  readonly resume?: TrainState;
  readonly until?: number;
  readonly keepState?: boolean;
};

/**
 * Trains `model` (logits output) on `data` as `config` says, with our own loop: seeded per-epoch
 * order, training-mode forward, our optimizers and schedules, validation in inference mode after
 * every epoch. With `compiled`, the steps and evaluations run on that graph instead (the model's own
 * weights are then left alone; the caller copies the trained ones back). Throws
 * {@link DivergedError} on a NaN or infinite loss, {@link DiagnosticsStopError} on a flag that
 * `diagnostics.stopOn` names. The model stays the caller's; everything else the run creates
 * (optimizer slots, batches) is disposed before it returns or throws.
 */
export async function train(
  model: LayersModel,
  data: TrainData,
  config: TrainConfig | ResolvedTrainConfig,
  hooks: TrainHooks = {},
  options: TrainEngineOptions & TrainSpan = {},
): Promise<TrainResult> {
  const started = performance.now();
  const cfg = 'budget' in config ? config : resolveTrainConfig(config);
  const { compiled } = options;
  checkData(model, data, cfg);
  if (compiled === undefined && cfg.qat !== undefined) {
    throw new TrainConfigError([
      'qat: quantization-aware training needs the compiled engine (trainModel compiles the network)',
    ]);
  }
  const rng = new Rng(cfg.seed);
  const trainIndices = subsetOf(data.train.indices, cfg.dataFraction, rng.derive('subset'));
  const plan = planRun(trainIndices.length, cfg);
  const probes = cfg.diagnostics.activations ? (options.probes ?? modelProbePoints(model)) : [];
  const engine = compiled === undefined ? eagerEngine(model, cfg, probes) : compiledEngine(compiled);
  let run: Run | undefined;
  try {
    const { resume } = options;
    if (resume !== undefined) {
      checkResume(resume, plan, cfg.seed);
      engine.writeState(new Map(resume.arrays.map((a) => [a.name, a])));
    }
    run = new Run(engine, data, cfg, plan, hooks, rng, trainIndices, probes, resume);
    const last = Math.min(options.until ?? plan.epochs, plan.epochs);
    const stopped = await run.epochs(trainIndices, last);
    const test = cfg.test && data.test !== undefined && !stopped ? run.evaluate(data.test) : undefined;
    const diagnostics = run.recorder?.result();
    return {
      epochs: run.metrics,
      ...(test === undefined ? {} : { testAccuracy: test.accuracy, testLoss: test.loss }),
      seconds: (performance.now() - started) / 1000,
      steps: run.step,
      stopped,
      ...(diagnostics === undefined ? {} : { diagnostics }),
      ...(run.qatFrom === undefined ? {} : { qatSteps: Math.max(0, run.step - run.qatFrom) }),
      ...(options.keepState === true && !stopped
        ? { state: { seed: cfg.seed, epoch: last, step: run.step, epochs: run.metrics, arrays: engine.readState() } }
        : {}),
    };
  } finally {
    run?.dispose();
    engine.dispose();
  }
}

/** A state fits a run with its seed whose epoch `state.epoch` ends at step `state.step` (same data, batch size, epochs). */
function checkResume(state: TrainState, plan: RunPlan, seed: string): void {
  if (state.seed !== seed)
    throw new TrainConfigError([
      `resume: the training state's run has seed "${state.seed}", this run "${seed}" (a continuation keeps the seed of the run it continues)`,
    ]);
  const ends = Math.min(state.epoch * plan.stepsPerEpoch, plan.totalSteps);
  if (state.epoch > plan.epochs || state.step !== ends)
    throw new TrainConfigError([
      `resume: the training state is at step ${state.step} after epoch ${state.epoch}; in this run epoch ${state.epoch} ends at step ${ends} of ${plan.totalSteps} (another data set, batch size or budget)`,
    ]);
}

/** Running sums of an epoch's steps. */
type EpochSums = { lossSum: number; correct: number; seen: number; lastLr: number };

/** The state of one run between steps. */
class Run {
  readonly metrics: EpochMetrics[] = [];
  step = 0;
  /** 1, or the epoch after a resumed state's. */
  private readonly firstEpoch: number;
  /** The first quantization-aware step, with `qat`. */
  readonly qatFrom: number | undefined;
  private readonly schedule: StepSchedule;
  private readonly buffer: BatchBuffer;
  private readonly evalBuffer: BatchBuffer;
  /** With diagnostics. */
  readonly recorder: DiagnosticsRecorder | undefined;
  /** With activation diagnostics: the probe batch, fixed for the run. */
  private readonly probe: Tensor4D | undefined;
  /** With histograms: the gradients of the epoch's last step, the probes' outputs at its last check. */
  private lastGradients: readonly ArrayLike<number>[] | undefined;
  private lastActivations: readonly ArrayLike<number>[] | undefined;
  private lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly engine: Engine,
    private readonly data: TrainData,
    private readonly cfg: ResolvedTrainConfig,
    private readonly plan: RunPlan,
    private readonly hooks: TrainHooks,
    private readonly rng: Rng,
    trainIndices: Uint32Array,
    probes: readonly ProbePoint[],
    resume: TrainState | undefined,
  ) {
    this.firstEpoch = (resume?.epoch ?? 0) + 1;
    this.step = resume?.step ?? 0;
    this.metrics.push(...(resume?.epochs ?? []));
    this.schedule = toStepSchedule(cfg.schedule, plan.stepsPerEpoch);
    this.buffer = new BatchBuffer(data.train.set.shape, cfg.batchSize);
    this.evalBuffer = new BatchBuffer(data.train.set.shape, cfg.evalBatchSize);
    this.qatFrom = qatStartStep(plan, cfg);
    this.recorder = cfg.diagnostics.enabled
      ? new DiagnosticsRecorder(cfg.diagnostics, engine.params, probes)
      : undefined;
    this.probe = cfg.diagnostics.activations ? this.probeBatch(trainIndices) : undefined;
  }

  /**
   * The probe batch: the first `batchSize` images of the validation part (else of the training
   * subset), transformed for evaluation, in inference mode at every check.
   */
  private probeBatch(trainIndices: Uint32Array): Tensor4D {
    const part = this.data.validation ?? { set: this.data.train.set, indices: trainIndices };
    const count = Math.min(this.cfg.batchSize, part.indices.length);
    const batch = new BatchBuffer(part.set.shape, count).next(
      part.set,
      part.indices,
      0,
      this.data.transform?.eval,
      new Rng('probe'),
    );
    batch.labels.dispose();
    return batch.x;
  }

  dispose(): void {
    this.probe?.dispose();
  }

  /** Trains the epochs after the resumed state's (from 1 without one) to `last`; true if a stop was requested. */
  async epochs(indices: Uint32Array, last: number): Promise<boolean> {
    for (let epoch = this.firstEpoch; epoch <= last; epoch++) {
      this.hooks.throwIfStopped?.();
      const begun = performance.now();
      const done = await this.epoch(epoch, indices).catch((error: unknown) => {
        if (error instanceof DiagnosticsStopError || error instanceof DivergedError) this.reportDiagnostics(epoch);
        throw error;
      });
      if (done === undefined) return true;
      if (this.cfg.diagnostics.histograms)
        this.recorder?.addHistograms(
          epoch,
          this.engine.paramValues(),
          this.lastGradients ?? [],
          this.lastActivations ?? [],
        );
      this.lastActivations = undefined; // the probe batch's every value: not kept past its histograms
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
      this.reportDiagnostics(epoch);
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
      const batch = this.buffer.next(
        this.data.train.set,
        order,
        s * this.cfg.batchSize,
        this.data.transform?.train,
        augment,
      );
      const last = s === steps - 1;
      const check =
        this.recorder?.isCheck(this.step + 1, last) === true ? this.recorder.request(this.probe, last) : undefined;
      let stats: EngineStep;
      try {
        stats = this.engine.step(batch, lr, dropout, this.qatFrom !== undefined && this.step >= this.qatFrom, check);
      } finally {
        loadTf().dispose([batch.x, batch.labels]);
      }
      this.step += 1;
      this.hooks.throwIfStopped?.();
      if (stats.check !== undefined) this.checked(epoch, stats.check);
      if (!Number.isFinite(stats.loss))
        throw new DivergedError(this.step, epoch, stats.loss, this.metrics, this.recorder?.result());
      sums.lossSum += stats.loss * batch.count;
      sums.correct += stats.correct;
      sums.seen += batch.count;
      sums.lastLr = lr;
      this.report(epoch, sums);
      this.progress(epoch, sums.lossSum / sums.seen, lr);
      await nextTurn();
    }
    return sums;
  }

  evaluate(part: IndexedImages): Evaluation {
    const transform = this.data.transform?.eval;
    const options = {
      batchSize: this.cfg.evalBatchSize,
      buffer: this.evalBuffer,
      ...(transform === undefined ? {} : { transform }),
    };
    return evaluateBatches(part, options, (batch) => this.engine.evaluateBatch(batch));
  }

  /** Records a check's figures; a flag that `stopOn` names stops the run. */
  private checked(epoch: number, figures: CheckFigures): void {
    const recorder = this.recorder as DiagnosticsRecorder;
    if (figures.gradientValues !== undefined) this.lastGradients = figures.gradientValues;
    if (figures.activationValues !== undefined) this.lastActivations = figures.activationValues;
    const stop = recorder.record(this.step, epoch, figures).find((f) => this.cfg.diagnostics.stopOn.includes(f.kind));
    if (stop !== undefined) throw new DiagnosticsStopError(stop, epoch, this.metrics, recorder.result());
  }

  /** A step report, when this step is one of `hooks.report`'s and there is a validation part. */
  private report(epoch: number, sums: EpochSums): void {
    const { report } = this.hooks;
    const validation = this.data.validation;
    if (report === undefined || validation === undefined || this.step % report.every !== 0) return;
    const evaluation = this.evaluate(validation);
    report.on({
      step: this.step,
      epoch,
      of: Math.floor(this.plan.totalSteps / report.every),
      trainLoss: sums.lossSum / sums.seen,
      trainAccuracy: sums.correct / sums.seen,
      validationLoss: evaluation.loss,
      validationAccuracy: evaluation.accuracy,
    });
  }

  private reportDiagnostics(epoch: number): void {
    const record = this.recorder?.takeEpoch(epoch);
    if (record !== undefined) this.hooks.onDiagnostics?.(record);
  }

  private progress(epoch: number, loss: number, learningRate: number): void {
    const { onProgress, progressIntervalMs = 1000 } = this.hooks;
    const now = performance.now();
    if (onProgress === undefined || now - this.lastProgress < progressIntervalMs) return;
    this.lastProgress = now;
    onProgress({
      epoch,
      epochs: this.plan.epochs,
      step: this.step,
      totalSteps: this.plan.totalSteps,
      loss,
      learningRate,
    });
  }
}
