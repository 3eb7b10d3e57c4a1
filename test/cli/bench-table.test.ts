import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchRun, benchStrategy } from '../../src/cli/commands/bench/bench-strategies.js';
import { readBenchmarkTable } from '../../src/space/benchmark-table.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { smoothAccuracy, writeNb201Table } from '../run/table-fixture.js';

const space = createSpace('nb201');
const file = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
const table = readBenchmarkTable(file, space);
const base = { space, table, metric: 'acc' } as const;

describe('the strategy bench (in-process ask/tell against a table)', () => {
  it('reports, per N, the mean best value, its spread and the optimum rate over seeded runs', () => {
    const r = benchStrategy({ ...base, strategy: 'random', runs: 12, evals: [1, 10, 100], seed: 3 });
    expect(r).toMatchObject({ strategy: 'random', runs: 12, metric: 'acc', max: 92, space: 'nb201' });
    expect(Object.keys(r.results)).toEqual(['1', '10', '100']);
    const [a, b, c] = ['1', '10', '100'].map(
      (n) => r.results[n] as { mean: number; std: number; optimum_rate: number },
    );
    expect(a!.mean).toBeLessThan(b!.mean);
    expect(b!.mean).toBeLessThan(c!.mean);
    expect(c!.mean).toBeLessThanOrEqual(92);
    expect(a!.std).toBeGreaterThan(0);
    expect(a!.optimum_rate).toBe(0);
  });

  it('the mean is the average over runs of the best value within the first N evaluations', () => {
    const curves = [0, 1, 2].map((r) => benchRun({ ...base, strategy: 'tpe' }, 30, `s/run-${r}`));
    const r = benchStrategy({ ...base, strategy: 'tpe', runs: 3, evals: [5, 30], seed: 's' });
    const meanAt = (n: number) => curves.reduce((acc, c) => acc + (c[n - 1] as number), 0) / 3;
    expect(r.results['5']?.mean).toBeCloseTo(meanAt(5), 10);
    expect(r.results['30']?.mean).toBeCloseTo(meanAt(30), 10);
    for (const c of curves) for (let i = 1; i < c.length; i++) expect(c[i]).toBeGreaterThanOrEqual(c[i - 1] as number);
  });

  it('finds the optimum of a smooth table in every run with local search', () => {
    const r = benchStrategy({ ...base, strategy: 'local-search', runs: 10, evals: [300] });
    expect(r.results['300']).toEqual({ mean: 92, std: 0, optimum_rate: 1 });
  });

  it('is reproducible from the seed', () => {
    const run = (seed: number) =>
      benchStrategy({
        ...base,
        strategy: 'regularized-evolution',
        options: { populationSize: 10, sampleSize: 3 },
        runs: 4,
        evals: [40],
        seed,
      }).results;
    expect(run(1)).toEqual(run(1));
    expect(run(2)).not.toEqual(run(1));
  });

  it('`nas bench --json` prints the contract object of docs/architecture.md', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const args = [
      'bench',
      '--space',
      'nb201',
      '--table',
      file,
      '--metric',
      'acc',
      '--strategy',
      'regularized-evolution',
      '--options',
      '{"populationSize":10,"sampleSize":3}',
      '--runs',
      '5',
      '--evals',
      '10,50',
      '--seed',
      '4',
      '--json',
    ];
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'bin/nas.js'), ...args], {
      cwd: root,
    });
    const out = JSON.parse(stdout) as {
      strategy: string;
      runs: number;
      results: Record<string, Record<string, number>>;
    };
    expect(out).toMatchObject({ strategy: 'regularized-evolution', runs: 5 });
    expect(Object.keys(out.results)).toEqual(['10', '50']);
    for (const f of Object.values(out.results))
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['mean', 'std', 'optimum_rate']));
    expect(out.results).toEqual(
      benchStrategy({
        ...base,
        strategy: 'regularized-evolution',
        options: { populationSize: 10, sampleSize: 3 },
        runs: 5,
        evals: [10, 50],
        seed: 4,
      }).results,
    );
  });
});
