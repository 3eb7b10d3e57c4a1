import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { smoothAccuracy, writeNb201Table } from '../run/table-fixture.js';
import { followGuide } from './follow-guide.js';
import { GUIDES } from './guides.js';
import { runIn, scratchCopy, tail, type Run } from './scratch.js';

// The three docs/adding-*.md guides followed on a copy of the repository: their files written, their
// edits made (guides.ts), then the type check, the tests each guide names and the commands that
// should find the new strategy (mutate-best), space (widths) and op (layer_scale). A guide that
// leaves out a step, or whose code no longer compiles or passes, fails here. ~3 minutes.

let copy = '';
let written: string[] = [];

/** Files of this test's own in the copy: configs that must not type-check, or not validate. */
const OWN: Readonly<Record<string, string>> = {
  'experiments/guides-typed.ts': `import { defineConfig } from 'nas';

const base = { name: 'typed', dataset: { name: 'synthetic' }, budget: { trials: 1 } } as const;
defineConfig({ ...base, space: { name: 'widths', options: { layers: 4 } }, strategy: { name: 'mutate-best', options: { startup: 3, explore: 0.5 } } });
// @ts-expect-error widths has no option depth
defineConfig({ ...base, space: { name: 'widths', options: { depth: 4 } }, strategy: { name: 'random' } });
// @ts-expect-error explore is a number
defineConfig({ ...base, space: { name: 'nb201' }, strategy: { name: 'mutate-best', options: { explore: 'often' } } });
`,
  'experiments/guides-invalid.ts': `import { defineConfig } from 'nas';

export default defineConfig({ name: 'invalid', dataset: { name: 'synthetic' }, space: { name: 'widths', options: { layers: 0, depth: 2 } }, strategy: { name: 'mutate-best', options: { explore: 2 } }, budget: { trials: 1 } } as never);
`,
  'data/layer-scale.json': JSON.stringify({
    version: 1,
    input: { shape: [8, 8, 4] },
    nodes: [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same', bias: false },
      { id: 'scale', op: 'layer_scale', inputs: ['conv'], init: 0.1 },
      { id: 'gap', op: 'gap', inputs: ['scale'] },
      { id: 'fc', op: 'dense', inputs: ['gap'], units: 'classes' },
    ],
    output: 'fc',
  }),
};

const nas = (...args: string[]) => runIn(copy, 'bin/nas.js', args);

/** Runs vitest in the copy on `files` (tests named by `filter` only) and expects every test to pass, at least `atLeast` of them. */
async function vitest(project: 'fast' | 'slow', files: readonly string[], filter?: string, atLeast = 1): Promise<void> {
  const run = await runIn(copy, 'node_modules/vitest/vitest.mjs', [
    'run',
    '--project',
    project,
    ...files,
    ...(filter === undefined ? [] : ['-t', filter]),
  ]);
  expect(run.code, tail(run)).toBe(0);
  expect(Number(/Tests\s+(\d+) passed/.exec(run.stdout)?.[1] ?? 0), tail(run)).toBeGreaterThanOrEqual(atLeast);
}

/** The JSON events of a `nas search --reporter json` run. */
function events(run: Run): RunEvent[] {
  expect(run.code, tail(run)).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
}

