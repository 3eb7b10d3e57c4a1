// A stored experiment whose trials carry training diagnostics, for `nas show` and `nas report`: the
// tiny macro network (a 3×3 stem, basic blocks of 8 on 8×8×1) with checks written by hand under its
// real layer names, the flags raised by the real flag watcher (default thresholds), each trial
// recorded as the driver records one (created RUNNING, finished with its outcome; storage splits the
// diagnostics into per-epoch records).
import path from 'node:path';
import type { Json } from '../../src/core/arch.js';
import type { ActivationProbe, DiagnosticCheck, DiagnosticFlag, LayerNorms } from '../../src/core/diagnostics.js';
import type { DiagnosticEpoch } from '../../src/core/trial-diagnostics.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { flagsOf } from '../../src/eval/train/diagnostic-flags.js';
import { DEFAULT_THRESHOLDS } from '../../src/eval/train/diagnostics-config.js';
import { configToStore } from '../../src/run/stored-config.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { testConfig } from '../run/helpers.js';
import { tempDir } from './helpers.js';
import { stage, TINY_SPACE } from './review-fixture.js';

/** Checks at steps 10, 20, 30 (epoch 0) and 40, 50, 60 (epoch 1). */
export const STEPS = [10, 20, 30, 40, 50, 60];
export const EVERY = 10;

/** One basic block (trials 0, 2, 4) or two (trial 3). */
export const ONE_BLOCK: Json = { stages: [stage('basic', 8, 1, 1)] };
export const TWO_BLOCKS: Json = { stages: [stage('basic', 8, 2, 1)] };

/** The weight layers of the one-block network, in node order, and a healthy gradient and weight norm of each. */
const WEIGHTS: readonly [string, number, number][] = [
  ['stem', 0.5, 3],
  ['stem_bn', 0.05, 4],
  ['layer1.0_conv1', 0.4, 2.5],
  ['layer1.0_bn1', 0.04, 2.8],
  ['layer1.0_conv2', 0.3, 2],
  ['layer1.0_bn2', 0.03, 2.8],
  ['layer1.0_proj', 0.2, 1.5],
  ['layer1.0_proj_bn', 0.02, 2.8],
  ['fc', 0.6, 1.2],
];

/** Trial 0: layer1.0_conv2's and layer1.0_proj's gradients fade (ratios below 1e-6 from step 30), stem_act's channels are dead. */
export const FADING = [1e-2, 1e-4, 1e-6, 1e-7, 1e-7, 1e-8];
export const DEAD = 0.95;

function probes(overrides: Readonly<Record<string, Partial<ActivationProbe>>>): ActivationProbe[] {
  const base: ActivationProbe[] = [
    { layer: 'stem_bn', kind: 'bn', mean: 0.01, std: 0.9, channelMeanAbs: 0.1, channelStd: 0.95 },
    { layer: 'stem_act', kind: 'relu', mean: 0.4, std: 0.6, zeroFraction: 0.5, deadFraction: 0 },
    { layer: 'layer1.0_bn1', kind: 'bn', mean: 0.02, std: 0.9, channelMeanAbs: 0.2, channelStd: 1.1 },
    { layer: 'layer1.0_relu1', kind: 'relu', mean: 0.4, std: 0.6, zeroFraction: 0.5, deadFraction: 0.125 },
    { layer: 'layer1.0_bn2', kind: 'bn', mean: 0.03, std: 0.8, channelMeanAbs: 0.3, channelStd: 0.9 },
    { layer: 'layer1.0_proj_bn', kind: 'bn', mean: 0, std: 1, channelMeanAbs: 0.05, channelStd: 1 },
    { layer: 'layer1.0', kind: 'block', mean: 0.5, std: 0.7, channelMeanAbs: 0.5, channelStd: 0.6 },
  ];
  return base.map((p) => ({ ...p, ...overrides[p.layer] }));
}

function check(
  i: number,
  global: number,
  grads: Readonly<Record<string, number>>,
  acts: Readonly<Record<string, Partial<ActivationProbe>>>,
): DiagnosticCheck {
  const layers: LayerNorms[] = WEIGHTS.map(([layer, grad, weight]) => ({
    layer,
    gradNorm: grads[layer] ?? grad * (1 - i / 10),
    weightNorm: weight + i / 100,
  }));
  return { step: STEPS[i] as number, epoch: i < 3 ? 0 : 1, globalGradNorm: global, layers, activations: probes(acts) };
}

/** Trial 0's checks: two fading gradients and a dead ReLU. */
export function fadingChecks(): DiagnosticCheck[] {
  return STEPS.map((_, i) =>
    check(
      i,
      1 - i / 10,
      { 'layer1.0_conv2': FADING[i] as number, 'layer1.0_proj': (FADING[i] as number) / 2 },
      { stem_act: { deadFraction: DEAD, zeroFraction: 0.97 } },
    ),
  );
}

/** Trial 2's checks: a global norm that jumps 50× at step 30, stem_bn's mean drifted from the start, the block collapsed from step 40. */
export function driftingChecks(): DiagnosticCheck[] {
  return STEPS.map((_, i) =>
    check(
      i,
      i === 2 ? 50 : 1,
      {},
      { stem_bn: { channelMeanAbs: 1.5 }, ...(i >= 3 ? { 'layer1.0': { channelStd: 1e-4 } } : {}) },
    ),
  );
}

