import { INPUT_ID, type ArchIssue, type ArchNode } from '../core/arch.js';
import { nodePath } from './structure.js';

/** The top-level node that a reference depends on: `input` → none, `blk/part` → `blk`. */
export function ownerOf(ref: string): string | undefined {
  if (ref === INPUT_ID) return undefined;
  const slash = ref.indexOf('/');
  return slash < 0 ? ref : ref.slice(0, slash);
}

function dependencies(node: ArchNode): { ref: string; where: string }[] {
  const deps = node.inputs.map((ref, j) => ({ ref, where: `.inputs[${j}]` }));
  if ((node.op === 'conv' || node.op === 'dense') && node.weightsOf !== undefined) {
    deps.push({ ref: node.weightsOf, where: '.weightsOf' });
  }
  return deps;
}

function findCycle(start: number, deps: readonly number[][], stuck: ReadonlySet<number>): number[] {
  const trail: number[] = [];
  const at = new Map<number, number>();
  let cur = start;
  while (!at.has(cur)) {
    at.set(cur, trail.length);
    trail.push(cur);
    cur = (deps[cur] ?? []).find((d) => stuck.has(d)) ?? start;
  }
  return [...trail.slice(at.get(cur)), cur];
}

/**
 * A topological order of the top-level nodes (indices), keeping the written order where it is one;
 * reports dangling references and cycles with the nodes involved.
 */
export function topologicalOrder(nodes: readonly ArchNode[]): { order: number[]; issues: ArchIssue[] } {
  const index = new Map(nodes.map((n, i) => [n.id, i] as const));
  const issues: ArchIssue[] = [];
  const deps = nodes.map((n, i) =>
    dependencies(n).flatMap(({ ref, where }) => {
      const owner = ownerOf(ref);
      if (owner === undefined) return [];
      const d = index.get(owner);
      if (d === undefined) {
        issues.push({
          path: nodePath(i, n.id) + where,
          message: `unknown input "${ref}"; expected "${INPUT_ID}" or the id of a node`,
        });
        return [];
      }
      return [d];
    }),
  );
  const done = new Set<number>();
  const order: number[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (let i = 0; i < nodes.length; i++) {
      if (done.has(i) || !(deps[i] ?? []).every((d) => done.has(d))) continue;
      done.add(i);
      order.push(i);
      progress = true;
      break;
    }
  }
  const stuck = new Set(nodes.map((_, i) => i).filter((i) => !done.has(i)));
  const first = [...stuck][0];
  if (first !== undefined) {
    const cycle = findCycle(first, deps, stuck);
    const names = cycle.map((i) => `"${nodes[i]?.id}"`).join(' → ');
    const at = Math.min(...cycle);
    issues.push({ path: nodePath(at, nodes[at]?.id), message: `cycle ${names}; expected an acyclic graph` });
  }
  return { order, issues };
}
