import type { SegmentSpec } from '../../space/cost/segments.js';
import { resolveDiagnostics, type DiagnosticsConfig, type ResolvedDiagnostics } from './diagnostics-config.js';
import { TrainConfigError } from './errors.js';
import { withOptimizerDefaults, type OptimizerConfig, type ResolvedOptimizer } from './optimizers.js';
import { withScheduleDefaults, type ScheduleConfig } from './schedule.js';

/** How to train one model: plain JSON (it crosses to worker threads). Defaults in docs/training.md. */
export type TrainConfig = {
  /** Seeds the data subset, the per-epoch order, augmentation, dropout masks (and, in trainArch, the weights). */
  readonly seed: string | number;
  /** Fidelity: epochs to train (default 1). Give epochs or steps, not both. */
  readonly epochs?: number;
  /** Fidelity: optimizer steps to train instead of whole epochs; the last epoch may be cut short. */
  readonly steps?: number;
  /** Fidelity: fraction of the training part used, in (0, 1]; default 1. Nested for one seed. */
  readonly dataFraction?: number;
  /** Default 128. */
  readonly batchSize?: number;
  /** Drop the last, smaller batch of every epoch; default false. */
  readonly dropLast?: boolean;
  /** Default SGD, momentum 0.9, Nesterov, L2 weight decay 5e-4 on kernels. */
  readonly optimizer?: OptimizerConfig;
  /** Default cosine from 0.1 (SGD) or 1e-3 (Adam, AdamW) to 0, no warm-up. */
  readonly schedule?: ScheduleConfig;
  /** ε in [0, 1); default 0. */
  readonly labelSmoothing?: number;
  /** Clip gradients to this global norm; default none. */
  readonly clipNorm?: number;
  /** Batch size of validation and test evaluation; default 500. */
  readonly evalBatchSize?: number;
  /** Evaluate the test part at the end; default false. */
  readonly test?: boolean;
  /** Weight initialisation, used by trainArch when it builds the model; default 'he'. */
  readonly init?: 'he' | 'glorot';
  /**
   * What runs the steps: 'compiled' (default; one TensorFlow graph per network, one native call per
   * step, src/eval/compile) or 'eager' (tfjs ops one by one). Networks the compiler cannot take train
   * eagerly; the trial records which engine trained it.
   */
  readonly engine?: TrainEngine;
  /**
   * Gradient checkpointing (compiled engine): keep only the tensors crossing the cuts between K
   * segments and recompute each segment in the backward pass; `'sqrt'` for ⌈√N⌉ of N nodes.
   */
  readonly checkpointing?: { readonly segments: SegmentSpec };
  /**
   * 'bf16' (compiled engine): the training step's activation ops in bfloat16, float32 master weights,
   * BatchNorm statistics, loss and optimizer; where the machine cannot run it fast, float32 (the
   * trial records why). Default 'fp32'.
   */
  readonly precision?: TrainPrecision;
  /** Quantization-aware training for the last part of the run (compiled engine; docs/training.md). */
  readonly qat?: QatConfig;
  /** Design part 6 diagnostics, off by default; `true` for everything at the defaults (diagnostics-config.ts). */
  readonly diagnostics?: DiagnosticsConfig;
};

export type TrainEngine = 'compiled' | 'eager';

export type TrainPrecision = 'fp32' | 'bf16';

/**
 * Quantization-aware training: the last `epochs` epochs (an epochs budget), or the last `fraction` of
 * the steps (either budget), train with the full-integer network's fake quantization in the forward
 * pass. `momentum` (default 0.99) is that of the activations' moving ranges.
 */
export type QatConfig = { readonly epochs?: number; readonly fraction?: number; readonly momentum?: number };

/** A checked QatConfig: exactly one of `epochs` and `fraction`. */
export type ResolvedQat = (
  | { readonly epochs: number; readonly fraction?: undefined }
  | { readonly fraction: number; readonly epochs?: undefined }
) & { readonly momentum: number };

/** The moving ranges' momentum when `qat.momentum` is not given. */
export const DEFAULT_QAT_MOMENTUM = 0.99;

/** A TrainConfig with every default filled in and checked; frozen. */
export type ResolvedTrainConfig = {
  readonly seed: string;
  readonly budget: { readonly unit: 'epochs' | 'steps'; readonly count: number };
  readonly dataFraction: number;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: ScheduleConfig;
  readonly labelSmoothing: number;
  readonly clipNorm?: number;
  readonly evalBatchSize: number;
  readonly test: boolean;
  readonly init: 'he' | 'glorot';
  readonly engine: TrainEngine;
  readonly checkpointing?: { readonly segments: SegmentSpec };
  readonly precision: TrainPrecision;
  readonly qat?: ResolvedQat;
  readonly diagnostics: ResolvedDiagnostics;
};

