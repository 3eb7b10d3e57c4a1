import { EDGES, edgeOps, type Nb201Sample } from './conversions.js';

/** A node's value as a sorted multiset of terms; empty = zeros. */
type Terms = readonly string[];

const render = (terms: Terms): string => (terms.length === 0 ? '0' : terms.join('+'));

/**
 * A key shared by cells that compute the same function of their input (up to the weights): the
 * output node as a symbolic sum, where `none` and any op of an all-zero node contribute nothing,
 * `skip_connect` passes its input's terms through, and sums are commutative. Cells that differ only
 * in edges that cannot reach the output, or in the order of summed terms, share a key.
 * NOTE(deviation): a ReLU-conv-BN of zeros is taken as zero (BN's shift ignored), as in the
 * benchmark's own notion of unique topologies.
 */
export function nb201FunctionKey(sample: Nb201Sample): string {
  const ops = edgeOps(sample);
  const nodes: Terms[] = [['x']];
  for (let to = 1; to <= 3; to++) {
    const terms: string[] = [];
    EDGES.forEach(([t, from], e) => {
      const input = nodes[from] as Terms;
      const op = ops[e];
      if (t !== to || op === 'none' || input.length === 0) return;
      if (op === 'skip_connect') terms.push(...input);
      else terms.push(`${op}(${render(input)})`);
    });
    nodes.push(terms.sort());
  }
  return render(nodes[3] as Terms);
}
