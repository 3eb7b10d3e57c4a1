/**
 * Which convolutions of a full-integer network can run on TensorFlow's integer kernel
 * (`QuantizedConv2DWithBiasAndReluAndRequantize`, src/eval/compile/integer-kernels.ts): a conv (one
 * group) that the activation plan fuses with a ReLU (its only reader; not ReLU6, which the kernel
 * does not clamp), whose input lies on a grid with zero point 0 (a ReLU's output, or an input whose
 * calibrated range starts at 0), so that the kernel's quint8 input is the grid itself. The rest stay
 * as simulated quantize–dequantize.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import type { IntegerConv } from '../compile/integer-kernels.js';
import { activationPlan } from './activation-plan.js';
import { affineParams } from './affine.js';
import type { Range } from './observers/observer.js';

/** The convs that can run on integer kernels, given the full-integer form's FakeQuant ranges; `convs`: how many convs the network has. */
export function integerKernelPlan(
  arch: ResolvedArch,
  fakeQuant: ReadonlyMap<string, Range>,
): { readonly candidates: IntegerConv[]; readonly convs: number } {
  const plan = activationPlan(arch);
  const names = layerNames(arch).byNode;
  const byId = new Map(arch.nodes.map((n) => [n.id, n.node]));
  const readers = new Map<string, string[]>();
  for (const { id, node } of arch.nodes)
    for (const ref of node.inputs) readers.set(ref, [...(readers.get(ref) ?? []), id]);
  const zeroPointZero = (range: Range | undefined): range is Range =>
    range !== undefined && affineParams(range.min, range.max).zeroPoint === 0;
  const candidates: IntegerConv[] = [];
  let convs = 0;
  for (const { id, node } of arch.nodes) {
    if (node.op !== 'conv') continue;
    convs++;
    if (
      (node.groups ?? 1) !== 1 ||
      plan.roles.get(id)?.kind !== 'fused' ||
      ('weightsOf' in node && node.weightsOf !== undefined)
    )
      continue;
    const relu = readers.get(id)?.[0] as string;
    const act = byId.get(relu);
    if (act?.op !== 'act' || act.fn !== 'relu') continue;
    const input = node.inputs[0] as string;
    const grid = plan.gridOf(input);
    const inputRange = grid === undefined ? undefined : fakeQuant.get(grid);
    const outputRange = fakeQuant.get(relu);
    if (!zeroPointZero(inputRange) || !zeroPointZero(outputRange)) continue;
    candidates.push({
      layer: names.get(id) as string,
      input,
      inputMax: inputRange.max,
      relu,
      outputMax: outputRange.max,
    });
  }
  return { candidates, convs };
}
