import type { ArchNode } from '../../core/arch.js';

/**
 * The `default` of a switch that must handle every op (the builder's `layerFor`, the compiler's
 * `lowerNode`). Once each op has its case, `node` has type `never` there; an op without one makes the
 * call a compile error that names the op's node type. At run time (a node that bypassed validation)
 * it throws, naming the op and where its case is missing, instead of building something else.
 */
export function unhandledOp(node: never, where: string): never {
  throw new Error(`${where} has no case for op "${(node as ArchNode).op}"`);
}
