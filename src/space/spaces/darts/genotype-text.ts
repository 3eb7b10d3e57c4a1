import type { SampleIssue } from '../../search-space.js';
import { CELLS, type DartsEdge, type DartsSample } from './genotype.js';

/**
 * The DARTS code's text form of a genotype (`genotypes.py`): `Genotype(normal=[('sep_conv_3x3', 0), …],
 * normal_concat=range(2, 6), reduce=[…], reduce_concat=range(2, 6))`.
 */
export function formatGenotype(s: DartsSample): string {
  const list = (edges: readonly DartsEdge[]): string => `[${edges.map(([op, i]) => `('${op}', ${i})`).join(', ')}]`;
  const concat = `range(2, ${2 + s.normal.length / 2})`;
  return `Genotype(normal=${list(s.normal)}, normal_concat=${concat}, reduce=${list(s.reduce)}, reduce_concat=${concat})`;
}

const FIELD = /(\w+)\s*=\s*(\[[^\]]*\]|range\s*\([^)]*\))/g;
const EDGE = /\(\s*(['"])(\w+)\1\s*,\s*(\d+)\s*\)/g;

/** Whether only separators remain once the matched parts are cut out. */
const onlySeparators = (text: string, pattern: RegExp): boolean =>
  text.replace(pattern, '').replace(/[\s,]/g, '') === '';

function readEdges(list: string, path: string, issues: SampleIssue[]): DartsEdge[] {
  const inner = list.slice(1, -1);
  if (!onlySeparators(inner, EDGE))
    issues.push({ path, message: `expected a list of ('op', input) tuples, got ${list}` });
  return [...inner.matchAll(EDGE)].map((m): DartsEdge => [m[2] ?? '', Number(m[3])]);
}

function readConcat(value: string): number[] | undefined {
  const range = /^range\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(value);
  if (range !== null) {
    const [lo, hi] = [Number(range[1]), Number(range[2])];
    return Array.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
  }
  const inner = value.slice(1, -1).trim();
  if (inner === '') return [];
  const items = inner.split(',').map((x) => x.trim());
  return items.every((x) => /^\d+$/.test(x)) ? items.map(Number) : undefined;
}

/**
 * Reads the text form into a raw sample (checked afterwards like any sample) and the problems of the
 * text itself: syntax, unknown fields, a concat other than every intermediate node.
 */
export function readGenotype(text: string, nodes: number): { value: Record<string, unknown>; issues: SampleIssue[] } {
  const issues: SampleIssue[] = [];
  const value: Record<string, unknown> = {};
  const body = /^\s*(?:Genotype\s*)?\(([\s\S]*)\)\s*$/.exec(text)?.[1];
  if (body === undefined || !onlySeparators(body, FIELD)) {
    issues.push({
      path: 'sample',
      message: 'expected Genotype(normal=[(op, input), …], normal_concat=…, reduce=[…], reduce_concat=…)',
    });
    return { value, issues };
  }
  const want = Array.from({ length: nodes }, (_, i) => i + 2);
  for (const [, name = '', raw = ''] of body.matchAll(FIELD)) {
    const cell = CELLS.find((c) => c === name || `${c}_concat` === name);
    if (cell === undefined) {
      issues.push({
        path: name,
        message: `unknown field; expected ${CELLS.flatMap((c) => [c, `${c}_concat`]).join(', ')}`,
      });
    } else if (name === cell) {
      value[cell] = raw.startsWith('[') ? readEdges(raw, cell, issues) : raw;
    } else if (readConcat(raw)?.join() !== want.join()) {
      issues.push({
        path: name,
        message: `expected range(2, ${nodes + 2}) (every intermediate node is concatenated), got ${raw}`,
      });
    }
  }
  return { value, issues };
}
