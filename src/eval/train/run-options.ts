// What a training run is given besides its model, data and config (hooks, the engine, the span of a
// continued run) and what it gives back (src/eval/train/loop.ts).
import type { EpochMetrics, StepReport } from '../../core/trial.js';
import type { TrainDiagnostics } from '../../core/diagnostics.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import type { CompiledSteps } from './engines.js';
import type { ProbePoint } from './probes.js';
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
  /** After every epoch, with the run's epoch count (the last epoch it will train). */
  readonly onEpoch?: (metrics: EpochMetrics, epochs: number) => void;
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
