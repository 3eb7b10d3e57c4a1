import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/core/events.js';
import { AlphaView, shortNames } from '../../../../src/cli/ui/components/AlphaView.js';
import type { OneShotState } from '../../../../src/cli/ui/oneshot.js';
import { initialState, reduce } from '../../../../src/cli/ui/state.js';
import { HEADER, plain } from '../fixtures.js';
import {
  DARTS,
  epochDone,
  NB201,
  oneShotEpoch,
  oneShotStart,
  progress,
  started,
  weightsAt,
} from '../oneshot-fixtures.js';

function oneShot(events: readonly RunEvent[]): OneShotState {
  const state = events.reduce(reduce, initialState(HEADER)).oneShot;
  if (state === undefined) throw new Error('no one-shot state');
  return state;
}

const frame = (state: OneShotState, width: number, edges?: number) =>
  plain(render(h(AlphaView, { oneShot: state, width, edges })).lastFrame()).split('\n');

describe('AlphaView', () => {
  it('shows the epoch, its bar and loss, then per edge the op bars, the trend, the strongest op, and the derived cell', () => {
    const start = oneShotStart(NB201);
    const state = oneShot([
      started(start),
      epochDone(oneShotEpoch(NB201, start, 1)),
      epochDone(oneShotEpoch(NB201, start, 2)),
      progress(3, 0.4, 1.23),
    ]);
    expect(frame(state, 80)).toEqual([
      'DARTS (second order) epoch 3/10 ▕████▊·······▏ loss 1.2300 · val acc 29.00%',
      'cell (6 edges) · bars: none skip nor1 nor3 avg3',
      '  node1[0]  █▄▄▄▄        ▄█  ▸ none 0.352',
      '  node2[0]  ▆█▅▅▅        ▄█  ▸ skip_connect 0.291',
      '  node2[1]  ▇▆▆█▆        ▄█  ▸ nor_conv_3x3 0.252',
      '  node3[0]  ▇▆▆█▆        ▄█  ▸ nor_conv_3x3 0.252',
      '  node3[1]  ▇▆▆█▆        ▄█  ▸ nor_conv_3x3 0.252',
      '  node3[2]  ▇▆▆█▆        ▄█  ▸ nor_conv_3x3 0.252',
      'derived |none~0|+|skip_connect~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1…',
    ]);
  });

  it('fits DARTS’s two cells of 14 edges into 80 columns, marking the kept op when it is not the strongest', () => {
    const start = oneShotStart(DARTS);
    const state = oneShot([started(start), ...[1, 2, 3].map((k) => epochDone(oneShotEpoch(DARTS, start, k)))]);
    const lines = frame(state, 80);
    expect(lines).toHaveLength(1 + 2 * 15 + 1);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe('DARTS (second order) epoch 4/10 ▕············▏ loss 1.7000 · val acc 31.00%');
    expect(lines[1]).toBe('normal cell (14 edges) · bars: none max3 avg3 skip sep3 sep5 dil3 dil5');
    const row = weightsAt(start, 3)['normal'] ?? [];
    const w = (edge: number, op: number) => (row[edge]?.[op] ?? Number.NaN).toFixed(3);
    // node2.from0: `none` is strongest, DARTS keeps the best op besides it (dil_conv_5x5, the last column).
    expect(lines[2]).toMatch(new RegExp(`^  node2\\.from0  █▃▃▃▃▃▃▃ +▃▅█  none ${w(0, 0)} ▸ dil_conv_5x5 ${w(0, 7)}$`));
    expect(lines[3]).toMatch(new RegExp(`^  node2\\.from1 .* ▸ skip_connect ${w(1, 3)}$`));
    // node3.from2 is not among node 3's two kept inputs: its strongest op is shown without the mark.
    expect(lines[6]).toMatch(new RegExp(`^  node3\\.from2 .*  sep_conv_3x3 ${w(4, 4)}$`));
    expect(lines[16]).toMatch(/^reduce cell \(14 edges\)/);
    expect(lines[31]).toMatch(/^derived \{"normal":\[\["skip_connect",1\],\["dil_conv_5x5",0\]/);
  });

  it('shows the kept edges first when only some fit, and counts the others', () => {
    const start = oneShotStart(DARTS);
    const state = oneShot([started(start), epochDone(oneShotEpoch(DARTS, start, 1))]);
    const lines = frame(state, 80, 8);
    expect(lines).toHaveLength(1 + 2 * (1 + 8 + 1) + 1);
    expect(lines.filter((l) => l.startsWith('  node')).every((l) => l.includes('▸'))).toBe(true);
    expect(lines[10]).toBe('  … 6 more edges');
    expect(frame(state, 80, 0)).toEqual([
      expect.stringContaining('epoch 2/10'),
      expect.stringContaining('normal cell'),
      '  … 14 more edges',
      expect.stringContaining('reduce cell'),
      '  … 14 more edges',
      expect.stringMatching(/^derived /),
    ]);
  });

  it('before the first epoch: no weights yet, the epoch a resumed search starts from', () => {
    const lines = frame(oneShot([started(oneShotStart(NB201, 4))]), 80);
    expect(lines[0]).toBe('DARTS (second order) epoch 4/10 ▕············▏ loss —');
    expect(lines[2]).toBe('  node1[0]  ·····            —');
    expect(lines).toHaveLength(8);
  });

  it('keeps to a narrow terminal', () => {
    const start = oneShotStart(DARTS);
    const lines = frame(oneShot([started(start), epochDone(oneShotEpoch(DARTS, start, 1))]), 50);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(50);
    expect(lines[2]).toMatch(/^  node2\.from0  █▆▆▆▆▆▆▆  none 0\.170 ▸ dil_conv_5x…$/);
  });
});

describe('shortNames', () => {
  it('shortens op names for the legend, unless two would read alike', () => {
    expect(shortNames(['none', 'skip_connect', 'sep_conv_3x3', 'dil_conv_5x5', 'conv_7x1_1x7'])).toEqual([
      'none',
      'skip',
      'sep3',
      'dil5',
      'conv7',
    ]);
    expect(shortNames(['sep_conv_3x3', 'sep_conv_3x3_v2'])).toEqual(['sep_conv_3x3', 'sep_conv_3x3_v2']);
  });
});
