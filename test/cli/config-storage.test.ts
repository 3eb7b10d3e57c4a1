import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, storagePath } from '../../src/cli/config/loader.js';
import { artifactsDir, experimentDir, oneShotDir, trialModelDir } from '../../src/run/model-store.js';
import { tempDir, writeConfig } from './helpers.js';

// The config's `storage` (a SQLite path or a PostgreSQL URL) and `artifacts` (where the experiments'
// folders go), resolved, and the folders they give (docs/config.md, docs/storage.md).

const dir = tempDir();
const URL = 'postgres://nas:pw@db.example:5432/nas';

async function resolved(fields: string): Promise<{ storage: string; artifacts?: string }> {
  const file = writeConfig(
    dir,
    'experiments/c.ts',
    `{ name: 'c', dataset: { name: 'synthetic' }, space: { name: 'nb201' }, strategy: { name: 'random' }, budget: { trials: 1 }${fields} }`,
  );
  const { storage, artifacts } = await loadConfig(file);
  return { storage, ...(artifacts === undefined ? {} : { artifacts }) };
}

describe('storage and artifacts in a config', () => {
  it('a SQLite path is made absolute from the config folder; its experiments live beside it', async () => {
    const config = await resolved(`, storage: '../runs/x.sqlite'`);
    expect(config).toEqual({ storage: path.join(dir, 'runs/x.sqlite') });
    expect(experimentDir({ ...config, name: 'c' })).toBe(path.join(dir, 'runs/c'));
  });

  it('a PostgreSQL URL is kept as it is; the artifacts folder defaults to runs/ beside the config', async () => {
    const config = await resolved(`, storage: '${URL}'`);
    expect(config).toEqual({ storage: URL, artifacts: path.join(dir, 'experiments/runs') });
    expect(trialModelDir({ ...config, name: 'c' }, 3)).toBe(path.join(dir, 'experiments/runs/c/trial-3'));
    expect(oneShotDir({ ...config, name: 'c' })).toBe(path.join(dir, 'experiments/runs/c/oneshot'));
  });

  it('`artifacts` names the folder with either storage, relative to the config folder', async () => {
    expect(await resolved(`, storage: '${URL}', artifacts: '/shared/nas'`)).toEqual({
      storage: URL,
      artifacts: '/shared/nas',
    });
    expect(await resolved(`, artifacts: '../shared'`)).toEqual({
      storage: path.join(dir, 'experiments/runs/nas.sqlite'),
      artifacts: path.join(dir, 'shared'),
    });
  });

  it('an experiment stored with a URL and no artifacts (written through the API) keeps its files in runs/ of the working directory', () => {
    expect(artifactsDir({ storage: URL })).toBe(path.resolve('runs'));
  });

  it('`--storage` takes a URL as it is and a path from the working directory', async () => {
    expect(await storagePath(URL, dir)).toBe(URL);
    expect(await storagePath('a/b.sqlite', dir)).toBe(path.join(dir, 'a/b.sqlite'));
  });

  it('refuses a storage URL that does not parse and an empty storage, showing no password', async () => {
    await expect(resolved(`, storage: 'postgres://nas:pw@db.example:port/nas'`)).rejects.toThrow(
      'storage: expected a PostgreSQL URL that parses: postgres://user:password@host:port/database (a password with @, :, / or % in it percent-encoded: %40, %3A, %2F, %25), got "postgres://nas@db.example:port/nas"',
    );
    await expect(resolved(`, storage: ''`)).rejects.toThrow(
      'storage: expected a SQLite file path or a PostgreSQL URL (postgres://user:password@host:port/database), got ""',
    );
    await expect(resolved(`, artifacts: ''`)).rejects.toThrow('artifacts: expected a folder path, got ""');
  });
});
