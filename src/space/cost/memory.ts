import { INPUT_ID } from '../../core/arch.js';
import { numel } from '../ops/types.js';
import type { ResolvedArch } from '../resolve.js';

/** Per-sample elements of every stored activation: the input and each non-view op output. */
export function storedActivationElements(arch: ResolvedArch): number {
  return arch.nodes.reduce((sum, n) => sum + (n.alias ? 0 : numel(n.shape)), numel(arch.inputShape));
}

/**
 * Peak per-sample elements alive during inference, executing nodes in order: a tensor lives from
 * its producer until its last consumer has run (graph outputs to the end); an op's inputs and its
 * output are alive together; views (identity, flatten) share their input's buffer.
 */
export function peakInferenceElements(arch: ResolvedArch): number {
  const buffer = new Map<string, string>([[INPUT_ID, INPUT_ID]]);
  const size = new Map<string, number>([[INPUT_ID, numel(arch.inputShape)]]);
  for (const n of arch.nodes) {
    const src = n.node.inputs[0];
    buffer.set(n.id, n.alias && src !== undefined ? (buffer.get(src) ?? n.id) : n.id);
    if (!n.alias) size.set(n.id, numel(n.shape));
  }
  const uses = new Map<string, number>();
  for (const n of arch.nodes) {
    for (const ref of n.node.inputs) {
      const b = buffer.get(ref) ?? ref;
      uses.set(b, (uses.get(b) ?? 0) + 1);
    }
  }
  const pinned = new Set(arch.outputs.map((o) => buffer.get(o) ?? o));
  const live = new Map<string, number>([[INPUT_ID, size.get(INPUT_ID) ?? 0]]);
  let current = size.get(INPUT_ID) ?? 0;
  let peak = current;
  const release = (b: string): void => {
    if ((uses.get(b) ?? 0) > 0 || pinned.has(b) || !live.has(b)) return;
    current -= live.get(b) ?? 0;
    live.delete(b);
  };
  for (const n of arch.nodes) {
    if (!n.alias) {
      live.set(n.id, size.get(n.id) ?? 0);
      current += size.get(n.id) ?? 0;
      peak = Math.max(peak, current);
    }
    for (const ref of n.node.inputs) {
      const b = buffer.get(ref) ?? ref;
      uses.set(b, (uses.get(b) ?? 0) - 1);
      release(b);
    }
    release(buffer.get(n.id) ?? n.id);
  }
  return peak;
}
