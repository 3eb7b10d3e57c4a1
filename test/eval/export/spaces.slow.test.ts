// Sampled networks of the four search spaces exported as a frozen SavedModel and a tfjs graph model,
// loaded in a fresh Node process that imports only @tensorflow/tfjs-node, against the eager model
// (non-trivial BN statistics and biases, a seeded batch of 3). And every op the frozen graphs of 20
// samples per space hold is one the tfjs-graph format takes (TFJS_GRAPH_OPS), so a space whose
// samples need another op fails here. Measured: see TOLERANCE. ~8 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileFrozen } from '../../../src/eval/compile/frozen.js';
import { TFJS_GRAPH_OPS } from '../../../src/eval/export/tfjs-graph-ops.js';
import { foldBatchNorm, modelWeights } from '../../../src/eval/fold.js';
import type { SearchSpace } from '../../../src/space/search-space.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { samples, type Case } from '../compile/space-samples.js';
import {
  childModels,
  exportNetwork,
  maxAbsDiff,
  predictInChild,
  tempRoot,
  type ChildResult,
  type Exported,
} from './helpers.js';

/**
 * Allowed absolute difference of the logits. Measured, largest over both formats (and the largest
 * |logit|): nb201 2.9e-6 (|11.5|), darts 9.5e-6 (|32|), macro 9.5e-7 (|3.1|), layerwise 7.6e-6
 * (|36|), i.e. ~3e-7 relative: float32 rounding, as the folding itself (docs/inference.md).
 */
const TOLERANCE = 1e-4;
/** Samples per space exported and loaded (the op check takes all 20). */
const EXPORTED = 3;

const SPACES: readonly {
  readonly name: string;
  readonly spaces: readonly SearchSpace[];
  readonly input: [number, number, number];
}[] = [
  { name: 'nb201', spaces: [createSpace('nb201', { cells: 1, channels: 4 })], input: [32, 32, 3] },
  { name: 'darts', spaces: [createSpace('darts', { layers: 3, nodes: 4, channels: 4 })], input: [32, 32, 3] },
  {
    name: 'macro',
    spaces: [
      createSpace('macro', {
        stem: 'conv3x3',
        stemChannels: 8,
        stageWidths: [8, 16, 16],
        widthMultipliers: ['0.5', '1'],
        divisor: 4,
        kernels: [3, 5],
        expansions: [1, 2, 4],
        depths: [1, 2],
        strides: [1, 2],
        head: 'classifier',
      }),
    ],
    input: [28, 28, 1],
  },
  {
    name: 'layerwise',
    spaces: (['sum', 'concat'] as const).map((merge) =>
      createSpace('layerwise', { layers: 6, channels: 4, reductions: [1, 3], merge }),
    ),
    input: [28, 28, 1],
  },
];

const cases = new Map(SPACES.map((s) => [s.name, samples(s.name, s.spaces, s.input, `export ${s.name}`)]));
let exports = new Map<string, Exported>();
let results = new Map<string, ChildResult>();
const worst = new Map<string, { diff: number; logits: number }>();

beforeAll(async () => {
  const root = tempRoot('nas-export-spaces-');
  exports = new Map();
  for (const list of cases.values()) {
    for (const [i, c] of list.slice(0, EXPORTED).entries())
      exports.set(c.label, await exportNetwork(c.label, c.arch, 10 + i, root));
  }
  results = await predictInChild(childModels([...exports.values()]));
}, 300_000);

afterAll(() => {
  for (const [space, w] of worst)
    console.log(`${space}: max abs diff ${w.diff.toExponential(1)} on logits up to |${w.logits.toFixed(1)}|`);
});

describe.each(SPACES.map((s) => s.name))('%s samples exported', (space) => {
  const list = cases.get(space) as Case[];

  it.each(list.slice(0, EXPORTED).map((c) => [c.label, c] as const))(
    '%s: saved-model and tfjs-graph predict as the eager model',
    (label, c) => {
      const e = exports.get(label) as Exported;
      const w = worst.get(space) ?? { diff: 0, logits: 0 };
      for (const format of ['saved-model', 'tfjs-graph'] as const) {
        const diff = maxAbsDiff(results.get(`${label} ${format}`), e.expected);
        w.diff = Math.max(w.diff, diff);
        expect(diff, `${format} — sample: ${c.text}`).toBeLessThanOrEqual(TOLERANCE);
      }
      w.logits = Math.max(w.logits, ...Array.from(e.expected, Math.abs));
      worst.set(space, w);
    },
  );

  it("every op of 20 samples' frozen graphs is one the tfjs-graph format takes", () => {
    const outside = new Map<string, string>();
    for (const c of list) {
      const model = buildModel(c.arch, { seed: 1 });
      try {
        const folded = foldBatchNorm(c.arch, modelWeights(model));
        for (const node of compileFrozen(folded.arch, folded.weights).nodes)
          if (!TFJS_GRAPH_OPS.has(node.op)) outside.set(node.op, c.text);
      } finally {
        model.dispose();
      }
    }
    expect([...outside].map(([op, text]) => `${op} (in ${text})`)).toEqual([]);
  });
});