beforeAll(() => {
  copy = scratchCopy();
  written = GUIDES.flatMap((guide) => followGuide(copy, guide));
  for (const [file, text] of Object.entries(OWN)) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.writeFileSync(path.join(copy, file), text);
  }
  fs.copyFileSync(
    writeNb201Table((s) => [smoothAccuracy(s)], ['cifar10_test_acc']),
    path.join(copy, 'data/nb201-cifar10.csv'),
  );
  const include = [...written, 'experiments/guides-typed.ts'].filter((f) => f.endsWith('.ts'));
  fs.writeFileSync(path.join(copy, 'tsconfig.guides.json'), JSON.stringify({ extends: './tsconfig.json', include }));
});

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('the docs/adding-*.md guides, followed on a copy of the repository', () => {
  it('type-check: every file they write or edit, and configs that name the new strategy and space', async () => {
    const run = await runIn(copy, 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.guides.json']);
    expect(run.code, tail(run)).toBe(0);
    expect(written).toEqual(
      expect.arrayContaining([
        'src/search/mutate-best.ts',
        'src/space/spaces/widths/space.ts',
        'src/space/ops/layer-scale.ts',
      ]),
    );
  });

  it('lint: the same files, under the import rules of docs/architecture.md, whose layout names the new file of src/search', async () => {
    const run = await runIn(
      copy,
      'node_modules/eslint/bin/eslint.js',
      written.filter((f) => f.endsWith('.ts')),
    );
    expect(run.code, tail(run)).toBe(0);
    await vitest('fast', ['test/lint/docs-layout.test.ts'], 'names every entry of src/search', 1);
  });

  describe('adding a strategy: mutate-best', () => {
    it('passes the registry test, its own, and the contract, resume and constraint tests of every strategy', async () => {
      await vitest('fast', ['test/search/registry.test.ts', 'test/search/mutate-best.test.ts'], undefined, 4);
      await vitest(
        'fast',
        ['test/search/strategies.test.ts', 'test/search/resume.test.ts', 'test/search/constrained.test.ts'],
        'mutate-best|cover every registered',
        10,
      );
    });

    it('is listed, and found by nas bench and by bench/strategies.ts', async () => {
      const listed = await nas('list', 'strategies', '--json');
      expect(
        JSON.parse(listed.stdout).map((s: { name: string }) => s.name),
        tail(listed),
      ).toContain('mutate-best');
      const bench = await nas(
        'bench',
        '--space',
        'nb201',
        '--table',
        'data/nb201-cifar10.csv',
        '--metric',
        'cifar10_test_acc',
        '--strategy',
        'mutate-best',
        '--options',
        '{"startup":5}',
        '--runs',
        '3',
        '--evals',
        '10,40',
        '--json',
      );
      expect(bench.code, tail(bench)).toBe(0);
      expect(JSON.parse(bench.stdout)).toMatchObject({
        strategy: 'mutate-best',
        options: { startup: 5 },
        runs: 3,
        max: 92,
      });
      const script = await runIn(copy, 'node_modules/tsx/dist/cli.mjs', [
        'bench/strategies.ts',
        '--table',
        'data/nb201-cifar10.csv',
        '--runs',
        '2',
        '--evals',
        '5,10',
        '--only',
        'mutate-best',
      ]);
      expect(script.code, tail(script)).toBe(0);
      expect(script.stdout).toMatch(/^\| mutate-best \| /m);
    });

    it("searches the guide's config to its budget on the table", async () => {
      const run = events(await nas('search', 'experiments/mutate-best-nb201.ts', '--reporter', 'json'));
      expect(run[0]).toMatchObject({ type: 'experiment-started', experiment: 'mutate-best-nb201' });
      expect(run.at(-1)).toMatchObject({ type: 'experiment-finished', status: 'finished', counts: { COMPLETE: 100 } });
    });
  });

  describe('adding a space: widths', () => {
    it('passes the registry test, the contract and its own tests, fast and slow (one training step of its networks)', async () => {
      await vitest('fast', ['test/space/spaces/registry.test.ts', 'test/space/spaces/widths'], undefined, 10);
      await vitest('slow', ['test/space/spaces/widths'], undefined, 2);
    });

    it('is listed, priced by nas estimate, and its options are checked in a config', async () => {
      const listed = await nas('list', 'spaces', '--json');
      expect(
        JSON.parse(listed.stdout).map((s: { name: string }) => s.name),
        tail(listed),
      ).toContain('widths');
      const priced = await nas('estimate', '--space', 'widths', '{"widths":[16,32,64]}', '--json');
      expect(priced.code, tail(priced)).toBe(0);
      expect(JSON.parse(priced.stdout).params.trainable).toBe(24_346);
      const invalid = await nas('search', 'experiments/guides-invalid.ts');
      expect(invalid.code, tail(invalid)).toBe(2);
      expect(invalid.stderr).toContain(
        [
          'ConfigError: experiments/guides-invalid.ts is invalid (3 problems)',
          '  • space.options.depth: unknown option (known: layers)',
          '  • space.options.layers: expected an integer in 1..20, got 0',
          '  • strategy.options.explore: expected a number in 0..1, got 2',
        ].join('\n'),
      );
    });

    it("trains the guide's config: both trials complete, in the worker threads", async () => {
      const run = events(await nas('search', 'experiments/widths-synthetic.ts', '--reporter', 'json'));
      expect(run.at(-1)).toMatchObject({ type: 'experiment-finished', status: 'finished', counts: { COMPLETE: 2 } });
    });
  });

  describe('adding an op: layer_scale', () => {
    it('passes its own tests and its cases of the builder, compiler, export and every-op tests', async () => {
      await vitest('fast', ['test/space/ops/layer-scale.test.ts'], undefined, 2);
      await vitest(
        'fast',
        [
          'test/eval/build/ops-train.test.ts',
          'test/eval/compile/ops.test.ts',
          'test/eval/every-op-has-a-case.test.ts',
          'test/eval/export/catalog.test.ts',
        ],
        'layer_scale|cover every op|walks the primitives',
        5,
      );
    });

    it('is listed, and priced by nas estimate from the catalog', async () => {
      const listed = await nas('list', 'ops', '--json');
      expect(
        JSON.parse(listed.stdout).map((o: { name: string }) => o.name),
        tail(listed),
      ).toContain('layer_scale');
      const priced = await nas('estimate', 'data/layer-scale.json', '--classes', '3', '--json');
      expect(priced.code, tail(priced)).toBe(0);
      // conv 4·6·9 = 216, γ 6, dense 6·3 + 3 = 21; γ multiplies 8·8·6 = 384 elements
      expect(JSON.parse(priced.stdout).params.trainable).toBe(216 + 6 + 21);
    });
  });
});
