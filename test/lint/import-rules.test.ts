import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint enforces the architecture', () => {
  it('forbids src/core from importing any other layer', async () => {
    expect(await ruleIds('src/core/x.ts', "import { a } from '../space/y.js';\nexport const b = a;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('lets src/space import src/core', async () => {
    expect(
      await ruleIds('src/space/x.ts', "import { Rng } from '../core/rng.js';\nexport const r = new Rng(1);\n"),
    ).toEqual([]);
  });

  it('forbids src/backend from importing src/eval', async () => {
    expect(await ruleIds('src/backend/x.ts', "import { a } from '../eval/y.js';\nexport const b = a;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('lets src/eval import backend/tf.js but nothing else of src/backend', async () => {
    expect(
      await ruleIds('src/eval/x.ts', "import { loadTf } from '../backend/tf.js';\nexport const t = loadTf;\n"),
    ).toEqual([]);
    expect(await ruleIds('src/eval/x.ts', "import { a } from '../backend/pool.js';\nexport const b = a;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('loads tfjs-node only through backend/tf.ts, though types may be imported anywhere', async () => {
    expect(
      await ruleIds('src/eval/x.ts', "import * as tf from '@tensorflow/tfjs-node';\nexport const t = tf;\n"),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await ruleIds('src/eval/x.ts', "import type { Tensor } from '@tensorflow/tfjs-node';\nexport type T = Tensor;\n"),
    ).toEqual([]);
  });

  it('bans console.log and Math.random in src/', async () => {
    const ids = await ruleIds('src/space/x.ts', 'console.log(Math.random());\n');
    expect(ids).toContain('no-console');
    expect(ids).toContain('no-restricted-properties');
  });
});