/** Trial 3's checks (two blocks): its second block's first ReLU is dead. */
export function twoBlockChecks(): DiagnosticCheck[] {
  return STEPS.map((_, i) => ({
    step: STEPS[i] as number,
    epoch: i < 3 ? 0 : 1,
    globalGradNorm: 1,
    activations: [{ layer: 'layer1.1_relu1', kind: 'relu', mean: 0, std: 0, zeroFraction: 1, deadFraction: 1 }],
  }));
}

/** Checks as the trial reports them live, one record per epoch (a flag in the epoch of the check that raised it), and the flags they raise. */
function perEpoch(checks: readonly DiagnosticCheck[]): { epochs: DiagnosticEpoch[]; flags: DiagnosticFlag[] } {
  const flags = flagsOf(checks, DEFAULT_THRESHOLDS);
  const epochs = [...new Set(checks.map((c) => c.epoch))].map((epoch) => {
    const own = checks.filter((c) => c.epoch === epoch);
    const steps = new Set(own.map((c) => c.step));
    const histograms = [{ epoch, layer: 'stem', kind: 'weight' as const, min: -1, max: 1, counts: [2, 5, 2] }];
    return { epoch, checks: own, histograms, flags: flags.filter((f) => steps.has(f.step)) };
  });
  return { epochs, flags };
}

/**
 * A SQLite file with experiment "diag" (the tiny macro space, diagnostics on):
 * - #0 COMPLETE, {@link fadingChecks}: vanishing on layer1.0_conv2 and layer1.0_proj, dead-relu on stem_act;
 * - #1 COMPLETE without diagnostics;
 * - #2 COMPLETE, {@link driftingChecks}: exploding (global), bn-drift on stem_bn, collapse on layer1.0;
 * - #3 COMPLETE (two blocks), {@link twoBlockChecks}: dead-relu on layer1.1_relu1;
 * - #4 RUNNING, one live epoch of trial 0's first checks stored and no record yet;
 * - #5 FAILED diverged, no diagnostics;
 * - #6 FAILED `diagnostics` (stopped on exploding): trial 2's first epoch stored, its flags on the trial's record.
 */
export async function diagnosticsStorage(): Promise<string> {
  const file = path.join(tempDir('nas-diag-'), 'nas.sqlite');
  const config = configToStore(
    testConfig({
      name: 'diag',
      storage: file,
      space: { name: 'macro', options: { ...TINY_SPACE, depths: [1, 2] } },
      dataset: { name: 'synthetic', options: {}, validationFraction: 0.2 },
      workers: 1,
      budget: { trials: 7 },
      train: { epochs: 2, batchSize: 32, diagnostics: { every: EVERY } },
    }),
  );
  const space = createSpace(config.space.name, config.space.options);
  const storage = await openSqliteStorage(file);
  try {
    const experiment = await storage.createExperiment({
      name: 'diag',
      config: config as unknown as Json,
      seed: config.seed,
    });
    const trials: [Json, DiagnosticCheck[] | undefined][] = [
      [ONE_BLOCK, fadingChecks()],
      [ONE_BLOCK, undefined],
      [ONE_BLOCK, driftingChecks()],
      [TWO_BLOCKS, twoBlockChecks()],
    ];
    for (const [number, [sample, checks]] of trials.entries()) {
      const record = await storage.createTrial(experiment.id, { number, sample, key: space.key(sample) });
      const run = checks === undefined ? undefined : perEpoch(checks);
      for (const epoch of run?.epochs ?? []) await storage.addDiagnostics(record.id, epoch);
      const outcome = {
        metrics: { validationAccuracy: 0.5 + number / 10 },
        cost: {
          params: 1000,
          paramsTotal: 1100,
          macs: 50_000,
          trainMemoryBytes: 1 << 20,
          inferenceMemoryBytes: 1 << 16,
          estimatedLatencyMs: 0.01,
        },
        epochs: [],
        seconds: 1,
        engine: { name: 'compiled' as const },
        ...(run === undefined ? {} : { diagnostics: { every: EVERY, flags: run.flags } }),
      };
      await storage.finishTrial(record.id, { state: 'COMPLETE', outcome });
    }
    const running = await storage.createTrial(experiment.id, {
      number: 4,
      sample: ONE_BLOCK,
      key: space.key(ONE_BLOCK),
    });
    await storage.addDiagnostics(running.id, perEpoch(fadingChecks().slice(0, 3)).epochs[0] as DiagnosticEpoch);
    const failed = await storage.createTrial(experiment.id, {
      number: 5,
      sample: ONE_BLOCK,
      key: space.key(ONE_BLOCK),
    });
    await storage.finishTrial(failed.id, {
      state: 'FAILED',
      reason: 'diverged',
      message: 'DivergedError: the loss of step 3 is NaN',
    });
    const stopped = await storage.createTrial(experiment.id, {
      number: 6,
      sample: ONE_BLOCK,
      key: space.key(ONE_BLOCK),
    });
    const cut = perEpoch(driftingChecks().slice(0, 3));
    await storage.addDiagnostics(stopped.id, cut.epochs[0] as DiagnosticEpoch);
    await storage.finishTrial(stopped.id, {
      state: 'FAILED',
      reason: 'diagnostics',
      message: 'DiagnosticsStopError: exploding',
      diagnostics: { every: EVERY, flags: cut.flags },
    });
    await storage.setExperimentStatus(experiment.id, 'finished');
  } finally {
    await storage.close();
  }
  return file;
}
