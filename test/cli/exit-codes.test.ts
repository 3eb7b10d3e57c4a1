import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { MIGRATIONS } from '../../src/backend/storage/migrations.js';
import { runCli, tempDir, writeConfig } from './helpers.js';

const valid = (patch = '') =>
  `{ name: 'x', dataset: { name: 'synthetic' }, space: { name: 'nb201' }, strategy: { name: 'random' }, budget: { trials: 1 }, ${patch} }`;

describe('exit codes and user-error messages', () => {
  it('an invalid config: exit 2, every problem listed, no stack, no storage file created', async () => {
    const dir = tempDir();
    writeConfig(dir, 'nas.config.ts', valid("train: { epochs: 0 }, space: { name: 'nb201', options: { cells: -1 } }"));
    const run = await runCli(['search'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'ConfigError: nas.config.ts is invalid (2 problems)\n' +
        '  • space.options.cells: expected an integer ≥ 1, got -1\n' +
        '  • train.epochs: expected a positive integer, got 0\n' +
        '  what to do: docs/config.md describes every field; `nas list spaces|strategies|datasets` shows the options of each\n',
    );
    expect(fs.readdirSync(dir)).toEqual(['nas.config.ts']);
  });

  it('a missing data set directory: exit 1, says what to set, no storage file created', async () => {
    const dir = tempDir();
    writeConfig(dir, 'experiments/c.ts', valid("dataset: { name: 'cifar10', options: { dir: '../cifar' } }"));
    const run = await runCli(['search', 'experiments/c.ts'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `DatasetError: data set "cifar10": dir ${path.join(dir, 'cifar')} does not exist\n` +
        '  what to do: set dataset.options.dir in experiments/c.ts to a directory with data_batch_1.bin … data_batch_5.bin and test_batch.bin (the binary version, cifar-10-binary.tar.gz, extracted)\n',
    );
    expect(fs.readdirSync(dir)).toEqual(['experiments']);
  });

  it('no config file: exit 1 with what to do', async () => {
    const run = await runCli(['search'], tempDir());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nas: there is no config file at nas\.config\.ts\n {2}what to do: pass one/);
  });

  it('a storage file from a newer nas: exit 1, names the upgrade', async () => {
    const file = path.join(tempDir(), 'future.sqlite');
    const future = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'future',
        sql: 'CREATE TABLE future (x INTEGER)',
        postgres: 'CREATE TABLE future (x INTEGER)',
      },
    ];
    await (await openSqliteStorage(file, { migrations: future })).close();
    for (const args of [['ls'], ['show', 'x'], ['resume', 'x']]) {
      const run = await runCli([...args, '--storage', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `StorageError: ${file} has schema version ${future.length}, newer than this nas knows (${MIGRATIONS.length})\n` +
          '  what to do: upgrade nas to the version that wrote it (in the nas folder: `git pull && npm install`)\n',
      );
    }
  });

  it('a storage file that does not exist: exit 1', async () => {
    const file = path.join(tempDir(), 'none.sqlite');
    const run = await runCli(['ls', '--storage', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `StorageError: there is no nas database at ${file}\n  what to do: a \`nas search\` creates it\n`,
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it('bad flags: exit 2 with the usage; --help: exit 0 on every command', async () => {
    const bad = await runCli(['search', '--workers', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/option '--workers <n>' argument '0' is invalid\. expected a positive integer, got "0"/);
    expect((await runCli(['search', '--reporter', 'fancy'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const commands = ['search', 'resume', 'ls', 'show', 'list', 'estimate', 'bench', 'export', 'report', 'baseline'];
    const helps = await Promise.all(commands.map((command) => runCli([command, '--help'])));
    helps.forEach((help, i) => {
      expect(help.code, commands[i]).toBe(0);
      expect(help.stdout, commands[i]).toMatch(new RegExp(`^Usage: nas ${commands[i]}`));
    });
  });
});
