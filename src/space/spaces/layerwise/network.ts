import type { ArchNode, ArchSpec } from '../../../core/arch.js';
import type { LayerwiseOp, LayerwiseSample } from './sample.js';

/** The fixed skeleton of the layer-wise space. */
export interface LayerwiseNetwork {
  /** Channels of the first stage; doubled at every reduction. */
  readonly channels: number;
  /** Layer indices after which the resolution halves (factorized reduce, channels doubled). */
  readonly reductions: readonly number[];
  /** How skips join a layer's op output: sum then BN, or concat then ReLU-1×1 conv-BN. */
  readonly merge: 'sum' | 'concat';
}

const KERNEL: Record<LayerwiseOp, number> = {
  conv3x3: 3,
  conv5x5: 5,
  sepconv3x3: 3,
  sepconv5x5: 5,
  maxpool3x3: 3,
  avgpool3x3: 3,
};

class Emitter {
  readonly nodes: ArchNode[] = [];
  /** Node id of source x_k, per stage it has been brought to. */
  private readonly versions = new Map<string, string>();

  constructor(
    private readonly net: LayerwiseNetwork,
    private readonly stageOf: (k: number) => number,
  ) {}

  push(node: ArchNode): string {
    this.nodes.push(node);
    return node.id;
  }

  channels(stage: number): number {
    return this.net.channels * 2 ** stage;
  }

  /** Source x_k at `stage`: factorized reductions emitted on first use (only sources that are read). */
  source(k: number, stage: number, own: string): string {
    if (stage === this.stageOf(k)) return own;
    const memo = `${k}@${stage}`;
    const done = this.versions.get(memo);
    if (done !== undefined) return done;
    const prev = this.source(k, stage - 1, own);
    const id = this.push({
      id: `reduce${stage}.x${k}`,
      op: 'factorized_reduce',
      inputs: [prev],
      filters: this.channels(stage),
    });
    this.versions.set(memo, id);
    return id;
  }

  /** ReLU → op → BN for convolutions; a 3×3 stride-1 pool otherwise. */
  op(id: string, op: LayerwiseOp, input: string, filters: number): string {
    const kernel = KERNEL[op];
    if (op === 'maxpool3x3' || op === 'avgpool3x3') {
      return this.push({
        id,
        op: op === 'maxpool3x3' ? 'maxpool' : 'avgpool',
        inputs: [input],
        kernel,
        stride: 1,
        padding: 'same',
      });
    }
    const relu = this.push({ id: `${id}.relu`, op: 'act', fn: 'relu', inputs: [input] });
    const base = { id: `${id}.conv`, inputs: [relu], filters, kernel, padding: 'same', bias: false } as const;
    const conv = this.push(op.startsWith('sep') ? { ...base, op: 'sepconv' } : { ...base, op: 'conv' });
    return this.push({ id: `${id}.bn`, op: 'bn', inputs: [conv] });
  }

  /** ENAS's join of a layer (i ≥ 1): sum + BN, or concat + ReLU-1×1 conv-BN. */
  merge(id: string, out: string, skips: readonly string[], filters: number): string {
    if (this.net.merge === 'sum') {
      const sum = skips.length === 0 ? out : this.push({ id: `${id}.add`, op: 'add', inputs: [...skips, out] });
      return this.push({ id: `${id}.bn`, op: 'bn', inputs: [sum] });
    }
    const cat = skips.length === 0 ? out : this.push({ id: `${id}.concat`, op: 'concat', inputs: [...skips, out] });
    const relu = this.push({ id: `${id}.relu`, op: 'act', fn: 'relu', inputs: [cat] });
    const conv = this.push({ id: `${id}.conv`, op: 'conv', inputs: [relu], filters, kernel: 1, bias: false });
    return this.push({ id: `${id}.bn`, op: 'bn', inputs: [conv] });
  }
}

/**
 * The ENAS macro network (Pham et al. 2018, macro search space) of a sample: 3×3 conv stem + BN,
 * L layers at equal width within a stage, each an op on the previous output joined with the chosen
 * earlier outputs, factorized reductions after the given layers, ReLU, global average pooling, dense.
 * NOTE(deviation): an op is ReLU-op-BN (ENAS puts a 1×1 conv-BN-ReLU before each branch), and only
 * earlier outputs that a later layer reads are reduced (ENAS reduces all; the rest are dead ends).
 */
export function layerwiseNetwork(sample: LayerwiseSample, net: LayerwiseNetwork): ArchSpec {
  const stageOf = (k: number): number => (k === 0 ? 0 : net.reductions.filter((r) => r < k - 1).length);
  const e = new Emitter(net, stageOf);
  const conv = e.push({
    id: 'stem.conv',
    op: 'conv',
    inputs: ['input'],
    filters: net.channels,
    kernel: 3,
    padding: 'same',
    bias: false,
  });
  const outputs = [e.push({ id: 'stem.bn', op: 'bn', inputs: [conv] })];
  sample.layers.forEach((layer, i) => {
    const stage = stageOf(i + 1);
    const filters = e.channels(stage);
    const out = e.op(`layer${i}.op`, layer.op, e.source(i, stage, outputs[i] as string), filters);
    const skips = layer.skips.flatMap((on, j) => (on ? [e.source(j, stage, outputs[j] as string)] : []));
    outputs.push(i === 0 ? out : e.merge(`layer${i}`, out, skips, filters));
  });
  const last = outputs[sample.layers.length] as string;
  const relu = e.push({ id: 'head.relu', op: 'act', fn: 'relu', inputs: [last] });
  const gap = e.push({ id: 'gap', op: 'gap', inputs: [relu] });
  const fc = e.push({ id: 'classifier', op: 'dense', inputs: [gap], units: 'classes' });
  return { version: 1, name: 'layerwise', nodes: e.nodes, output: fc };
}
