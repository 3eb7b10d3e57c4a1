// The worker entry of the trial pool (a Piscina task, run in a worker thread of the pool host):
// freeze the sample, check it, price it, build, train, measure, and return plain data. Errors are
// thrown with a `reason` (FailureReason) that the driver records.
import { mkdir, rm } from 'node:fs/promises';
import type { WorkerTask } from '../../backend/pool/protocol.js';
import type { TrialProgress } from '../../core/events.js';
import type { TrialOutcome } from '../../core/trial.js';
import { diagnosticsSummary } from '../../core/trial-diagnostics.js';
import { ArchError } from '../../core/errors.js';
import { costOf } from '../../space/cost/index.js';
import { createSpace } from '../../space/spaces/index.js';
import { assertArch } from '../../space/validate.js';
import { buildModel } from '../../eval/build/build-model.js';
import { measureLatencyMs } from '../../eval/latency.js';
import { resolveTrainConfig, type TrainHooks } from '../../eval/train/index.js';
import { trainModel, type QuantizationAwareResult } from '../../eval/train-model.js';
import { writeQatRanges } from '../../eval/quantize/qat-ranges.js';
import type { TrialTask } from './trial-task.js';
import { trialData } from './trial-data.js';
import { configAt, dataAt } from './fidelity.js';
import { saveTrialState, trialSpan } from './continuation.js';
import { trainCostOptions } from '../train-cost.js';
import { keepModelsOf, trialModelDir } from '../model-store.js';
import { DISK_REFUSALS, diskRefusal } from '../../backend/storage/disk-refusal.js';

/** Inference latency of a trained trial: batch 1, median of 5 after 2 warm-up runs. */
const LATENCY = { batch: 1, warmup: 2, repeats: 5 } as const;

export default async function evaluateTrial({
  payload: task,
  port,
  throwIfStopped,
}: WorkerTask<TrialTask, TrialProgress>): Promise<TrialOutcome> {
  throwIfStopped(); // from here on, a pruned or cancelled trial ends itself and this thread stays warm
  const config = configAt(task.config, task.fidelity);
  const started = performance.now();
  const loaded = await trialData(config);
  const { numClasses, shape } = loaded;
  const data = dataAt(loaded.data, task.fidelity);
  const space = createSpace(config.space.name, config.space.options);
  const issues = space.validate(task.sample);
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw Object.assign(new Error(`not a sample of space ${config.space.name}: ${list}`), { reason: 'invalid' });
  }
  let arch;
  try {
    arch = assertArch(space.freeze(task.sample), { inputShape: shape, classes: numClasses });
  } catch (error) {
    throw Object.assign(error as Error, { reason: error instanceof ArchError ? 'invalid' : 'error' });
  }
  const { span, note } = await trialSpan(task, config);
  // A continuation trains on with the seed of the run it continues (data order, augmentation, dropout).
  const trainConfig = resolveTrainConfig({ ...config.train, seed: span.resume?.seed ?? task.seed });
  const model = buildModel(arch, { seed: task.seed, init: trainConfig.init });
  const send = (progress: TrialProgress) => port.postMessage(progress);
  if (note !== undefined) send({ kind: 'note', text: note });
  try {
    const hooks: TrainHooks = {
      throwIfStopped,
      onEpoch: (metrics, of) => send({ kind: 'epoch', metrics, of }),
      onDiagnostics: (record) => send({ kind: 'diagnostics', every: trainConfig.diagnostics.every, record }),
      ...(config.pruner?.reportEvery === undefined
        ? {}
        : { report: { every: config.pruner.reportEvery, on: (report) => send({ kind: 'report', report }) } }),
      onProgress: (p) =>
        send({
          kind: 'batch',
          epoch: p.epoch,
          fraction: epochFraction(p.step, p.totalSteps, p.epoch, p.epochs),
          loss: p.loss,
        }),
    };
    const result = await trainModel(arch, model, data, trainConfig, {
      hooks,
      span,
      ...(config.measureLatency ? { latency: LATENCY } : {}),
    });
    if (result.state !== undefined) await saveTrialState(config, task.number, result.state);
    const last = result.epochs[result.epochs.length - 1];
    const cost = costOf(arch, trainCostOptions(trainConfig, result.engine));
    const measuredLatencyMs = config.measureLatency ? measureLatencyMs(model, LATENCY.batch, LATENCY) : undefined;
    if (keepModelsOf(config) !== 'none')
      await saveModel(model, trialModelDir(config, task.number), result.quantizationAware);
    return {
      metrics: {
        validationAccuracy: last?.validationAccuracy ?? Number.NaN,
        validationLoss: last?.validationLoss ?? Number.NaN,
        negValidationLoss: -(last?.validationLoss ?? Number.NaN),
        trainLoss: last?.trainLoss ?? Number.NaN,
        trainAccuracy: last?.trainAccuracy ?? Number.NaN,
        ...(result.testAccuracy === undefined ? {} : { testAccuracy: result.testAccuracy }),
        ...fullIntegerMetrics(result.quantizationAware),
      },
      cost: {
        params: cost.params.trainable,
        paramsTotal: cost.params.total,
        macs: cost.macs,
        trainMemoryBytes: cost.memory.trainTotal,
        inferenceMemoryBytes: cost.memory.inferenceActivations,
        estimatedLatencyMs: cost.latency.estimatedMs,
        ...(measuredLatencyMs === undefined ? {} : { measuredLatencyMs }),
        ...(result.compiledLatencyMs === undefined ? {} : { compiledLatencyMs: result.compiledLatencyMs }),
      },
      epochs: result.epochs,
      engine: result.engine,
      // The checks and histograms went out epoch by epoch (onDiagnostics); the outcome keeps the interval and the flags.
      ...(result.diagnostics === undefined ? {} : { diagnostics: diagnosticsSummary(result.diagnostics) }),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
}

/** The full-integer network's accuracy and loss after quantization-aware training (docs/training.md). */
function fullIntegerMetrics(qat: QuantizationAwareResult | undefined): Record<string, number> {
  return {
    ...(qat?.validation === undefined
      ? {}
      : { fullIntegerValidationAccuracy: qat.validation.accuracy, fullIntegerValidationLoss: qat.validation.loss }),
    ...(qat?.test === undefined ? {} : { fullIntegerTestAccuracy: qat.test.accuracy }),
  };
}

/**
 * Saves the trained model for `nas export`, with the ranges quantization-aware training learned
 * (qat-ranges.json). A disk that is full or read-only fails the trial with reason `disk-full` or
 * `read-only`, on which the driver stops the search resumably; any other failure to save leaves the
 * trial as it is (the model is just not exported). A half-written folder is removed either way.
 */
async function saveModel(
  model: ReturnType<typeof buildModel>,
  dir: string,
  qat: QuantizationAwareResult | undefined,
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true }); // tfjs's file:// handler creates only the last folder
    await model.save(`file://${dir}`);
    if (qat !== undefined) await writeQatRanges(dir, qat.ranges);
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    const refusal = diskRefusal(`cannot save the trial's model in ${dir}`, error);
    if (refusal !== undefined) throw Object.assign(refusal, { reason: DISK_REFUSALS[refusal.code] });
    // NOTE: other failures are deliberately ignored — `nas export` reports the missing model when asked for it.
  }
}

/** How far the current epoch (from 1) is, from the run's step counts. */
function epochFraction(step: number, totalSteps: number, epoch: number, epochs: number): number {
  const perEpoch = totalSteps / epochs;
  return Math.min(1, Math.max(0, (step - (epoch - 1) * perEpoch) / perEpoch));
}
