import { resolveOptions } from '../../../../src/core/options.js';
import { archKey } from '../../../../src/space/index.js';
import { createMacro, macroSpace, type MacroSpace, type MacroStage } from '../../../../src/space/spaces/macro/index.js';

/** The macro space with these options over the defaults. */
export const macro = (given: Record<string, unknown> = {}): MacroSpace =>
  createMacro(resolveOptions(macroSpace.options, given, 'macro'));

/** A stage with kernel 3, expansion 1, no attention (placed on the branch when given), groups 1 unless given. */
export function stage(
  block: MacroStage['block'],
  width: number,
  depth: number,
  stride: number,
  more: Partial<MacroStage> = {},
): MacroStage {
  return {
    block,
    kernel: 3,
    expansion: 1,
    width,
    depth,
    stride,
    attention: 'none',
    placement: 'branch',
    groups: 1,
    ...more,
  };
}

/**
 * Every decision vector of a (tiny) space decoded: the number of vectors, and each key's frozen
 * architecture (asserting that samples with one key freeze to one architecture).
 */
export function bruteForce(
  space: MacroSpace,
  check: (actual: string, expected: string) => void,
): { vectors: number; archByKey: Map<string, string> } {
  const vectors = space
    .dimensions()
    .reduce<number[][]>((acc, d) => acc.flatMap((v) => d.choices.map((_, c) => [...v, c])), [[]]);
  const archByKey = new Map<string, string>();
  for (const v of vectors) {
    const s = space.decode(v);
    const arch = archKey(space.freeze(s));
    const seen = archByKey.get(space.key(s));
    if (seen !== undefined) check(arch, seen);
    archByKey.set(space.key(s), arch);
  }
  return { vectors: vectors.length, archByKey };
}
