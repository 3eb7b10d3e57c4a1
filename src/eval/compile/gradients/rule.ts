import type { Emit } from '../emit.js';
import type { GraphNode, Sym } from '../graph.js';

/** The gradients of one op's inputs from the gradients of its outputs (undefined: no gradient flows). */
export type GradientRule = (
  e: Emit,
  node: GraphNode,
  dys: readonly (Sym | undefined)[],
) => readonly (Sym | undefined)[];
