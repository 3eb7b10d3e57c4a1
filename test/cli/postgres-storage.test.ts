import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openStorage } from '../../src/backend/storage/index.js';
import type { LsJson } from '../../src/cli/format/ls.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import type { Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import { PASSWORD_USER } from '../backend/storage/postgres-server.js';
import { describePostgres } from '../backend/storage/postgres-describe.js';
import { smoothAccuracy, smoothTableConfig } from '../run/table-fixture.js';
import { runCli, tempDir } from './helpers.js';

// `storage: 'postgres://…'` end to end through the real commands, on a throwaway server: a search
// from one folder, then ls, show, report and resume from another one, as another machine would run
// them; the URL's password never printed, and a bad URL or a server out of reach a user error.

const PASSWORD = 's3cret-pw';

describePostgres('a PostgreSQL URL as the storage of the commands', (server) => {
  const searched = tempDir('nas-pg-search-');
  const elsewhere = tempDir('nas-pg-other-');
  let url = '';
  let shown = '';

  beforeAll(async () => {
    await server().sql(`CREATE ROLE ${PASSWORD_USER} LOGIN PASSWORD '${PASSWORD}'`);
    await server().sql(`CREATE DATABASE cli OWNER ${PASSWORD_USER}`);
    url = `postgres://${PASSWORD_USER}:${PASSWORD}@127.0.0.1:${server().port}/cli`;
    shown = `postgres://${PASSWORD_USER}@127.0.0.1:${server().port}/cli`;
  }, 60_000);

  it('`nas search` stores the experiment in the database, the URL without its password in its config', async () => {
    const run = await runCli(['search', smoothTableConfig(searched, 'pg', url, 12)], searched);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).not.toContain(PASSWORD);
    const rows = await server().sql<{ storage: string; artifacts: string }>(
      "SELECT config->>'storage' AS storage, config->>'artifacts' AS artifacts FROM experiments",
      'cli',
    );
    expect(rows).toEqual([{ storage: shown, artifacts: path.join(searched, 'runs') }]);
    expect(fs.existsSync(path.join(searched, 'runs'))).toBe(false); // a table search saves no models
  });

  it('`nas ls` from another folder lists it: the URL without its password, no file size', async () => {
    const json = await runCli(['ls', '--storage', url, '--json'], elsewhere);
    expect([json.code, json.stderr]).toEqual([0, '']);
    const ls = JSON.parse(json.stdout) as LsJson;
    expect([ls.storage, ls.storageBytes]).toEqual([shown, null]);
    expect(ls.experiments.map((e) => [e.name, e.status, e.progress.done, e.trials.COMPLETE, e.disk])).toEqual([
      ['pg', 'finished', 12, 12, { models: 0, checkpoints: 0 }],
    ]);
    const text = await runCli(['ls', '--storage', url], elsewhere);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`experiments in ${shown}`);
    expect(text.stdout).not.toContain(PASSWORD);
  });

  it("`nas show` from another folder has every trial with the table's value", async () => {
    const run = await runCli(['show', 'pg', '--storage', url, '--json', '--sort', 'number'], elsewhere);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).not.toContain(PASSWORD);
    const show = JSON.parse(run.stdout) as ShowJson;
    expect(show.storage).toBe(shown);
    expect(show.config.storage).toBe(shown);
    expect(show.trials.map((t) => t.number)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const storage = await openStorage(url, { readonly: true });
    try {
      const experiment = await storage.getExperiment('pg');
      const trials = await storage.listTrials(experiment?.id ?? -1);
      expect(trials.map((t) => t.outcome?.metrics.acc)).toEqual(
        trials.map((t) => smoothAccuracy(t.sample as Nb201Sample)),
      );
      expect(show.trials.map((t) => t.metrics.acc)).toEqual(trials.map((t) => t.outcome?.metrics.acc));
    } finally {
      await storage.close();
    }
  });

  it('`nas report` and `nas resume` from another folder', async () => {
    const report = await runCli(['report', 'pg', '--storage', url, '--out', 'report'], elsewhere);
    expect([report.code, report.stderr]).toEqual([0, '']);
    expect(report.stdout).toMatch(/^wrote report\/index\.html and \d+ PNG file\(s\)\n$/);
    expect(fs.readFileSync(path.join(elsewhere, 'report/index.html'), 'utf8')).not.toContain(PASSWORD);
    const resumed = await runCli(['resume', 'pg', '--storage', url, '--reporter', 'json'], elsewhere);
    expect([resumed.code, resumed.stderr]).toEqual([0, '']);
    expect(
      resumed.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['experiment-started', 'experiment-finished']);
  });

  it('a malformed URL, a server out of reach and a refused password are user errors that never print the password', async () => {
    const port = server().port;
    const malformed = await runCli(
      ['ls', '--storage', `postgres://${PASSWORD_USER}:${PASSWORD}@127.0.0.1:x${port}/cli`],
      elsewhere,
    );
    expect([malformed.code, malformed.stderr]).toEqual([
      1,
      `StorageError: cannot read the PostgreSQL URL postgres://${PASSWORD_USER}@127.0.0.1:x${port}/cli: Invalid URL\n` +
        '  what to do: write it as postgres://user:password@host:port/database (a password with @, :, / or % in it percent-encoded: %40, %3A, %2F, %25)\n',
    ]);
    const unreachable = await runCli(
      ['show', 'pg', '--storage', `postgres://${PASSWORD_USER}:${PASSWORD}@127.0.0.1:1/cli`],
      elsewhere,
    );
    expect([unreachable.code, unreachable.stderr]).toEqual([
      1,
      'StorageError: cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)\n' +
        '  what to do: start the server (e.g. `pg_ctl start -D <data folder>`, or the system service), or fix the host and port in the URL\n',
    ]);
    const refused = await runCli(['ls', '--storage', url.replace(PASSWORD, 'wrong-pw')], elsewhere);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^StorageError: PostgreSQL at 127\\.0\\.0\\.1:${port} refused user "${PASSWORD_USER}"`),
    );
    expect(refused.stderr).not.toContain('wrong-pw');
  });

  it('a config whose storage URL does not parse is refused before anything runs, without its password', async () => {
    const bad = `postgres://${PASSWORD_USER}:${PASSWORD}@127.0.0.1:x1/cli`;
    const run = await runCli(['search', smoothTableConfig(elsewhere, 'bad', bad, 1)], elsewhere);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual([
      'ConfigError: bad.ts is invalid (1 problem)',
      `  • storage: expected a PostgreSQL URL that parses: postgres://user:password@host:port/database (a password with @, :, / or % in it percent-encoded: %40, %3A, %2F, %25), got "postgres://${PASSWORD_USER}@127.0.0.1:x1/cli"`,
    ]);
    expect(run.stderr).not.toContain(PASSWORD);
  });
});
