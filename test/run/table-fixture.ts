import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeConfig } from '../cli/helpers.js';
import {
  NB201_SIZE,
  sampleAtBenchmarkIndex,
  toBenchmarkString,
  type Nb201Sample,
} from '../../src/space/spaces/nb201/index.js';

/**
 * Writes a NAS-Bench-201-format table (`index,arch,<columns…>`, the benchmark's index order and
 * string form) whose values are `values(sample)`; rows for which `keep` is false are left out.
 */
export function writeNb201Table(
  values: (s: Nb201Sample) => readonly number[],
  columns: readonly string[],
  keep: (index: number) => boolean = () => true,
): string {
  const lines = [`index,arch,${columns.join(',')}`];
  for (let i = 0; i < NB201_SIZE; i++) {
    if (!keep(i)) continue;
    const s = sampleAtBenchmarkIndex(i);
    lines.push(`${i},${toBenchmarkString(s)},${values(s).join(',')}`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nas-table-')), 'table.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A smooth stand-in accuracy: 80 + 2 per 3×3 conv edge + 1 per 1×1 conv edge − 3 per `none` on the last node; its maximum is the all-3×3 cell. */
export function smoothAccuracy(s: Nb201Sample): number {
  const ops = [...s.node1, ...s.node2, ...s.node3];
  const count = (op: string) => ops.filter((o) => o === op).length;
  return 80 + 2 * count('nor_conv_3x3') + count('nor_conv_1x1') - 3 * s.node3.filter((o) => o === 'none').length;
}

/**
 * Writes config `<name>.ts` into `dir`: a random search of `trials` trials answered by a table of
 * {@link smoothAccuracy} (no training: each trial is a handful of storage writes), stored at `storage`.
 */
export function smoothTableConfig(dir: string, name: string, storage: string, trials: number): string {
  smoothTable ??= writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
  return writeConfig(
    dir,
    `${name}.ts`,
    `{ name: ${JSON.stringify(name)}, dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' },
       strategy: { name: 'random' }, benchmark: { table: ${JSON.stringify(smoothTable)}, metric: 'acc' }, objectives: [{ metric: 'acc', direction: 'max' }],
       budget: { trials: ${trials} }, workers: 1, storage: ${JSON.stringify(storage)} }`,
  );
}

let smoothTable: string | undefined;
