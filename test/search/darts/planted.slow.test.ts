import { describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import type { ImageSet } from '../../../src/core/data.js';
import type { OneShotEpoch } from '../../../src/core/events.js';
import { checkOptions } from '../../../src/core/options.js';
import { Rng } from '../../../src/core/rng.js';
import { dartsOptions, runDarts, type DartsOptions, type OneShotSpace } from '../../../src/search/darts/index.js';
import { assertArch } from '../../../src/space/validate.js';
import { part } from '../../eval/train/helpers.js';

/**
 * A planted task: an image holds two bright pixels 4 apart, side by side (class 0) or one above the
 * other (class 1), placed on a torus so that every pixel position is equally likely in both classes.
 * A 3×3 window (or pooling, or the input itself) sees one pixel at a time and finds both classes
 * alike; only a 5×5 window sees the pair.
 */
function pairs(count: number, seed: string): ImageSet {
  const rng = new Rng(seed);
  const [h, w] = [12, 12];
  const images = new Float32Array(count * h * w);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const [r, c] = [rng.int(h), rng.int(w)];
    const [r2, c2] = label === 0 ? [r, (c + 4) % w] : [(r + 4) % h, c];
    for (let p = 0; p < h * w; p++) images[i * h * w + p] = 0.1 * rng.next();
    images[i * h * w + r * w + c] = 1;
    images[i * h * w + r2 * w + c2] = 1;
    labels[i] = label;
  }
  return { images, labels, count, shape: [h, w, 1] };
}

const OPS = ['conv_3x3', 'conv_5x5', 'avg_pool_3x3', 'skip_connect', 'none'] as const;

function candidate(op: (typeof OPS)[number], id: string, input: string): ArchNode[] {
  switch (op) {
    case 'conv_3x3':
    case 'conv_5x5':
      return [
        {
          id: `${id}.conv`,
          op: 'conv',
          inputs: [input],
          filters: 8,
          kernel: op === 'conv_3x3' ? 3 : 5,
          padding: 'same',
          bias: false,
        },
        { id, op: 'bn', inputs: [`${id}.conv`], affine: false },
      ];
    case 'avg_pool_3x3':
      return [{ id, op: 'avgpool', inputs: [input], kernel: 3, stride: 1, padding: 1, includePad: false }];
    case 'skip_connect':
      return [{ id, op: 'identity', inputs: [input] }];
    case 'none':
      return [{ id, op: 'zero', inputs: [input] }];
  }
}

/** A one-edge cell space: a 1×1 stem (it sees one pixel), one mixed edge, ReLU, pooling, a classifier. */
const space: OneShotSpace = {
  relaxation: () => ({ cells: [{ name: 'cell', edges: [{ id: 'edge', from: 0, to: 1, ops: [...OPS] }] }] }),
  derive: (weights) => {
    const row = weights.cell?.[0] ?? [];
    return OPS[row.indexOf(Math.max(...row))] as string;
  },
  format: (sample) => String(sample),
};
const arch = assertArch(
  {
    version: 1,
    nodes: [
      { id: 'stem', op: 'conv', inputs: ['input'], filters: 8, kernel: 1, bias: false },
      { id: 'stem.bn', op: 'bn', inputs: ['stem'] },
      ...OPS.flatMap((op) => candidate(op, `edge.${op}`, 'stem.bn')),
      { id: 'edge', op: 'mix', inputs: OPS.map((op) => `edge.${op}`), alpha: 'cell', edge: 0 },
      { id: 'relu', op: 'act', fn: 'relu', inputs: ['edge'] },
      { id: 'gap', op: 'gap', inputs: ['relu'] },
      { id: 'logits', op: 'dense', inputs: ['gap'], units: 'classes' },
    ],
    output: 'logits',
  },
  { inputShape: [12, 12, 1], classes: 2 },
);
const set = pairs(2400, 'planted');
const data = { train: part(set, 0, 2000), validation: part(set, 2000, 2400) };

async function search(order: 'first' | 'second', epochs: number): Promise<OneShotEpoch[]> {
  // A larger α learning rate than the paper's 3e-4, so that α moves within a few hundred steps.
  const options = checkOptions(dartsOptions, { order, epochs, batchSize: 32, alphaLr: 3e-3, lr: 0.05 })
    .values as DartsOptions;
  const records: OneShotEpoch[] = [];
  await runDarts({ space, arch, options, data, seed: 3 }, { onEpoch: async (record) => void records.push(record) });
  return records;
}

const weightOf = (record: OneShotEpoch | undefined, op: (typeof OPS)[number]): number =>
  record?.weights.cell?.[0]?.[OPS.indexOf(op)] ?? Number.NaN;

describe('DARTS on a task only a 5×5 convolution can solve', () => {
  it.each([
    ['first', 10],
    ['second', 6],
  ] as const)('%s order drives α toward conv_5x5', async (order, epochs) => {
    const records = await search(order, epochs);
    const last = records.at(-1);
    expect(records.map((r) => r.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    expect(last?.derived).toBe('conv_5x5');
    // From the uniform 0.2, conv_5x5 gains and leads every other op by a margin.
    expect(weightOf(last, 'conv_5x5')).toBeGreaterThan(0.3);
    for (const op of OPS.filter((o) => o !== 'conv_5x5'))
      expect(weightOf(last, 'conv_5x5')).toBeGreaterThan(weightOf(last, op) + 0.05);
    // The supernet learned the task through that op.
    expect(last?.validationAccuracy).toBeGreaterThan(0.75);
  });
});
