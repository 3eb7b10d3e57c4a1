import {
  INPUT_ID,
  canonicalKey,
  type ArchIssue,
  type ArchNode,
  type ArchSpec,
  type BatchNormSettings,
  type BlockNode,
  type PrimitiveNode,
  type Shape,
} from '../core/arch.js';
import { defOf, ops } from './ops/index.js';
import { ShapeError, fmt, type ParamCount } from './ops/types.js';
import { ownerOf, topologicalOrder } from './order.js';
import { checkAttrs, checkInputShape, checkStructure, nodePath } from './structure.js';

/** What the data set decides: the input shape (wins over the spec's) and the class count for `units: "classes"`. */
export interface ResolveOptions {
  readonly inputShape?: Shape;
  readonly classes?: number;
}

/** One primitive op of the expanded graph, with its shapes and costs; what the builder builds. */
export interface ResolvedNode {
  readonly id: string;
  /** The primitive, `units: "classes"` replaced by the class count. */
  readonly node: PrimitiveNode;
  /** The top-level block this node was expanded from, if any. */
  readonly block: string | undefined;
  readonly inputShapes: readonly Shape[];
  readonly shape: Shape;
  readonly params: ParamCount;
  readonly macs: number;
  readonly otherOps: number;
  /** The output is a view of the first input. */
  readonly alias: boolean;
}

/** A validated architecture as a flat graph of primitives in execution (topological) order. */
export interface ResolvedArch {
  readonly spec: ArchSpec;
  readonly inputShape: Shape;
  readonly nodes: readonly ResolvedNode[];
  readonly outputs: readonly string[];
}

const SHARED_IGNORED = new Set(['id', 'inputs', 'weightsOf']);
const sharedKey = (n: object): string =>
  canonicalKey(Object.fromEntries(Object.entries(n).filter(([k]) => !SHARED_IGNORED.has(k))));

class Resolver {
  readonly issues: ArchIssue[] = [];
  readonly nodes: ResolvedNode[] = [];
  readonly shapes = new Map<string, Shape>();
  readonly failed = new Set<string>();
  private readonly byId = new Map<string, ResolvedNode>();

  constructor(
    inputShape: Shape,
    private readonly classes: number | undefined,
    private readonly batchNorm: BatchNormSettings | undefined,
  ) {
    this.shapes.set(INPUT_ID, inputShape);
  }

  emit(node: ArchNode, path: string, block: string | undefined): void {
    const inputs: Shape[] = [];
    for (const [j, ref] of node.inputs.entries()) {
      if (this.failed.has(ref) || this.failed.has(ownerOf(ref) ?? '')) return void this.failed.add(node.id);
      const shape = this.shapes.get(ref);
      if (shape === undefined) {
        this.issues.push({
          path: `${path}.inputs[${j}]`,
          message: `unknown input "${ref}"; block "${ownerOf(ref)}" has no such part`,
        });
        return void this.failed.add(node.id);
      }
      inputs.push(shape);
    }
    try {
      const def = defOf(node);
      if (def.kind === 'block') this.expand(def.expand(node as BlockNode, inputs), path, block ?? node.id, node.id);
      else this.primitive(node as PrimitiveNode, inputs, block);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      this.issues.push({ path: e.attr === undefined ? path : `${path}.${e.attr}`, message: e.message });
      this.failed.add(node.id);
    }
  }

  private expand(parts: readonly ArchNode[], path: string, block: string, id: string): void {
    for (const part of parts) {
      const partPath = `${path} > ${part.id}`;
      const bad = checkAttrs({ ...part }, ops[part.op].attrs, partPath);
      if (bad.length > 0) {
        this.issues.push(...bad);
        this.failed.add(part.id);
      } else {
        this.emit(part, partPath, block);
      }
    }
    if (!this.shapes.has(id)) this.failed.add(id);
  }

  private primitive(raw: PrimitiveNode, inputs: readonly Shape[], block: string | undefined): void {
    const node = this.filledIn(raw);
    const def = defOf(node);
    if (def.kind !== 'primitive') throw new Error(`bug: ${node.op} is not a primitive`);
    const shape = def.inferShape(inputs, node);
    const shared = this.sharedWith(node, inputs);
    const resolved: ResolvedNode = {
      id: node.id,
      node,
      block,
      inputShapes: inputs,
      shape,
      params: shared ? { trainable: 0, nonTrainable: 0 } : def.params(inputs, node, shape),
      macs: def.macs(inputs, node, shape),
      otherOps: def.otherOps(inputs, node, shape),
      alias: def.alias === true,
    };
    this.nodes.push(resolved);
    this.byId.set(node.id, resolved);
    this.shapes.set(node.id, shape);
  }

