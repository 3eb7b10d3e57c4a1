import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/core/events.js';
import { ALPHA_HISTORY, alphaViewHeight, chosenOp, visibleEdges } from '../../../src/cli/ui/oneshot.js';
import { initialState, reduce } from '../../../src/cli/ui/state.js';
import { EXPERIMENT_STARTED, HEADER } from './fixtures.js';
import { DARTS, epochDone, NB201, oneShotEpoch, oneShotStart, progress, started } from './oneshot-fixtures.js';

const fold = (events: readonly RunEvent[]) => events.reduce(reduce, initialState(HEADER));

describe('reduce: one-shot events', () => {
  it('has no one-shot part before oneshot-started, and ignores supernet progress without it', () => {
    const start = oneShotStart(NB201);
    const state = fold([EXPERIMENT_STARTED, progress(1, 0.5, 1.9), epochDone(oneShotEpoch(NB201, start, 1))]);
    expect(state.oneShot).toBeUndefined();
    expect(state).toEqual(fold([EXPERIMENT_STARTED]));
  });

  it('starts at epoch 1 with an empty history per edge', () => {
    const start = oneShotStart(DARTS);
    const s = fold([EXPERIMENT_STARTED, started(start)]).oneShot;
    expect(s).toMatchObject({ start, epoch: 1, fraction: 0, loss: undefined, last: undefined });
    expect(Object.keys(s?.history ?? {})).toEqual(['normal', 'reduce']);
    expect(s?.history['normal']).toEqual(Array.from({ length: 14 }, () => []));
  });

  it('follows the epoch in progress, then keeps the last epoch and each edge’s top weight', () => {
    const start = oneShotStart(NB201);
    const e1 = oneShotEpoch(NB201, start, 1);
    const afterProgress = fold([started(start), progress(1, 0.25, 1.95)]);
    expect(afterProgress.oneShot).toMatchObject({ epoch: 1, fraction: 0.25, loss: 1.95 });
    const s = reduce(afterProgress, epochDone(e1)).oneShot;
    expect(s).toMatchObject({ epoch: 2, fraction: 0, loss: e1.trainLoss, last: e1 });
    expect(s?.history['cell']?.[0]).toEqual([Math.max(...(e1.weights['cell']?.[0] ?? []))]);
    expect(reduce(afterProgress, epochDone(e1)).lanes).toEqual(afterProgress.lanes);
  });

  it('stays on the last epoch with a full bar once it is done', () => {
    const start = oneShotStart(NB201, 1, 2);
    const s = fold([
      started(start),
      epochDone(oneShotEpoch(NB201, start, 1)),
      epochDone(oneShotEpoch(NB201, start, 2)),
    ]).oneShot;
    expect(s).toMatchObject({ epoch: 2, fraction: 1 });
  });

  it(`keeps the last ${ALPHA_HISTORY} top weights per edge`, () => {
    const start = oneShotStart(NB201, 1, 20);
    const epochs = Array.from({ length: 12 }, (_, i) => oneShotEpoch(NB201, start, i + 1));
    const s = fold([started(start), ...epochs.map((e) => epochDone(e))]).oneShot;
    const expected = epochs.slice(-ALPHA_HISTORY).map((e) => Math.max(...(e.weights['cell']?.[2] ?? [])));
    expect(s?.history['cell']?.[2]).toEqual(expected);
    expect(s?.epoch).toBe(13);
  });

  it('resumes at startEpoch: a oneshot-started with startEpoch 4 shows epoch 4/10, history empty', () => {
    const fresh = oneShotStart(DARTS);
    const before = fold([started(fresh), epochDone(oneShotEpoch(DARTS, fresh, 1))]);
    const resumed = reduce(before, started(oneShotStart(DARTS, 4)));
    expect(resumed.oneShot).toMatchObject({ epoch: 4, fraction: 0, loss: undefined, last: undefined });
    expect(resumed.oneShot?.start.startEpoch).toBe(4);
    expect(resumed.oneShot?.history['reduce']?.every((h) => h.length === 0)).toBe(true);
    const next = reduce(resumed, epochDone(oneShotEpoch(DARTS, oneShotStart(DARTS, 4), 4))).oneShot;
    expect(next).toMatchObject({ epoch: 5 });
    expect(next?.history['normal']?.[0]).toHaveLength(1);
  });

  it('does not change the state it is given', () => {
    const start = oneShotStart(NB201);
    const state = fold([started(start)]);
    const copy = structuredClone(state);
    reduce(state, epochDone(oneShotEpoch(NB201, start, 1)));
    reduce(state, progress(1, 0.5, 1));
    expect(state).toEqual(copy);
  });
});

describe('one-shot helpers', () => {
  const start = oneShotStart(DARTS);
  const epoch = oneShotEpoch(DARTS, start, 3);
  const normal = start.cells[0];
  if (normal === undefined) throw new Error('no normal cell');

  it('reads the op the derived DARTS genotype keeps on an edge (undefined on dropped edges)', () => {
    const kept = normal.edges.map((e) => chosenOp(epoch.derived, 'normal', e));
    expect(kept[0]).toBe('dil_conv_5x5');
    expect(kept[1]).toBe('skip_connect');
    expect(kept.filter((k) => k !== undefined)).toHaveLength(8);
    expect(kept[4]).toBeUndefined();
  });

  it('reads the NB201 cell’s op per edge', () => {
    const nb = oneShotStart(NB201);
    const e = oneShotEpoch(NB201, nb, 3);
    const cell = nb.cells[0];
    expect(cell?.edges.map((edge) => chosenOp(e.derived, 'cell', edge))).toEqual([
      'none',
      'skip_connect',
      'nor_conv_3x3',
      'nor_conv_3x3',
      'nor_conv_3x3',
      'nor_conv_3x3',
    ]);
  });

  it('shows the kept edges first when not all fit, and counts the view’s lines', () => {
    const state = fold([started(start), epochDone(epoch)]).oneShot;
    if (state === undefined) throw new Error('no one-shot state');
    expect(visibleEdges(state, normal, 20)).toHaveLength(14);
    const eight = visibleEdges(state, normal, 8);
    expect(
      eight.every((i) => chosenOp(epoch.derived, 'normal', normal.edges[i] ?? normal.edges[0]!) !== undefined),
    ).toBe(true);
    expect(visibleEdges(state, normal, 0)).toEqual([]);
    expect(alphaViewHeight(state, 14)).toBe(1 + 2 * 15 + 1);
    expect(alphaViewHeight(state, 4)).toBe(1 + 2 * (1 + 4 + 1) + 1);
  });
});
