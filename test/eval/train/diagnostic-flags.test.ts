// The flags on series of checks written by hand: each condition, its run length, one flag per kind
// and layer, and what is not a flag.
import { describe, expect, it } from 'vitest';
import type { ActivationProbe, DiagnosticCheck, LayerNorms } from '../../../src/core/diagnostics.js';
import { DEFAULT_THRESHOLDS } from '../../../src/eval/train/diagnostics-config.js';
import { flagsOf, FlagWatcher } from '../../../src/eval/train/diagnostic-flags.js';

const t = DEFAULT_THRESHOLDS;
const check = (
  step: number,
  o: { norm?: number; layers?: LayerNorms[]; activations?: ActivationProbe[] } = {},
): DiagnosticCheck => ({
  step,
  epoch: 1,
  globalGradNorm: o.norm ?? 1,
  layers: o.layers ?? [{ layer: 'conv', gradNorm: 0.1, weightNorm: 2 }],
  activations: o.activations ?? [],
});
const series = (n: number, make: (step: number, i: number) => DiagnosticCheck) =>
  Array.from({ length: n }, (_, i) => make(50 * (i + 1), i));

describe('diagnostic flags', () => {
  it('default thresholds are the documented ones', () => {
    expect(t).toEqual({
      vanishingRatio: 1e-6,
      runLength: 3,
      explodingNorm: 1e3,
      jumpFactor: 20,
      deadFraction: 0.9,
      bnMean: 1,
      bnStdFactor: 2,
      collapseStd: 1e-3,
    });
  });

  it('a healthy series raises nothing', () => {
    expect(
      flagsOf(
        series(10, (s) => check(s)),
        t,
      ),
    ).toEqual([]);
  });

  it('vanishing: a layer whose gradient / weight ratio stays below vanishingRatio for runLength checks, once', () => {
    const tiny = (s: number) =>
      check(s, {
        layers: [
          { layer: 'ok', gradNorm: 1, weightNorm: 1 },
          { layer: 'deep', gradNorm: 1e-7, weightNorm: 2 },
        ],
      });
    expect(flagsOf(series(6, tiny), t)).toEqual([
      { kind: 'vanishing', layer: 'deep', firstStep: 50, step: 150, value: 5e-8, threshold: 1e-6 },
    ]);
    // Two checks below, one above, two below: never three in a row.
    const broken = series(5, (s, i) => (i === 2 ? check(s) : tiny(s)));
    expect(flagsOf(broken, t)).toEqual([]);
  });

  it('an exactly-zero gradient is no path to the loss, not a vanishing one', () => {
    expect(
      flagsOf(
        series(5, (s) => check(s, { layers: [{ layer: 'unused', gradNorm: 0, weightNorm: 1 }] })),
        t,
      ),
    ).toEqual([]);
  });

  it('exploding: the global norm above explodingNorm at one check, or a jump by more than jumpFactor', () => {
    expect(flagsOf([check(50), check(100, { norm: 2000 })], t)).toEqual([
      { kind: 'exploding', firstStep: 100, step: 100, value: 2000, threshold: 1e3 },
    ]);
    expect(flagsOf([check(50, { norm: 0.5 }), check(100, { norm: 11 })], t)).toEqual([
      { kind: 'exploding', firstStep: 100, step: 100, value: 22, threshold: 20 },
    ]);
    expect(flagsOf([check(50, { norm: 0.5 }), check(100, { norm: 9.5 })], t)).toEqual([]);
    expect(flagsOf([check(50), check(100, { norm: Number.POSITIVE_INFINITY })], t)[0]?.kind).toBe('exploding');
  });

  it('dead-relu, bn-drift (mean, or std either way) and collapse, each on its kind of probe', () => {
    const relu = (dead: number): ActivationProbe => ({
      layer: 'r',
      kind: 'relu',
      mean: 0,
      std: 0,
      zeroFraction: 1,
      deadFraction: dead,
    });
    const bn = (meanAbs: number, std: number): ActivationProbe => ({
      layer: 'b',
      kind: 'bn',
      mean: 0,
      std: 1,
      channelMeanAbs: meanAbs,
      channelStd: std,
    });
    const block = (std: number): ActivationProbe => ({
      layer: 'k',
      kind: 'block',
      mean: 0,
      std,
      channelMeanAbs: 0,
      channelStd: std,
    });
    const run = (a: ActivationProbe) =>
      flagsOf(
        series(3, (s) => check(s, { activations: [a] })),
        t,
      );
    expect(run(relu(0.95))).toEqual([
      { kind: 'dead-relu', layer: 'r', firstStep: 50, step: 150, value: 0.95, threshold: 0.9 },
    ]);
    expect(run(relu(0.9))).toEqual([]);
    expect(run(bn(1.5, 1))).toEqual([
      { kind: 'bn-drift', layer: 'b', firstStep: 50, step: 150, value: 1.5, threshold: 1 },
    ]);
    expect(run(bn(0, 2.5))).toEqual([
      { kind: 'bn-drift', layer: 'b', firstStep: 50, step: 150, value: 2.5, threshold: 2 },
    ]);
    expect(run(bn(0, 0.4))).toEqual([
      { kind: 'bn-drift', layer: 'b', firstStep: 50, step: 150, value: 0.4, threshold: 0.5 },
    ]);
    expect(run(bn(0.9, 1.9))).toEqual([]);
    expect(run(block(1e-4))).toEqual([
      { kind: 'collapse', layer: 'k', firstStep: 50, step: 150, value: 1e-4, threshold: 1e-3 },
    ]);
    // A dead ReLU's std is 0 too, but collapse is judged on block outputs only.
    expect(run({ ...relu(1), kind: 'relu' }).map((f) => f.kind)).toEqual(['dead-relu']);
  });

  it('the watcher returns each check’s new flags as they come (what stopOn acts on), and flagsOf is the same series at once', () => {
    const w = new FlagWatcher({ ...t, runLength: 2 });
    const checks = series(4, (s) => check(s, { layers: [{ layer: 'deep', gradNorm: 1e-9, weightNorm: 1 }] }));
    expect(checks.map((c) => w.observe(c).length)).toEqual([0, 1, 0, 0]);
    expect(w.flags).toEqual(flagsOf(checks, { ...t, runLength: 2 }));
  });
});
