// Whole sampled networks of every search space, compiled, against the eager builder: 20 samples per
// space drawn with a seeded Rng, one training step (default SGD: momentum 0.9, Nesterov, L2 5e-4) on
// a batch of 4 from the same initial weights; the step's loss, every weight afterwards (moving
// statistics included) and the inference-mode loss agree. Every op a sampled network uses compiles
// so a sample that fails to compile fails here, with its text.
//
// The networks are small (few cells, narrow): 80 samples take ~110 s on 2 cores (0.4–3.6 s each,
// mostly compiling and loading the SavedModel), one test file per space (spaces-*.slow.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import type { SearchSpace } from '../../../src/space/search-space.js';
import { compareSteps, type StepComparison } from './helpers.js';

/**
 * Relative difference allowed (float32 kernels in another order: oneDNN fused vs tfjs op by op).
 * Measured (largest over the 20 samples of each space, relative to max(1, |value|)):
 *
 *   space      step loss   weights    evaluation loss
 *   nb201      9e-8        4.9e-7     2.6e-7
 *   darts      2.1e-7      2.2e-7     3.3e-7
 *   macro      1.1e-7      1.2e-7     1.1e-6
 *   layerwise  2.1e-7      1.5e-7     3.7e-7
 *
 * so float noise stays ~500× under 1e-4, and no deeper network needed more. This test found two
 * real mismatches, both fixed: tied maxima of a global max (CBAM after a stride-1 max pool) got the
 * whole gradient each in tfjs (now shared, as in TensorFlow: src/eval/build/ops.ts maxSharingTies),
 * and weights reaching the loss only through an NB201 `none` got no update on the compiled engine
 * (now a zero gradient, so decay and momentum move them as in tfjs and PyTorch).
 */
const TOLERANCE = 1e-4;
const SAMPLES = 20;
const BATCH = 4;
const CLASSES = 10;

export type Case = { readonly label: string; readonly text: string; readonly arch: ResolvedArch };

/** `SAMPLES` seeded samples of one space (or of several variants, taken in turn), resolved. */
export function samples(
  name: string,
  spaces: readonly SearchSpace[],
  inputShape: readonly [number, number, number],
  seed: string,
): Case[] {
  const rng = new Rng(seed);
  return Array.from({ length: SAMPLES }, (_, i) => {
    const space = spaces[i % spaces.length] as SearchSpace;
    const sample: Json = space.sample(rng);
    const text = space.format(sample);
    return { label: `${name} #${i}`, text, arch: assertArch(space.freeze(sample), { inputShape, classes: CLASSES }) };
  });
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

const worst = new Map<string, { loss: number; weights: number; evaluation: number; ms: number }>();

/** The test of one space's samples: one training step each, compiled against eager. */
export function describeSamples(space: string, cases: readonly Case[]): void {
  describe(`compiled ${space} samples against the eager builder (one step, batch 4)`, () => {
    it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
      const started = performance.now();
      let r: StepComparison;
      try {
        r = await compareSteps(c.arch, {}, 1, BATCH);
      } catch (error) {
        throw new Error(`${c.label} failed to compile or train: ${(error as Error).message}\nsample: ${c.text}`, {
          cause: error,
        });
      }
      const loss = Math.max(...r.losses.map(([a, b]) => relative(a, b)));
      const evaluation = relative(r.evaluation[0], r.evaluation[1]);
      const w = worst.get(space) ?? { loss: 0, weights: 0, evaluation: 0, ms: 0 };
      worst.set(space, {
        loss: Math.max(w.loss, loss),
        weights: Math.max(w.weights, r.weights),
        evaluation: Math.max(w.evaluation, evaluation),
        ms: w.ms + performance.now() - started,
      });
      const where = `${c.label}\nsample: ${c.text}`;
      expect(loss, `loss ${r.losses.map((l) => l.join(' vs ')).join('; ')} — ${where}`).toBeLessThan(TOLERANCE);
      expect(r.weights, `worst weight ${r.worstWeight} — ${where}`).toBeLessThan(TOLERANCE);
      expect(evaluation, `evaluation ${r.evaluation.join(' vs ')} — ${where}`).toBeLessThan(TOLERANCE);
    });

    afterAll(() => {
      const w = worst.get(space);
      if (w !== undefined)
        console.log(
          `${space}: worst relative differences: loss ${w.loss.toExponential(1)}, weights ${w.weights.toExponential(1)}, evaluation ${w.evaluation.toExponential(1)}; ${(w.ms / 1000).toFixed(1)} s`,
        );
    });
  });
}
