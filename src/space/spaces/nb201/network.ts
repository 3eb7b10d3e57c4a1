import type { ArchNode, ArchSpec } from '../../../core/arch.js';
import { EDGES, edgeOps, type Nb201Op, type Nb201Sample } from './conversions.js';

/** The macro skeleton around the cell: cells per stage (N) and the first stage's channels (C). */
export interface Nb201Network {
  readonly cells: number;
  readonly channels: number;
}

/** PyTorch's BatchNorm2d defaults (eps 1e-5, momentum 0.1 ≡ tfjs momentum 0.9). */
const BN = { epsilon: 1e-5, momentum: 0.9 } as const;

class Emitter {
  readonly nodes: ArchNode[] = [];

  push(node: ArchNode): string {
    this.nodes.push(node);
    return node.id;
  }

  /** ReLU → k×k conv (no bias) → BN: the benchmark's ReLUConvBN. */
  reluConvBn(id: string, input: string, filters: number, kernel: number, stride = 1): string {
    const relu = this.push({ id: `${id}.relu`, op: 'act', fn: 'relu', inputs: [input] });
    const padding = stride === 1 ? 'same' : (kernel - 1) / 2;
    const conv = this.push({ id: `${id}.conv`, op: 'conv', inputs: [relu], filters, kernel, stride, padding, bias: false });
    return this.push({ id: `${id}.bn`, op: 'bn', inputs: [conv], ...BN });
  }

  /** One edge op applied to node `input`; skip_connect adds no node. */
  edge(id: string, op: Nb201Op, input: string, channels: number): string {
    switch (op) {
      case 'none':
        return this.push({ id, op: 'zero', inputs: [input] });
      case 'skip_connect':
        return input;
      case 'nor_conv_1x1':
        return this.reluConvBn(id, input, channels, 1);
      case 'nor_conv_3x3':
        return this.reluConvBn(id, input, channels, 3);
      case 'avg_pool_3x3':
        return this.push({ id, op: 'avgpool', inputs: [input], kernel: 3, stride: 1, padding: 1, includePad: false });
    }
  }

  /** The cell (InferCell): node j = Σ_{i<j} op_ij(node i); the output is node 3. */
  cell(id: string, sample: Nb201Sample, input: string, channels: number): string {
    const ops = edgeOps(sample);
    const nodeIds = [input];
    for (let to = 1; to <= 3; to++) {
      const terms = EDGES.flatMap(([t, from], e) => (t === to ? [this.edge(`${id}.edge${from}-${to}`, ops[e] as Nb201Op, nodeIds[from] as string, channels)] : []));
      nodeIds.push(terms.length === 1 ? (terms[0] as string) : this.push({ id: `${id}.node${to}`, op: 'add', inputs: terms }));
    }
    return nodeIds[3] as string;
  }

  /** ResNetBasicblock(C_in, C_out, stride 2): shortcut (2×2 avg pool, 1×1 conv) + ReLUConvBN twice. */
  reduction(id: string, input: string, filters: number): string {
    const a = this.reluConvBn(`${id}.conv_a`, input, filters, 3, 2);
    const b = this.reluConvBn(`${id}.conv_b`, a, filters, 3);
    const pool = this.push({ id: `${id}.downsample.pool`, op: 'avgpool', inputs: [input], kernel: 2, stride: 2 });
    const proj = this.push({ id: `${id}.downsample.conv`, op: 'conv', inputs: [pool], filters, kernel: 1, bias: false });
    return this.push({ id, op: 'add', inputs: [proj, b] });
  }
}

/**
 * The benchmark's network around a cell (NAS-Bench-201 `TinyNetwork` / `infer.tiny`): 3×3 conv stem
 * (C) + BN; three stages of N cells with C, 2C, 4C channels, a residual reduction block between
 * stages; BN-ReLU, global average pooling, dense. Every edge is built, `none` as zeros, so dead convs
 * keep their parameters as in the benchmark.
 */
export function nb201Network(sample: Nb201Sample, net: Nb201Network): ArchSpec {
  const e = new Emitter();
  const conv = e.push({ id: 'stem.conv', op: 'conv', inputs: ['input'], filters: net.channels, kernel: 3, padding: 'same', bias: false });
  let x = e.push({ id: 'stem.bn', op: 'bn', inputs: [conv], ...BN });
  for (let stage = 0; stage < 3; stage++) {
    const channels = net.channels * 2 ** stage;
    if (stage > 0) x = e.reduction(`reduce${stage}`, x, channels);
    for (let c = 0; c < net.cells; c++) x = e.cell(`stage${stage}.cell${c}`, sample, x, channels);
  }
  const bn = e.push({ id: 'lastact.bn', op: 'bn', inputs: [x], ...BN });
  const relu = e.push({ id: 'lastact.relu', op: 'act', fn: 'relu', inputs: [bn] });
  const gap = e.push({ id: 'gap', op: 'gap', inputs: [relu] });
  const fc = e.push({ id: 'classifier', op: 'dense', inputs: [gap], units: 'classes' });
  return { version: 1, name: 'nb201', nodes: e.nodes, output: fc };
}
