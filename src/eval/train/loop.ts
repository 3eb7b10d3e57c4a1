import type { LayersModel, Tensor4D } from '@tensorflow/tfjs-node';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EpochMetrics } from '../../core/trial.js';
import { Rng } from '../../core/rng.js';
import { loadTf } from '../../backend/tf.js';
import { BatchBuffer, epochOrder, subsetOf, type IndexedImages, type TrainData } from './batches.js';
import { resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from './config.js';
import { DiagnosticsRecorder, type CheckFigures } from './diagnostics.js';
import { compiledEngine, eagerEngine, type Engine, type EngineStep } from './engines.js';
import { DiagnosticsStopError, DivergedError, TrainConfigError } from './errors.js';
import { modelProbePoints, type ProbePoint } from './probes.js';
import { evaluateBatches, type Evaluation } from './evaluate.js';
import { lrAt, toStepSchedule, type StepSchedule } from './schedule.js';
import { checkData, planRun, qatStartStep, type RunPlan } from './plan.js';
import type { TrainState } from './train-state.js';
import type { TrainEngineOptions, TrainHooks, TrainResult, TrainSpan } from './run-options.js';

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
      this.hooks.onEpoch?.(metrics, this.plan.epochs);
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
