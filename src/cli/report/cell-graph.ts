// Architectures as Graphviz DOT: a cell space's cell (nodes, op-labelled edges), else the frozen
// ArchSpec as a compact layer chain.
import { isJsonObject, type ArchNode, type ArchSpec, type Json } from '../../core/arch.js';

const GRAPH = 'bgcolor="white"; pad=0.2; nodesep=0.35; ranksep=0.45; fontname="DejaVu Sans";';
const NODE =
  'node [fontname="DejaVu Sans", fontsize=11, shape=box, style="rounded,filled", fillcolor="#f2f5f9", color="#7a8aa0"];';
const EDGE = 'edge [fontname="DejaVu Sans", fontsize=10, color="#55606e", fontcolor="#222"];';
const OP_COLOURS: Readonly<Record<string, string>> = {
  conv: '#1f77b4',
  pool: '#2ca02c',
  skip: '#9467bd',
  none: '#c7c7c7',
  dil: '#ff7f0e',
  sep: '#17becf',
};

type Edge = readonly [from: string, to: string, op: string];

/** The DOT drawing of `sample` of space `space` (nb201 and darts cells), else of `arch`'s layers. */
export function architectureDot(space: string, sample: Json, arch: ArchSpec | undefined, title: string): string {
  if (space === 'nb201' && isJsonObject(sample) && Array.isArray(sample.node1)) return nb201Dot(sample, title);
  if (space === 'darts' && isJsonObject(sample) && Array.isArray(sample.normal)) return dartsDot(sample, title);
  return arch === undefined ? digraph(title, [], []) : chainDot(arch, title);
}

function nb201Dot(sample: Readonly<Record<string, Json>>, title: string): string {
  const edges: Edge[] = [];
  for (const to of [1, 2, 3]) {
    const ops = sample[`node${to}`];
    if (Array.isArray(ops)) ops.forEach((op, from) => edges.push([`n${from}`, `n${to}`, String(op)]));
  }
  const nodes = [
    'n0 [label="input", fillcolor="#dfe8f5"]',
    'n1 [label="1"]',
    'n2 [label="2"]',
    'n3 [label="output", fillcolor="#f9e0d9"]',
  ];
  return digraph(title, nodes, edges, 'rankdir=LR;');
}

function dartsDot(sample: Readonly<Record<string, Json>>, title: string): string {
  const parts = ['normal', 'reduce'].map((kind) => {
    const list = sample[kind];
    const edges = Array.isArray(list) ? (list as readonly Json[]) : [];
    const count = Math.ceil(edges.length / 2);
    const id = (i: number) => `${kind}_${i}`;
    const nodes = [
      `${id(0)} [label="c[k-2]", fillcolor="#dfe8f5"]`,
      `${id(1)} [label="c[k-1]", fillcolor="#dfe8f5"]`,
      `${kind}_out [label="c[k]", fillcolor="#f9e0d9"]`,
    ];
    const lines: Edge[] = [];
    for (let i = 0; i < count; i++) {
      nodes.push(`${id(i + 2)} [label="${i}"]`);
      lines.push([id(i + 2), `${kind}_out`, '']);
    }
    edges.forEach((e, i) => {
      if (Array.isArray(e)) lines.push([id(Number(e[1])), id(Math.floor(i / 2) + 2), String(e[0])]);
    });
    return `subgraph cluster_${kind} { label="${kind} cell"; fontsize=12; color="#cccccc"; ${nodes.join('; ')}; ${lines.map(edgeLine).join(' ')} }`;
  });
  return `digraph G { ${GRAPH} rankdir=LR; label="${esc(title)}"; labelloc=t; fontsize=13; ${NODE} ${EDGE} ${parts.join(' ')} }`;
}

/** A plain chain (each node the only reader of the one before it) is one box, its ops listed, so long networks stay compact. */
function chainDot(arch: ArchSpec, title: string): string {
  const groups = chainGroups(arch.nodes.slice(0, 200));
  const head = groups.map((g) => g[0]?.id ?? '');
  const groupOf = new Map(groups.flatMap((g, i) => g.map((n) => [n.id, i] as const)));
  const shape = arch.input?.shape ? ` [${arch.input.shape.join('×')}]` : '';
  const nodeLines = [`"input" [label="input${shape}", fillcolor="#dfe8f5"]`];
  nodeLines.push(
    ...groups.map(
      (g, i) =>
        `"${esc(head[i] ?? '')}" [label="${g.map((n) => esc(layerLabel(n))).join('\\n')}"${g.length === 1 && (g[0]?.op === 'add' || g[0]?.op === 'concat') ? ', shape=ellipse' : ''}]`,
    ),
  );
  const edges: Edge[] = groups.flatMap((g, i) =>
    (g[0]?.inputs ?? []).map((from): Edge => [
      groupOf.has(from) ? (head[groupOf.get(from) ?? 0] ?? from) : from,
      head[i] ?? '',
      '',
    ]),
  );
  return digraph(title, nodeLines, edges, 'rankdir=TB; ranksep=0.25;');
}

/** Nodes in runs: a node joins the run of its single input when it is that input's only reader. */
function chainGroups(nodes: readonly ArchNode[]): ArchNode[][] {
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const groups: ArchNode[][] = [];
  const groupOf = new Map<string, ArchNode[]>();
  for (const n of nodes) {
    const only = n.inputs.length === 1 ? n.inputs[0] : undefined;
    const run = only === undefined || readers.get(only) !== 1 ? undefined : groupOf.get(only);
    const target = run !== undefined && run.at(-1)?.id === only ? run : undefined;
    if (target === undefined) groups.push([n]);
    else target.push(n);
    groupOf.set(n.id, target ?? (groups.at(-1) as ArchNode[]));
  }
  return groups;
}

/** A node's op with its main attribute (`conv 3×3 ×16`, `dense 10`). */
function layerLabel(node: ArchNode): string {
  const n: {
    readonly op: string;
    readonly kernel?: Json;
    readonly filters?: Json;
    readonly units?: Json;
    readonly activation?: Json;
  } = node;
  const kernel =
    n.kernel === undefined
      ? ''
      : ` ${Array.isArray(n.kernel) ? n.kernel.join('×') : `${String(n.kernel)}×${String(n.kernel)}`}`;
  const width = n.filters ?? n.units ?? n.activation;
  return `${node.op}${kernel}${width === undefined ? '' : ` ${typeof width === 'number' ? `×${width}` : String(width)}`}`;
}

function digraph(title: string, nodes: readonly string[], edges: readonly Edge[], extra = ''): string {
  return `digraph G { ${GRAPH} ${extra} label="${esc(title)}"; labelloc=t; fontsize=13; ${NODE} ${EDGE} ${nodes.join('; ')}${nodes.length > 0 ? ';' : ''} ${edges.map(edgeLine).join(' ')} }`;
}

function edgeLine([from, to, op]: Edge): string {
  if (op === '') return `"${esc(from)}" -> "${esc(to)}";`;
  const colour = Object.entries(OP_COLOURS).find(([k]) => op.includes(k))?.[1] ?? '#55606e';
  const style = op === 'none' ? ', style=dashed, fontcolor="#aaaaaa"' : ', penwidth=1.6';
  return `"${esc(from)}" -> "${esc(to)}" [label=" ${esc(op)} ", color="${colour}"${style}];`;
}

function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
