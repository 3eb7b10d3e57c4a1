/**
 * Quantization-aware training in the compiled graph (design part 5.2; docs/training.md): the
 * `train_qat` signature's forward pass fake-quantizes what the full-integer network will hold in 8
 * bits (src/eval/quantize/qat-plan.ts says where): every int8 kernel per output channel with its
 * current ∓max|w_c|, and every quantized activation with a moving range.
 *
 * An activation's range is a variable [min, max] (kind 'range': not trained, zero at first), updated
 * each QAT step from the batch's [min(x, 0), max(x, 0)]: taken as it is on the first QAT step
 * (`qat/steps` is 0), then as a moving average range ← range − (range − batch)(1 − momentum). The
 * step quantizes with the updated range, as TensorFlow's MovingAvgQuantize does.
 */
import { MIN_RANGE_WIDTH } from '../quantize/affine.js';
import type { QatPlan, QatSite } from '../quantize/qat-plan.js';
import type { NetworkGraph } from './network-graph.js';
import { fakeQuantizeActivation, fakeQuantizeKernel, stopGradient } from './fake-quant.js';
import type { GraphNode, Sym } from './graph.js';
import { pack } from './parts.js';
import type { PassOptions } from './pass.js';
import { Reads } from './variables.js';

/** The variable counting the QAT steps made (0: no range is set yet). */
export const QAT_STEPS = 'qat/steps';

/** The settings `train_qat` bakes in. */
export type QatGraphSettings = { readonly plan: QatPlan; readonly momentum: number };

/** One training pass's fake quantization: its input, the hooks for `forward`, and the range updates. */
export type QuantizationAwarePass = {
  readonly input: Sym;
  readonly options: Pick<PassOptions, 'afterWeight' | 'afterNode' | 'afterDepthwise'>;
  /** The assigns of every range and of the step count; call after the forward pass. */
  updates(): GraphNode[];
};

/** The range variable of each activation point of `plan` (`<layer>/qat_range`, the input's `input/qat_range`). */
export function qatRangeVariables(plan: QatPlan, names: ReadonlyMap<string, string>): Map<string, string> {
  return new Map(plan.activations.map(({ point, site }) => [point, rangeVariable(site, names)]));
}

function rangeVariable(site: QatSite, names: ReadonlyMap<string, string>): string {
  if (site.kind === 'input') return 'input/qat_range';
  const layer = names.get(site.id) as string;
  return site.kind === 'node' ? `${layer}/qat_range` : `${layer}/qat_depthwise_range`;
}

export function quantizationAwarePass(net: NetworkGraph, x: Sym, settings: QatGraphSettings): QuantizationAwarePass {
  const { e, vars } = net;
  const reads = new Reads(e, vars);
  const steps = reads.read(QAT_STEPS, [], 'range');
  const started = e.compare('Greater', steps, e.scalar(0));
  const updates: GraphNode[] = [];
  const byNode = new Map<string, string>();
  const byDepthwise = new Map<string, string>();
  let inputRange: string | undefined;
  for (const { site } of settings.plan.activations) {
    const name = rangeVariable(site, net.names);
    if (site.kind === 'input') inputRange = name;
    else (site.kind === 'node' ? byNode : byDepthwise).set(site.id, name);
  }

  const quantize = (name: string, v: Sym): Sym =>
    e.g.within(name.replace('/', '_'), () => {
      const axes = v.shape.map((_, i) => i);
      const batch = pack(e, [
        e.binary('Minimum', e.reduce('Min', v, axes), e.scalar(0)),
        e.binary('Maximum', e.reduce('Max', v, axes), e.scalar(0)),
      ]);
      const old = reads.read(name, [2], 'range');
      const moved = e.sub(old, e.mul(e.sub(old, batch), e.scalar(1 - settings.momentum)));
      const range = e.select(started, moved, batch);
      updates.push(vars.assign(name, range));
      const [min, max] = e.g.add('Unpack', [range], { T: { type: 'float32' }, num: { i: 2 }, axis: { i: 0 } }, [
        { shape: [], dtype: 'float32' },
        { shape: [], dtype: 'float32' },
      ]).outputs as [Sym, Sym];
      const wide = e.binary('Maximum', max, e.add(min, e.scalar(MIN_RANGE_WIDTH)));
      // The range is measured on the values it quantizes, but is not trained: no gradient through it.
      return fakeQuantizeActivation(e, v, stopGradient(e, min), stopGradient(e, wide));
    });

  const kernels = new Map<string, Sym>();
  const afterWeight = (name: string, value: Sym): Sym => {
    if (!settings.plan.kernels.has(name)) return value;
    const known = kernels.get(name);
    if (known !== undefined) return known;
    const quantized = e.g.within(`${name.replace('/', '_')}_quant`, () => fakeQuantizeKernel(e, value));
    kernels.set(name, quantized);
    return quantized;
  };
  const at =
    (map: ReadonlyMap<string, string>) =>
    (id: string, value: Sym): Sym => {
      const name = map.get(id);
      return name === undefined ? value : quantize(name, value);
    };
  return {
    input: inputRange === undefined ? x : quantize(inputRange, x),
    options: { afterWeight, afterNode: at(byNode), afterDepthwise: at(byDepthwise) },
    updates: () => [...updates, vars.assign(QAT_STEPS, e.add(steps, e.scalar(1)))],
  };
}
