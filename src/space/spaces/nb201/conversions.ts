/**
 * The encodings of a NAS-Bench-201 cell (Dong & Yang, ICLR 2020), all in one place:
 *
 * - sample (JSON):   { node1: [op~0], node2: [op~0, op~1], node3: [op~0, op~1, op~2] }
 * - string:          `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` (the benchmark's form)
 * - index vector:    six op indices into {@link NB201_OPS}, edges in string order (what `encode` gives)
 * - product index:   mixed radix 5 over the index vector, last edge fastest (the benchmark
 *                    generator's enumeration, `CellStructure.gen_all`)
 * - benchmark index: the product order shuffled by the benchmark (see ./benchmark-order.ts)
 */
import type { SampleIssue } from '../../search-space.js';

/** The five edge ops, in the benchmark's order (`get_search_spaces('cell', 'nas-bench-201')`). */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

/** A cell: for node j (1..3), the op on the edge from each earlier node i < j. */
export type Nb201Sample = {
  readonly node1: readonly Nb201Op[];
  readonly node2: readonly Nb201Op[];
  readonly node3: readonly Nb201Op[];
};

/** Number of intermediate and output nodes of the cell (the input is node 0). */
export const NODES = ['node1', 'node2', 'node3'] as const;

/** The six edges in string order: [to, from]. */
export const EDGES: readonly (readonly [to: number, from: number])[] = [
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 0],
  [3, 1],
  [3, 2],
];

/** Number of cells of the space: 5^6. */
export const NB201_SIZE = NB201_OPS.length ** EDGES.length;

const isOp = (v: unknown): v is Nb201Op => typeof v === 'string' && (NB201_OPS as readonly string[]).includes(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Every problem of an untrusted value as a cell; empty when valid. */
export function cellIssues(raw: unknown): SampleIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [
      { path: 'sample', message: `expected { node1: [op], node2: [op, op], node3: [op, op, op] }, got ${show(raw)}` },
    ];
  }
  const rec = raw as Record<string, unknown>;
  const issues: SampleIssue[] = Object.keys(rec)
    .filter((k) => !(NODES as readonly string[]).includes(k))
    .map((k) => ({ path: k, message: `unknown field; expected ${NODES.join(', ')}` }));
  NODES.forEach((node, n) => {
    const list = rec[node];
    if (!Array.isArray(list) || list.length !== n + 1) {
      issues.push({
        path: node,
        message: `expected ${n + 1} op${n === 0 ? '' : 's'} (one per earlier node), got ${show(list)}`,
      });
      return;
    }
    list.forEach((op: unknown, i) => {
      if (!isOp(op))
        issues.push({ path: `${node}[${i}]`, message: `expected one of ${NB201_OPS.join(', ')}, got ${show(op)}` });
    });
  });
  return issues;
}

/** The six ops in string order. */
export function edgeOps(s: Nb201Sample): Nb201Op[] {
  return [...s.node1, ...s.node2, ...s.node3];
}

/** A cell from six ops in string order. */
export function fromEdgeOps(ops: readonly Nb201Op[]): Nb201Sample {
  if (ops.length !== EDGES.length) throw new RangeError(`expected ${EDGES.length} edge ops, got ${ops.length}`);
  return { node1: ops.slice(0, 1), node2: ops.slice(1, 3), node3: ops.slice(3, 6) };
}

/** The six op indices into {@link NB201_OPS}, edges in string order. */
export function toIndices(s: Nb201Sample): number[] {
  return edgeOps(s).map((op) => NB201_OPS.indexOf(op));
}

/** The cell of six op indices; throws on a wrong length or an index out of range. */
export function fromIndices(indices: readonly number[]): Nb201Sample {
  return fromEdgeOps(
    indices.map((i, e) => {
      const op = NB201_OPS[i];
      if (op === undefined)
        throw new RangeError(`edge ${e}: expected an op index in 0..${NB201_OPS.length - 1}, got ${i}`);
      return op;
    }),
  );
}

/** The benchmark's string form, `|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|…|`. */
export function toBenchmarkString(s: Nb201Sample): string {
  return `|${NODES.map((node) => s[node].map((op, i) => `${op}~${i}`).join('|')).join('|+|')}|`;
}

/** Parses the benchmark's string form; throws a RangeError naming the first problem. */
export function fromBenchmarkString(text: string): Nb201Sample {
  const t = text.trim();
  const nodes = t.split('+');
  if (nodes.length !== NODES.length)
    throw new RangeError(`expected 3 nodes separated by "+", got ${nodes.length} in "${t}"`);
  const ops = nodes.flatMap((part, n) => {
    if (!/^\|.*\|$/.test(part)) throw new RangeError(`node ${n + 1}: expected "|op~i|…|", got "${part}"`);
    const edges = part.slice(1, -1).split('|');
    if (edges.length !== n + 1)
      throw new RangeError(`node ${n + 1}: expected ${n + 1} edges, got ${edges.length} in "${part}"`);
    return edges.map((edge, i) => {
      const [op, from] = edge.split('~');
      if (!isOp(op))
        throw new RangeError(`node ${n + 1}: unknown op "${op ?? ''}"; expected one of ${NB201_OPS.join(', ')}`);
      if (from !== String(i))
        throw new RangeError(`node ${n + 1}: edge ${i} must come from node ${i} ("${op}~${i}"), got "${edge}"`);
      return op;
    });
  });
  return fromEdgeOps(ops);
}

/** Mixed-radix (base 5) index of the op indices, last edge fastest: the generator's product order. */
export function productIndex(s: Nb201Sample): number {
  return toIndices(s).reduce((acc, i) => acc * NB201_OPS.length + i, 0);
}

/** The cell at a product index in 0..15624. */
export function fromProductIndex(index: number): Nb201Sample {
  if (!Number.isInteger(index) || index < 0 || index >= NB201_SIZE)
    throw new RangeError(`expected a product index in 0..${NB201_SIZE - 1}, got ${index}`);
  const digits: number[] = [];
  for (let e = 0, r = index; e < EDGES.length; e++, r = Math.floor(r / NB201_OPS.length))
    digits.unshift(r % NB201_OPS.length);
  return fromIndices(digits);
}
