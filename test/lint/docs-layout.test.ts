// docs/architecture.md's layout block names every entry of `ls src/*` under its folder, and every
// document the repository's docs and comments cite is in it (docs/conventions.md, *Small and plain*).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The lines of each top-level folder in the layout block (from `  core/` to the next folder). */
function layoutSections(doc: string): Map<string, string> {
  const block = /```\nsrc\/\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error('docs/architecture.md: no layout block starting with "src/"');
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const top = /^ {2}(\w+)\//.exec(line)?.[1];
    if (top !== undefined) current = top;
    else if (/^\S/.test(line)) current = undefined;
    if (current !== undefined) sections.set(current, `${sections.get(current) ?? ''}${line}\n`);
  }
  return sections;
}

/** What is missing from a section's text: each file by name, each folder as `name/`. */
function unnamed(dir: string, text: string): string[] {
  const words = new Set(text.match(/[\w.+-]+\/?/g) ?? []);
  return readdirSync(path.join(root, 'src', dir), { withFileTypes: true })
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .filter((name) => !words.has(name));
}

describe('docs/architecture.md, layout', () => {
  const sections = layoutSections(read('docs/architecture.md'));

  it('has a section for each folder of src/, and no other', () => {
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect([...sections.keys()].sort()).toEqual(folders.sort());
  });

  it('finds an entry the text leaves out, and takes a file only by its whole name', () => {
    expect(
      unnamed(
        'core',
        'arch.ts data.ts diagnostics.ts errors.ts events.ts options.ts process-alive.ts trial.ts trial-diagnostics.ts rng.tsx',
      ),
    ).toEqual(['rng.ts']);
  });

  it.each([...sections.keys()])('names every entry of src/%s', (dir) => {
    expect(unnamed(dir, sections.get(dir) as string)).toEqual([]);
  });
});

describe('the docs cite only files of the repository', () => {
  it.each(['STYLE.md', 'ARCHITECTURE.md'])('nothing in src, test, bench or docs cites %s', (name) => {
    const cites = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(ts|tsx|mjs|md)$/.test(f) && !f.includes('node_modules'))
        .filter((f) => read(path.join(dir, f)).includes(name))
        .map((f) => path.join(dir, f));
    expect(
      ['src', 'test', 'bench', 'scripts', 'docs'].flatMap(cites).filter((f) => f !== 'test/lint/docs-layout.test.ts'),
    ).toEqual([]);
  });
});
