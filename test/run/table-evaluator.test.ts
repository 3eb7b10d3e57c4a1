import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { parseBenchmarkTable, readBenchmarkTable } from '../../src/space/benchmark-table.js';
import { tableEvaluator } from '../../src/run/table-evaluator.js';
import { startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { sampleAtBenchmarkIndex, toBenchmarkString } from '../../src/space/spaces/nb201/index.js';
import { fakeAccuracy, testConfig } from './helpers.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

const space = createSpace('nb201');
const row = (i: number, ...values: (number | string)[]) =>
  `${i},${toBenchmarkString(sampleAtBenchmarkIndex(i))},${values.join(',')}`;

function problem(text: string): string {
  try {
    parseBenchmarkTable(text, space, 't.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected the table to be rejected');
}

describe('benchmark tables (index,arch,<metrics>)', () => {
  it('looks up every metric of an architecture by its key, and knows each column’s maximum', () => {
    const table = parseBenchmarkTable(
      ['index,arch,acc,loss', row(0, 85.5, 0.5), row(1, 93.25, ''), row(7, 90, 0.25), ''].join('\n'),
      space,
      't.csv',
    );
    expect(table.metrics).toEqual(['acc', 'loss']);
    expect(table.size).toBe(3);
    expect(table.lookup(space.key(sampleAtBenchmarkIndex(1)))?.acc).toBe(93.25);
    expect(table.lookup(space.key(sampleAtBenchmarkIndex(1)))?.loss).toBeNaN();
    expect(table.lookup(space.key(sampleAtBenchmarkIndex(2)))).toBeUndefined();
    expect(table.max('acc')).toBe(93.25);
    expect(table.max('loss')).toBe(0.5);
    expect(() => table.max('nope')).toThrow('t.csv has no column "nope"');
  });

  it('accepts the first rows of the real benchmark (index order and string form as published)', () => {
    const head = [
      'index,arch,cifar10_test_acc',
      '0,|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,85.86333333333334',
      '1,|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|,93.66000000000001',
    ].join('\n');
    expect(parseBenchmarkTable(head, space, 'head.csv').max('cifar10_test_acc')).toBe(93.66000000000001);
  });

  it('rejects a bad table with the file, the line and what is wrong', () => {
    expect(problem('idx,arch,acc\n')).toContain('t.csv:1: expected the header "index,arch,<metric>');
    expect(problem('index,arch\n')).toContain('t.csv:1:');
    expect(problem(`index,arch,acc\n${row(0, 1)}\n${row(1, 1, 2)}`)).toContain('t.csv:3: expected 3 cells, got 4');
    expect(problem(`index,arch,acc\n5,${toBenchmarkString(sampleAtBenchmarkIndex(6))},1`)).toContain(
      't.csv:2: index 5 does not match the architecture, whose benchmark index is 6',
    );
    expect(problem('index,arch,acc\n0,|none~0|+|none~0|,1')).toContain(
      't.csv:2: "|none~0|+|none~0|" is not a NAS-Bench-201 cell',
    );
    expect(problem(`index,arch,acc\n${row(3, 1)}\n${row(3, 2)}`)).toContain('t.csv:3: architecture');
    expect(problem(`index,arch,acc\n${row(3, 'high')}`)).toContain(
      't.csv:2: column acc: expected a number, got "high"',
    );
    expect(() => readBenchmarkTable('/no/such/table.csv', space)).toThrow(
      'cannot read the benchmark table /no/such/table.csv',
    );
  });

  it('answers a trial from its row, with cost-model figures, and fails one the table lacks', async () => {
    const table = parseBenchmarkTable(['index,arch,acc', row(1, 93.25)].join('\n'), space, 't.csv');
    const evaluator = tableEvaluator(table, space);
    const task = (i: number) =>
      ({
        version: 1,
        trialId: i,
        number: i,
        sample: sampleAtBenchmarkIndex(i),
        config: testConfig(),
        seed: 0,
      }) as never;
    const hit = await evaluator.run(task(1));
    expect(hit).toMatchObject({ ok: true, value: { metrics: { acc: 93.25 } } });
    // cell 1 has three 3×3 and no 1×1 conv edges: the 802,426 parameters `nas estimate` gives it
    expect((hit as unknown as { value: { cost: { params: number } } }).value.cost.params).toBe(802_426);
    const miss = await evaluator.run(task(2));
    expect(miss).toMatchObject({ ok: false, kind: 'error', error: { name: 'TableMiss' } });
  });

  it('plugs into the real driver: a search whose every trial is a table look-up', async () => {
    const file = writeNb201Table(
      (s) => [fakeAccuracy(space.key(s)), smoothAccuracy(s)],
      ['validationAccuracy', 'smooth'],
    );
    const table = readBenchmarkTable(file, space);
    const config = testConfig({
      strategy: { name: 'regularized-evolution', options: { populationSize: 6, sampleSize: 3 } },
      budget: { trials: 20 },
      workers: 3,
    });
    expect(
      await startSearch(config, { emit: () => undefined, evaluator: tableEvaluator(table, space, { concurrency: 3 }) }),
    ).toBe('finished');
    const storage = await openSqliteStorage(config.storage);
    const trials = await storage.listTrials((await storage.getExperiment('exp'))?.id ?? -1);
    await storage.close();
    expect(trials).toHaveLength(20);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.outcome?.metrics).toEqual(table.lookup(t.key));
      expect(t.outcome?.cost.macs).toBeGreaterThan(0);
    }
    fs.rmSync(file);
  });
});
