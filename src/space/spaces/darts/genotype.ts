import type { SampleIssue } from '../../search-space.js';
import type { DartsOpName } from './ops.js';

/** One edge of a node: the op and the state it reads (0, 1: the cell's inputs; 2, 3, …: earlier nodes). */
export type DartsEdge = readonly [op: string, input: number];

/**
 * A DARTS genotype: for each cell kind, two edges per intermediate node, node after node (the paper's
 * `Genotype.normal` / `.reduce`). Every intermediate node is concatenated into the cell's output.
 */
export type DartsSample = { readonly normal: readonly DartsEdge[]; readonly reduce: readonly DartsEdge[] };

/** The two cell kinds, in encoding order. */
export const CELLS = ['normal', 'reduce'] as const;
export type CellKind = (typeof CELLS)[number];

/** The resolved definition of a DARTS space. */
export interface DartsConfig {
  /** Ops of the discrete space (the op set without `none`). */
  readonly ops: readonly DartsOpName[];
  /** Ops of the relaxation: the op set as given, `none` included. */
  readonly relaxed: readonly DartsOpName[];
  /** Intermediate nodes per cell (B). */
  readonly nodes: number;
  /** Cells in the network (L). */
  readonly layers: number;
  /** Initial channels (C). */
  readonly channels: number;
}

/** The label of an edge's op or input: `normal.node3.op1` (nodes are numbered as states, from 2). */
export const edgeLabel = (cell: CellKind, edge: number, what: 'op' | 'in'): string =>
  `${cell}.node${2 + Math.floor(edge / 2)}.${what}${edge % 2}`;

/** The cell with the two edges of each node ordered by input (the architecture does not depend on that order). */
export function canonicalCell(edges: readonly DartsEdge[]): DartsEdge[] {
  const out: DartsEdge[] = [];
  for (let j = 0; j + 1 < edges.length; j += 2) {
    const a = edges[j] as DartsEdge;
    const b = edges[j + 1] as DartsEdge;
    out.push(...(a[1] <= b[1] ? [a, b] : [b, a]).map((e): DartsEdge => [e[0], e[1]]));
  }
  return out;
}

/** The one spelling of a sample's architecture: each node's edges ordered by input. */
export function canonicalSample(s: DartsSample): DartsSample {
  return { normal: canonicalCell(s.normal), reduce: canonicalCell(s.reduce) };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

function edgeIssues(cfg: DartsConfig, cell: CellKind, edges: readonly unknown[], j: number): SampleIssue[] {
  const edge = edges[j];
  if (!Array.isArray(edge) || edge.length !== 2) {
    return [
      {
        path: `${cell}.node${2 + Math.floor(j / 2)}.edge${j % 2}`,
        message: `expected an [op, input] pair, got ${show(edge)}`,
      },
    ];
  }
  const [op, input] = edge as unknown[];
  const issues: SampleIssue[] = [];
  if (!(cfg.ops as readonly unknown[]).includes(op)) {
    const note = op === 'none' ? ' ("none" belongs to the relaxation only)' : '';
    issues.push({
      path: edgeLabel(cell, j, 'op'),
      message: `expected one of ${cfg.ops.join(', ')}, got ${show(op)}${note}`,
    });
  }
  const k = 2 + Math.floor(j / 2);
  if (!(Number.isInteger(input) && (input as number) >= 0 && (input as number) < k)) {
    issues.push({
      path: edgeLabel(cell, j, 'in'),
      message: `expected a state 0..${k - 1} (cell inputs 0, 1; earlier nodes 2…), got ${show(input)}`,
    });
  } else if (j % 2 === 1) {
    const other = edges[j - 1];
    if (Array.isArray(other) && other[1] === input) {
      issues.push({
        path: edgeLabel(cell, j, 'in'),
        message: `expected a state other than in0 (${input}): a node reads two distinct states`,
      });
    }
  }
  return issues;
}

/** Every problem of an untrusted value as a genotype of this space, each with its label path. */
export function genotypeIssues(value: unknown, cfg: DartsConfig): SampleIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      {
        path: 'sample',
        message: `expected { normal: [[op, input], …], reduce: [[op, input], …] }, got ${show(value)}`,
      },
    ];
  }
  const record = value as Record<string, unknown>;
  const issues: SampleIssue[] = Object.keys(record)
    .filter((key) => !(CELLS as readonly string[]).includes(key))
    .map((key) => ({ path: key, message: `unknown field; expected ${CELLS.join(', ')}` }));
  const want = 2 * cfg.nodes;
  for (const cell of CELLS) {
    const edges = record[cell];
    if (!Array.isArray(edges) || edges.length !== want) {
      const got = Array.isArray(edges) ? `${edges.length} pairs` : show(edges);
      issues.push({
        path: cell,
        message: `expected ${want} [op, input] pairs (two per node, ${cfg.nodes} nodes), got ${got}`,
      });
      continue;
    }
    for (let j = 0; j < want; j++) issues.push(...edgeIssues(cfg, cell, edges, j));
  }
  return issues;
}
