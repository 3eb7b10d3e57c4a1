// The compiled DARTS engine against the eager one: from one seed, three steps (an architecture step
// then a weight step each) give the same α, the same losses and the same checkpoint, first and second
// order, with and without gradient checkpointing; and a checkpoint of one engine resumes on the other.
import { describe, expect, it } from 'vitest';
import { checkOptions } from '../../../src/core/options.js';
import { BatchBuffer } from '../../../src/eval/train/index.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { dartsOptions, supernetArch, type DartsOptions } from '../../../src/search/darts/index.js';
import { compiledEngine } from '../../../src/search/darts/compiled-engine.js';
import { eagerEngine, type DartsEngine } from '../../../src/search/darts/engine.js';
import { searchState } from '../../../src/search/darts/state.js';
import { createSupernet } from '../../../src/search/darts/supernet.js';
import { maxDifference } from '../../eval/compile/helpers.js';
import { part, patternSet } from '../../eval/train/helpers.js';

const space = createSpace('nb201', {});
const arch = supernetArch(space, { channels: 4, layers: 1 }, { inputShape: [8, 8, 3], classes: 4 });
const set = patternSet(64, [8, 8, 3], 4, 'darts-engines');
const buffer = new BatchBuffer(set.shape, 16);
const batch = (from: number) => buffer.next(set, part(set).indices, from);

/** Relative difference allowed: float32 in another kernel order, through 3 steps and (second order) a finite difference. */
const TOLERANCE = 2e-4;

async function engine(kind: 'eager' | 'compiled', o: DartsOptions): Promise<DartsEngine> {
  const relaxation = space.relaxation?.call(space);
  if (relaxation === undefined) throw new Error('nb201 has a relaxation');
  const state = searchState(createSupernet(relaxation, arch, 5), o);
  return kind === 'eager' ? eagerEngine(state, o) : compiledEngine(state, arch, o);
}

/** Three DARTS steps: α losses, weight losses, and the state after them. */
function steps(e: DartsEngine) {
  const losses: number[] = [];
  for (let s = 0; s < 3; s++) {
    const w = batch(16 * s);
    const a = batch(48 - 16 * (s % 2));
    losses.push(e.alphaStep(w, a, 0.05), e.weightStep(w, 0.05).loss);
    w.x.dispose();
    w.labels.dispose();
    a.x.dispose();
    a.labels.dispose();
  }
  return { losses, alphas: e.alphaWeights(), state: e.exportState(1) };
}

describe.each(['first', 'second'] as const)('compiled DARTS, %s order', (order) => {
  const o = checkOptions(dartsOptions, { order, alphaLr: 0.05 }).values as DartsOptions;

  it("takes the eager engine's steps: same losses, α and checkpoint", async () => {
    const eager = await engine('eager', o);
    const compiled = await engine('compiled', o);
    try {
      const a = steps(eager);
      const b = steps(compiled);
      expect(maxDifference(a.losses, b.losses).rel).toBeLessThan(TOLERANCE);
      for (const cell of Object.keys(a.alphas))
        expect(maxDifference((a.alphas[cell] ?? []).flat(), (b.alphas[cell] ?? []).flat()).rel).toBeLessThan(TOLERANCE);
      // α moved away from its initial near-uniform softmax: the comparison is not of untouched values.
      const spread = Math.max(...(b.alphas.cell ?? []).flat()) - Math.min(...(b.alphas.cell ?? []).flat());
      expect(spread).toBeGreaterThan(1e-3);
      const saved = new Map(b.state.arrays.map((x) => [x.name, x.data]));
      expect([...saved.keys()].sort()).toEqual(a.state.arrays.map((x) => x.name).sort());
      for (const x of a.state.arrays)
        expect(maxDifference(x.data, saved.get(x.name) ?? new Float32Array()).rel, x.name).toBeLessThan(TOLERANCE);
      expect(b.state.meta).toEqual(a.state.meta);
    } finally {
      eager.dispose();
      compiled.dispose();
    }
  });

  it('with gradient checkpointing (3 segments, every pass recomputed) takes the same steps', async () => {
    const eager = await engine('eager', o);
    const compiled = await engine('compiled', { ...o, checkpointSegments: 3 });
    try {
      const a = steps(eager);
      const b = steps(compiled);
      expect(maxDifference(a.losses, b.losses).rel).toBeLessThan(TOLERANCE);
      for (const cell of Object.keys(a.alphas))
        expect(maxDifference((a.alphas[cell] ?? []).flat(), (b.alphas[cell] ?? []).flat()).rel).toBeLessThan(TOLERANCE);
      const saved = new Map(b.state.arrays.map((x) => [x.name, x.data]));
      for (const x of a.state.arrays)
        expect(maxDifference(x.data, saved.get(x.name) ?? new Float32Array()).rel, x.name).toBeLessThan(TOLERANCE);
    } finally {
      eager.dispose();
      compiled.dispose();
    }
  });
});

describe('checkpoints across engines', () => {
  it('a compiled checkpoint resumes on the eager engine to the same α as staying compiled', async () => {
    const o = checkOptions(dartsOptions, { alphaLr: 0.05 }).values as DartsOptions;
    const compiled = await engine('compiled', o);
    const eager = await engine('eager', o);
    try {
      const first = steps(compiled);
      eager.importState(first.state.meta, new Map(first.state.arrays.map((x) => [x.name, x])));
      const a = steps(compiled);
      const b = steps(eager);
      for (const cell of Object.keys(a.alphas))
        expect(maxDifference((a.alphas[cell] ?? []).flat(), (b.alphas[cell] ?? []).flat()).rel).toBeLessThan(TOLERANCE);
    } finally {
      eager.dispose();
      compiled.dispose();
    }
  });
});
