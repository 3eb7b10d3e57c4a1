import { resolveOptions } from '../../../../src/core/options.js';
import { createMacro, macroSpace, type MacroSpace, type MacroStage } from '../../../../src/space/spaces/macro/index.js';

/** The macro space with these options over the defaults. */
export const macro = (given: Record<string, unknown> = {}): MacroSpace => createMacro(resolveOptions(macroSpace.options, given, 'macro'));

/** A stage with kernel 3, expansion 1, no attention (placed on the branch when given), groups 1 unless given. */
export function stage(block: MacroStage['block'], width: number, depth: number, stride: number, more: Partial<MacroStage> = {}): MacroStage {
  return { block, kernel: 3, expansion: 1, width, depth, stride, attention: 'none', placement: 'branch', groups: 1, ...more };
}
