import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/cli/config/loader.js';
import { tempDir, writeConfig } from './helpers.js';

const dir = tempDir();
let files = 0;

/** Loads a small valid config with `patch` spliced in. */
function load(patch: string) {
  const file = writeConfig(
    dir,
    `keep-${files++}.ts`,
    `{ name: 'exp', dataset: { name: 'synthetic' }, space: { name: 'nb201' }, strategy: { name: 'random' }, budget: { trials: 3 }, ${patch} }`,
  );
  return loadConfig(file);
}

async function problems(patch: string): Promise<string[]> {
  const error = await load(patch).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('keepModels in a config', () => {
  it("resolves to 'all' by default, and keeps 'none' and { best: k } as given", async () => {
    expect((await load('')).keepModels).toBe('all');
    expect((await load("keepModels: 'none'")).keepModels).toBe('none');
    expect((await load('keepModels: { best: 5 }')).keepModels).toEqual({ best: 5 });
  });

  it("takes saveModels as its older form: false is 'none', true is 'all'", async () => {
    const off = await load('saveModels: false');
    expect([off.keepModels, off.saveModels]).toEqual(['none', undefined]);
    expect((await load('saveModels: true')).keepModels).toBe('all');
  });

  it('refuses other values and both fields at once, saying what it expected and what it got', async () => {
    const expected = "keepModels: expected 'all', 'none' or { best: k } with k a positive integer";
    expect(await problems("keepModels: 'some'")).toEqual([`${expected}, got "some"`]);
    expect(await problems('keepModels: { best: 0 }')).toEqual(['keepModels.best: expected a positive integer, got 0']);
    expect(await problems('keepModels: { best: 2.5 }')).toEqual([`${expected}, got {"best":2.5}`]);
    expect(await problems('keepModels: { top: 2 }')).toEqual([`${expected}, got {"top":2}`]);
    expect(await problems('keepModels: { best: 2 }, saveModels: false')).toEqual([
      "saveModels: expected keepModels alone (saveModels is its older form: false is keepModels 'none'), got false",
    ]);
  });
});
