/**
 * The `diagnose` signature of a graph compiled with `train.diagnostics` (docs/training.md,
 * *Diagnostics*): the figures of one check, computed in the graph, changing nothing.
 *
 * - x, labels (and seed): a training-mode forward on the step's batch with the step's dropout masks,
 *   the loss, its gradients with respect to every trainable weight (not applied, no moving-average
 *   update), and `norms`: each weight's ‖g‖² then each weight's ‖w‖²; with histograms also `g<i>`,
 *   the gradients themselves;
 * - probe: an inference-mode forward on the probe batch, and `activations`: the six figures of each
 *   probed node (src/eval/train/diagnostics.ts, `PROBE_FIGURES`); with histograms also `a<i>`, the
 *   i-th probed node's output itself.
 *
 * The loop calls it just before `train` on the same batch and seed, so the figures are those of the
 * step about to be applied. It is compiled only when diagnostics are on.
 */
import type { ResolvedDiagnostics } from '../train/diagnostics-config.js';
import { gradients } from './autodiff.js';
import { recomputePlan } from './checkpoint.js';
import { trainableOf, type CompileTrainConfig, type NetworkGraph } from './network-graph.js';
import type { Sym } from './graph.js';
import { crossEntropy, pack, placeholder } from './parts.js';
import { forward } from './pass.js';
import type { Signature } from './saved-model.js';

/** What the signature measures: gradients (norms, and values with histograms) and which nodes it probes, in order. */
export type DiagnoseSettings = Pick<ResolvedDiagnostics, 'gradients' | 'activations' | 'histograms'> & {
  readonly probes: readonly string[];
};

/** The `diagnose` signature, and the weights its `norms` and `g<i>` are of, in order. */
export function diagnoseSignature(
  net: NetworkGraph,
  x: Sym,
  labels: Sym,
  train: CompileTrainConfig,
  settings: DiagnoseSettings,
): { signature: Signature; params: string[] } {
  const { e } = net;
  const inputs: Record<string, Sym> = {};
  const outputs: Record<string, Sym> = {};
  let params: string[] = [];
  if (settings.gradients || settings.histograms) {
    const pass = forward(e, net.vars, net.arch, net.names, x, { training: true, seed: net.seed });
    const loss = crossEntropy(e, pass.logits, labels, train.labelSmoothing);
    const recompute =
      train.checkpointing === undefined ? undefined : recomputePlan(e, net.arch, pass, x, train.checkpointing.segments);
    const trainable = trainableOf(net, pass);
    const grads = gradients(
      e,
      loss,
      trainable.map((t) => t.value),
      undefined,
      recompute,
    ).map((g, i) => g ?? e.zerosLike((trainable[i] as { value: Sym }).value));
    const squared = (s: Sym) =>
      e.reduce(
        'Sum',
        e.unary('Square', s),
        s.shape.map((_, i) => i),
      );
    outputs.norms = pack(e, [...grads.map(squared), ...trainable.map((t) => squared(t.value))]);
    if (settings.histograms) grads.forEach((g, i) => (outputs[`g${i}`] = g));
    params = trainable.map((t) => t.spec.name);
    Object.assign(inputs, { x, labels }, pass.usedSeed ? { seed: net.seed } : {});
  }
  if (settings.activations && settings.probes.length > 0) {
    const probe = placeholder(e, 'probe', [-1, ...net.arch.inputShape]);
    const wanted = new Set(settings.probes);
    const bnNodes = new Set(
      net.arch.nodes.filter((n) => n.node.op === 'bn' && wanted.has(n.id) && n.block !== n.id).map((n) => n.id),
    );
    const probed = new Map<string, Sym>();
    const pass = forward(e, net.vars, net.arch, net.names, probe, {
      training: false,
      seed: net.seed,
      afterNode: (id, value) => {
        if (wanted.has(id)) probed.set(id, value);
        return value;
      },
    });
    const affine = (id: string) => {
      const layer = net.names.get(id) as string;
      const [gamma, beta] = [pass.reads.all.get(`${layer}/gamma`), pass.reads.all.get(`${layer}/beta`)];
      return bnNodes.has(id) && gamma !== undefined && beta !== undefined ? { gamma, beta } : undefined;
    };
    outputs.activations = e.concat(
      settings.probes.map((id) => probeFigures(net, probed.get(id) as Sym, affine(id))),
      0,
    );
    if (settings.histograms) settings.probes.forEach((id, i) => (outputs[`a${i}`] = probed.get(id) as Sym));
    inputs.probe = probe;
  }
  return { signature: { inputs, outputs }, params };
}

/** The six figures of one probed output, as src/eval/train/diagnostics.ts computes them eagerly (a BatchNorm's channel figures on (y − β) / γ). */
function probeFigures(net: NetworkGraph, out: Sym, affine?: { gamma: Sym; beta: Sym }): Sym {
  const { e } = net;
  const flat = e.reshape(out, [-1, out.shape.at(-1) as number]);
  const channelMean = e.reduce('Mean', flat, [0]);
  const mean = e.reduce('Mean', channelMean, [0]);
  const std = e.unary('Sqrt', e.reduce('Mean', e.unary('Square', e.sub(flat, mean)), [0, 1]));
  const zero = e.cast(e.compare('Equal', flat, e.scalar(0)), 'float32');
  const dead = e.sub(e.scalar(1), e.reduce('Mean', e.reduce('Max', e.sub(e.scalar(1), zero), [0]), [0]));
  const normal = affine === undefined ? flat : e.div(e.sub(flat, affine.beta), affine.gamma);
  const normalMean = affine === undefined ? channelMean : e.reduce('Mean', normal, [0]);
  const channelStd = e.reduce(
    'Mean',
    e.unary('Sqrt', e.reduce('Mean', e.unary('Square', e.sub(normal, normalMean)), [0])),
    [0],
  );
  return pack(e, [
    mean,
    std,
    e.reduce('Mean', zero, [0, 1]),
    dead,
    e.reduce('Mean', e.unary('Abs', normalMean), [0]),
    channelStd,
  ]);
}