/** Checks a TrainConfig and fills its defaults; throws {@link TrainConfigError} listing every problem. */
export function resolveTrainConfig(config: TrainConfig): ResolvedTrainConfig {
  const problems: string[] = [];
  const check = (ok: boolean, path: string, expected: string, got: unknown) => {
    if (!ok) problems.push(`${path}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
  };
  const positiveInt = (path: string, v: number | undefined) =>
    check(v === undefined || (Number.isInteger(v) && v > 0), path, 'a positive integer', v);
  const inRange = (path: string, v: number | undefined, lo: number, hi: number, hiOpen = true) =>
    check(
      v === undefined || (v >= lo && (hiOpen ? v < hi : v <= hi)),
      path,
      `a number in [${lo}, ${hi}${hiOpen ? ')' : ']'}`,
      v,
    );

  check(
    typeof config.seed === 'string' || Number.isFinite(config.seed),
    'seed',
    'a string or a finite number',
    config.seed,
  );
  check(
    !(config.epochs !== undefined && config.steps !== undefined),
    'steps',
    'epochs or steps, not both',
    config.steps,
  );
  positiveInt('epochs', config.epochs);
  positiveInt('steps', config.steps);
  check(
    config.dataFraction === undefined || (config.dataFraction > 0 && config.dataFraction <= 1),
    'dataFraction',
    'a number in (0, 1]',
    config.dataFraction,
  );
  positiveInt('batchSize', config.batchSize);
  positiveInt('evalBatchSize', config.evalBatchSize);
  inRange('labelSmoothing', config.labelSmoothing, 0, 1);
  check(
    config.engine === undefined || config.engine === 'compiled' || config.engine === 'eager',
    'engine',
    "'compiled' or 'eager'",
    config.engine,
  );
  const segments = config.checkpointing?.segments;
  check(
    config.checkpointing === undefined ||
      segments === 'sqrt' ||
      (Number.isInteger(segments) && (segments as number) > 0),
    'checkpointing.segments',
    "a positive integer or 'sqrt'",
    segments,
  );
  check(
    config.precision === undefined || config.precision === 'fp32' || config.precision === 'bf16',
    'precision',
    "'fp32' or 'bf16'",
    config.precision,
  );
  check(
    config.precision !== 'bf16' || config.engine !== 'eager',
    'precision',
    "'fp32' with engine 'eager' (only the compiled engine trains in bf16)",
    config.precision,
  );
  check(
    config.checkpointing === undefined || config.engine !== 'eager',
    'checkpointing',
    "no checkpointing with engine 'eager' (only the compiled engine recomputes segments)",
    config.checkpointing,
  );
  check(config.clipNorm === undefined || config.clipNorm > 0, 'clipNorm', 'a positive number', config.clipNorm);
  if (config.qat !== undefined) checkQat(config, check, inRange);
  const diagnostics = resolveDiagnostics(config.diagnostics, (path, expected, got) =>
    check(false, path, expected, got),
  );
  const optimizer = withOptimizerDefaults(config.optimizer ?? { kind: 'sgd' });
  checkOptimizer(optimizer, check, inRange);
  const schedule = withScheduleDefaults(
    config.schedule ?? { kind: 'cosine', lrMax: optimizer.kind === 'sgd' ? 0.1 : 1e-3 },
  );
  checkSchedule(schedule, config.epochs, check, inRange);
  if (problems.length > 0) throw new TrainConfigError(problems);

  const budget =
    config.steps !== undefined
      ? ({ unit: 'steps', count: config.steps } as const)
      : ({ unit: 'epochs', count: config.epochs ?? 1 } as const);
  return Object.freeze({
    seed: String(config.seed),
    budget,
    dataFraction: config.dataFraction ?? 1,
    batchSize: config.batchSize ?? 128,
    dropLast: config.dropLast ?? false,
    optimizer,
    schedule,
    labelSmoothing: config.labelSmoothing ?? 0,
    ...(config.clipNorm === undefined ? {} : { clipNorm: config.clipNorm }),
    evalBatchSize: config.evalBatchSize ?? 500,
    test: config.test ?? false,
    init: config.init ?? 'he',
    engine: config.engine ?? 'compiled',
    precision: config.precision ?? 'fp32',
    ...(config.checkpointing === undefined ? {} : { checkpointing: { segments: config.checkpointing.segments } }),
    ...(config.qat === undefined ? {} : { qat: resolvedQat(config.qat) }),
    diagnostics,
  });
}

type Check = (ok: boolean, path: string, expected: string, got: unknown) => void;
type InRange = (path: string, v: number | undefined, lo: number, hi: number, hiOpen?: boolean) => void;

function checkQat(config: TrainConfig, check: Check, inRange: InRange): void {
  const qat = config.qat as QatConfig;
  const { epochs, fraction } = qat;
  check(
    (epochs === undefined) !== (fraction === undefined),
    'qat',
    'exactly one of qat.epochs (the last epochs) or qat.fraction (the last fraction of the steps)',
    qat,
  );
  if (epochs !== undefined && config.steps !== undefined) {
    check(false, 'qat.epochs', 'qat.fraction with a budget in steps (the last fraction of the steps)', epochs);
  } else if (epochs !== undefined) {
    const total = config.epochs ?? 1;
    check(
      Number.isInteger(epochs) && epochs >= 1 && epochs <= total,
      'qat.epochs',
      `an integer in [1, ${total}] (at most the run's epochs)`,
      epochs,
    );
  }
  check(fraction === undefined || (fraction > 0 && fraction <= 1), 'qat.fraction', 'a number in (0, 1]', fraction);
  inRange('qat.momentum', qat.momentum, 0, 1);
  check(
    config.engine !== 'eager',
    'qat',
    "no quantization-aware training with engine 'eager' (only the compiled engine has a fake-quantized training step)",
    qat,
  );
}

function resolvedQat(qat: QatConfig): ResolvedQat {
  const momentum = qat.momentum ?? DEFAULT_QAT_MOMENTUM;
  return qat.epochs !== undefined ? { epochs: qat.epochs, momentum } : { fraction: qat.fraction as number, momentum };
}

function checkOptimizer(o: ResolvedOptimizer, check: Check, inRange: InRange): void {
  check(['sgd', 'adam', 'adamw'].includes(o.kind), 'optimizer.kind', "'sgd', 'adam' or 'adamw'", o.kind);
  check(o.weightDecay >= 0, 'optimizer.weightDecay', 'a number ≥ 0', o.weightDecay);
  check(o.decayOn === 'kernels' || o.decayOn === 'all', 'optimizer.decayOn', "'kernels' or 'all'", o.decayOn);
  if (o.kind === 'sgd') {
    inRange('optimizer.momentum', o.momentum, 0, 1);
    check(
      !(o.nesterov && o.momentum === 0),
      'optimizer.nesterov',
      'false when momentum is 0 (Nesterov needs momentum)',
      o.nesterov,
    );
  } else {
    inRange('optimizer.beta1', o.beta1, 0, 1);
    inRange('optimizer.beta2', o.beta2, 0, 1);
    check(o.epsilon > 0, 'optimizer.epsilon', 'a positive number', o.epsilon);
  }
}

function checkSchedule(s: ScheduleConfig, epochs: number | undefined, check: Check, inRange: InRange): void {
  const positive = (path: string, v: number) =>
    check(Number.isFinite(v) && v >= 0, `schedule.${path}`, 'a finite number ≥ 0', v);
  switch (s.kind) {
    case 'constant':
      return positive('lr', s.lr);
    case 'cosine':
      positive('lrMax', s.lrMax);
      positive('lrMin', s.lrMin ?? 0);
      check((s.lrMin ?? 0) <= s.lrMax, 'schedule.lrMin', `≤ lrMax (${s.lrMax})`, s.lrMin);
      positive('warmupEpochs', s.warmupEpochs ?? 0);
      check(
        epochs === undefined || (s.warmupEpochs ?? 0) < epochs,
        'schedule.warmupEpochs',
        `< epochs (${epochs})`,
        s.warmupEpochs,
      );
      if (s.restart !== undefined) {
        check(s.restart.t0Epochs > 0, 'schedule.restart.t0Epochs', 'a positive number', s.restart.t0Epochs);
        check(
          Number.isInteger(s.restart.tMult) && (s.restart.tMult ?? 1) >= 1,
          'schedule.restart.tMult',
          'an integer ≥ 1',
          s.restart.tMult,
        );
      }
      return;
    case 'one-cycle':
      positive('lrMax', s.lrMax);
      positive('lrMin', s.lrMin ?? 0);
      inRange('schedule.riseFraction', s.riseFraction, 0, 1);
      inRange('schedule.finalFraction', s.finalFraction, 0, 1);
      check((s.riseFraction ?? 0) + (s.finalFraction ?? 0) < 1, 'schedule', 'riseFraction + finalFraction < 1', s);
      return;
    default:
      check(false, 'schedule.kind', "'constant', 'cosine' or 'one-cycle'", (s as { kind: unknown }).kind);
  }
}
