import { resolveOptions } from '../../../../src/core/options.js';
import { createMacro, macroPresets, macroSpace } from '../../../../src/space/spaces/macro/index.js';
import { describeSpaceContract } from '../contract.js';

const make = (given: Record<string, unknown>) => () => createMacro(resolveOptions(macroSpace.options, given, 'macro'));

describeSpaceContract('macro (defaults: ResNet layout)', make({}), { inputShape: [64, 64, 3], numRuns: 40 });
describeSpaceContract('macro (mobilenetv2 preset)', make(macroPresets.mobilenetv2), {
  inputShape: [64, 64, 3],
  numRuns: 40,
});
describeSpaceContract('macro (cifar preset, depth 0 allowed)', make({ ...macroPresets.cifar, depths: [0, 1, 2] }), {
  garbage: [{ stages: [] }, { stages: [{}, {}, {}] }],
});
