import type { ArchNode, ArchSpec, Shape } from '../../src/core/arch.js';
import { assertArch, type ResolvedArch, type ResolvedNode } from '../../src/space/index.js';
import type { NodeInit } from '../../src/space/reference/common.js';

/** A spec from nodes whose inputs default to the previous node (the first to the network input). */
export function chain(inputShape: Shape, ...nodes: NodeInit[]): ArchSpec {
  let last = 'input';
  const out: ArchNode[] = nodes.map((n) => {
    const node = { ...n, inputs: n.inputs ?? [last] } as ArchNode;
    last = node.id;
    return node;
  });
  return { version: 1, input: { shape: inputShape }, nodes: out, output: last };
}

/** Resolves a chain and returns the arch and the resolved primitive named `id`. */
export function resolveOne(
  inputShape: Shape,
  node: NodeInit,
  before: NodeInit[] = [],
): { arch: ResolvedArch; node: ResolvedNode } {
  const arch = assertArch(chain(inputShape, ...before, node));
  const found = arch.nodes.find((n) => n.id === node.id);
  if (found === undefined) throw new Error(`no resolved node ${node.id}`);
  return { arch, node: found };
}

/** Trainable / non-trainable params and MACs summed over the parts of block `id`. */
export function blockTotals(
  arch: ResolvedArch,
  id: string,
): { trainable: number; nonTrainable: number; macs: number; ops: string[] } {
  const parts = arch.nodes.filter((n) => n.block === id);
  return {
    trainable: parts.reduce((s, n) => s + n.params.trainable, 0),
    nonTrainable: parts.reduce((s, n) => s + n.params.nonTrainable, 0),
    macs: parts.reduce((s, n) => s + n.macs, 0),
    ops: parts.map((n) => n.node.op),
  };
}
