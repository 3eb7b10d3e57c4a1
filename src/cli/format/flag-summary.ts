import { FLAG_KINDS, type DiagnosticFlag } from '../../core/diagnostics.js';

/** A trial's flags in a few characters, by kind in FLAG_KINDS order with a count above one: "vanishing×2 dead-relu"; '' without flags. */
export function flagSummary(flags: readonly DiagnosticFlag[]): string {
  return FLAG_KINDS.flatMap((kind) => {
    const n = flags.filter((f) => f.kind === kind).length;
    return n === 0 ? [] : [n === 1 ? kind : `${kind}×${n}`];
  }).join(' ');
}

/** One flag as its kind and the step that raised it: "vanishing@150". */
export function flagAt(flag: DiagnosticFlag): string {
  return `${flag.kind}@${flag.step}`;
}
