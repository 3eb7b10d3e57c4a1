// What the detailed design and the optimization items read off a network: its depth in weight layers,
// its shortcuts, attention modules, normalisation, dropout and drop-path, and k×k windows on 1×1 maps.
import { INPUT_ID, type ArchSpec, type Pair } from '../../core/arch.js';
import type { ResolvedArch, ResolvedNode } from '../../space/resolve.js';

/** Ops with weights that count as a layer of depth (a network's "18" in ResNet-18). */
export const WEIGHT_OPS: ReadonlySet<string> = new Set(['conv', 'dwconv', 'sepconv', 'deconv', 'dense']);
/** Ops with a spatial window that looks at neighbours (a transposed conv on 1×1 upsamples, which is fine). */
const WINDOW_OPS: ReadonlySet<string> = new Set(['conv', 'dwconv', 'sepconv', 'maxpool', 'avgpool']);
/** Block ops with a residual branch, as the spec names them. */
export const BLOCK_KINDS = ['basic', 'bottleneck', 'inverted_residual'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number] | 'plain';
export type AttentionKind = 'se' | 'cbam';

export interface GraphFacts {
  /** Weight layers on the longest data path from input to output. */
  readonly depth: number;
  /** Weight layers in all. */
  readonly weightLayers: number;
  /** Sums on the data path: residual joins and cell sums (an attention gate's own sums are not on it). */
  readonly additions: number;
  /** Concatenations on the data path. */
  readonly concatenations: number;
  /** The spec's residual block kind used most, 'plain' without any. */
  readonly kind: BlockKind;
  /** Attention modules per kind: `se` / `cbam` nodes and blocks with attention on their branch. */
  readonly attention: Readonly<Record<AttentionKind, number>>;
  readonly batchNorm: number;
  /** Dropout rates of the network's dropout layers, in order. */
  readonly dropout: readonly number[];
  /** The largest drop-path rate of any branch (0: none). */
  readonly dropPath: number;
  /** k×k windows (k > 1) whose input map is 1×1: a kernel that sees only padding beside its centre. */
  readonly windowsOn1x1: readonly string[];
}

const side = (p: Pair): readonly [number, number] => (typeof p === 'number' ? [p, p] : p);

/** A node's inputs on the data path: a `mul` scales its first input by a gate (its second, broadcast one), which is a side path. */
const dataInputs = (n: ResolvedNode): readonly string[] =>
  n.node.op === 'mul' ? n.node.inputs.slice(0, 1) : n.node.inputs;

/** The nodes the outputs depend on through data inputs only: the network without its attention gates. */
function dataPath(arch: ResolvedArch): Set<string> {
  const byId = new Map(arch.nodes.map((n) => [n.id, n]));
  const path = new Set<string>();
  const todo = [...arch.outputs];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    const n = byId.get(id);
    if (n === undefined || path.has(id)) continue;
    path.add(id);
    todo.push(...dataInputs(n));
  }
  return path;
}

export function graphFacts(arch: ResolvedArch): GraphFacts {
  const depth = new Map<string, number>([[INPUT_ID, 0]]);
  for (const n of arch.nodes)
    depth.set(n.id, Math.max(0, ...dataInputs(n).map((i) => depth.get(i) ?? 0)) + (WEIGHT_OPS.has(n.node.op) ? 1 : 0));
  const path = dataPath(arch);
  const count = (ok: (n: ResolvedNode) => boolean): number => arch.nodes.filter(ok).length;
  const windowsOn1x1 = arch.nodes.filter((n) => {
    if (!WINDOW_OPS.has(n.node.op) || !('kernel' in n.node)) return false;
    const [h, w] = n.inputShapes[0] ?? [];
    const [kh, kw] = side(n.node.kernel);
    return h === 1 && w === 1 && (kh > 1 || kw > 1);
  });
  return {
    depth: Math.max(0, ...arch.outputs.map((o) => depth.get(o) ?? 0)),
    weightLayers: count((n) => WEIGHT_OPS.has(n.node.op)),
    additions: count((n) => n.node.op === 'add' && path.has(n.id)),
    concatenations: count((n) => n.node.op === 'concat' && path.has(n.id)),
    kind: blockKind(arch.spec),
    attention: attentionModules(arch.spec),
    batchNorm: count((n) => n.node.op === 'bn'),
    dropout: arch.nodes.flatMap((n) => (n.node.op === 'dropout' ? [n.node.rate] : [])),
    dropPath: Math.max(0, ...arch.nodes.map((n) => (n.node.op === 'drop_path' ? n.node.rate : 0))),
    windowsOn1x1: windowsOn1x1.map((n) => n.id),
  };
}

/** The residual block kind the spec uses most (ties: in BLOCK_KINDS order), 'plain' without any. */
function blockKind(spec: ArchSpec): BlockKind {
  let best: BlockKind = 'plain';
  let most = 0;
  for (const kind of BLOCK_KINDS) {
    const n = spec.nodes.filter((node) => node.op === kind).length;
    if (n > most) [best, most] = [kind, n];
  }
  return best;
}

function attentionModules(spec: ArchSpec): Record<AttentionKind, number> {
  const modules = { se: 0, cbam: 0 };
  for (const node of spec.nodes) {
    const kind = node.op === 'se' || node.op === 'cbam' ? node.op : 'attention' in node ? node.attention : undefined;
    if (kind === 'se' || kind === 'cbam') modules[kind]++;
  }
  return modules;
}