  /** The node with what the network decides: `units: "classes"` sized, a bn's unset momentum and epsilon from the spec's `batchNorm`. */
  private filledIn(raw: PrimitiveNode): PrimitiveNode {
    if (raw.op === 'dense' && raw.units === 'classes' && this.classes !== undefined)
      return { ...raw, units: this.classes };
    if (raw.op === 'bn' && this.batchNorm !== undefined) return { ...this.batchNorm, ...raw };
    return raw;
  }

  private sharedWith(node: PrimitiveNode, inputs: readonly Shape[]): boolean {
    if ((node.op !== 'conv' && node.op !== 'dense') || node.weightsOf === undefined) return false;
    const owner = this.byId.get(node.weightsOf);
    if (owner === undefined)
      throw new ShapeError(`expected the id of an earlier ${node.op} node, got "${node.weightsOf}"`, 'weightsOf');
    if (owner.node.op !== node.op || sharedKey(owner.node) !== sharedKey(node)) {
      throw new ShapeError(
        `"${node.weightsOf}" must be a ${node.op} with the same attributes to share its weights`,
        'weightsOf',
      );
    }
    const mine = inputs[0] ?? [];
    const theirs = owner.inputShapes[0] ?? [];
    if (fmt(mine) !== fmt(theirs)) {
      throw new ShapeError(
        `input ${fmt(mine)} differs from the input ${fmt(theirs)} of "${node.weightsOf}" whose weights it shares`,
        'weightsOf',
      );
    }
    return true;
  }
}

function checkOptions(spec: ArchSpec, opts: ResolveOptions): { inputShape?: Shape; issues: ArchIssue[] } {
  const inputShape = opts.inputShape ?? spec.input?.shape;
  const issues: ArchIssue[] = [];
  if (inputShape === undefined) {
    issues.push({ path: 'input.shape', message: 'missing; expected [H, W, C] in the spec or an inputShape option' });
  } else if (opts.inputShape !== undefined) {
    issues.push(...checkInputShape(opts.inputShape, 'options.inputShape'));
  }
  if (opts.classes !== undefined && !(Number.isInteger(opts.classes) && opts.classes > 0)) {
    issues.push({ path: 'options.classes', message: `expected a positive integer, got ${opts.classes}` });
  }
  return inputShape === undefined ? { issues } : { inputShape, issues };
}

/** Validates an untrusted spec and, if it is sound, expands blocks and infers every shape and cost. */
export function resolveArch(raw: unknown, opts: ResolveOptions = {}): { arch?: ResolvedArch; issues: ArchIssue[] } {
  const structural = checkStructure(raw);
  if (structural.length > 0) return { issues: structural };
  const spec = raw as ArchSpec;
  const { inputShape, issues } = checkOptions(spec, opts);
  const { order, issues: graphIssues } = topologicalOrder(spec.nodes);
  issues.push(...graphIssues);
  if (issues.length > 0 || inputShape === undefined) return { issues };
  const r = new Resolver(inputShape, opts.classes, spec.batchNorm);
  for (const i of order) {
    const node = spec.nodes[i] as ArchNode;
    r.emit(node, nodePath(i, node.id), undefined);
  }
  const outputs = typeof spec.output === 'string' ? [spec.output] : [...spec.output];
  outputs.forEach((ref, j) => {
    const path = typeof spec.output === 'string' ? 'output' : `output[${j}]`;
    if (!r.shapes.has(ref) && !r.failed.has(ownerOf(ref) ?? ref)) {
      r.issues.push({ path, message: `unknown node "${ref}"; expected the id of a node` });
    }
  });
  if (r.issues.length > 0) return { issues: r.issues };
  return { arch: { spec, inputShape, nodes: reachingOutputs(r.nodes, outputs), outputs }, issues: [] };
}

/**
 * The nodes an output depends on (through inputs, or `weightsOf` for shared weights). Others are
 * dropped: a built tfjs model holds only layers on a path to its outputs, so counting them would make
 * the cost model disagree with countParams() (e.g. an FPN level nobody reads).
 */
function reachingOutputs(nodes: readonly ResolvedNode[], outputs: readonly string[]): ResolvedNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const live = new Set<string>();
  const todo = [...outputs];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    const node = byId.get(id);
    if (node === undefined || live.has(id)) continue;
    live.add(id);
    todo.push(...node.node.inputs);
    if ('weightsOf' in node.node && node.node.weightsOf !== undefined) todo.push(node.node.weightsOf);
  }
  return nodes.filter((n) => live.has(n.id));
}
