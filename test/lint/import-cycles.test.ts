import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// No module of src/ imports itself through others, not even for types: a circle means two files
// that are one concept, or a type that belongs in a third file (docs/conventions.md).

const src = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The files of src/ that `file` imports (relative specifiers, `import` and `export … from`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].flatMap((m) => {
    const base = path.join(path.dirname(file), m[1] as string).replace(/\.js$/, '');
    const found = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(existsSync);
    return found === undefined ? [] : [found];
  });
}

/** Every circle found by a depth-first walk, as the files around it (relative to src/). */
export function importCycles(files: readonly string[], edges: (file: string) => readonly string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges(file)) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const f of files) if (state.get(f) === undefined) visit(f);
  return cycles;
}

describe('imports in src/', () => {
  it('form no circle', () => {
    const cycles = importCycles(sourceFiles(src), importsOf).map((c) =>
      c.map((f) => path.relative(src, f)).join(' → '),
    );
    expect(cycles).toEqual([]);
  });

  it('the walk finds a circle when there is one', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
    expect(importCycles(['d', 'a', 'b', 'c'], (f) => graph[f] ?? [])).toEqual([['a', 'b', 'c', 'a']]);
  });
});
