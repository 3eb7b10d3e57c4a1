import type { ArchNode, ArchSpec } from '../../../core/arch.js';
import { EDGES, NB201_OPS, edgeOps, type Nb201Op, type Nb201Sample } from './conversions.js';

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

  /** ReLU → k×k conv (no bias) → BN: the benchmark's ReLUConvBN (BN without γ, β in a supernet's cells). */
  reluConvBn(id: string, input: string, filters: number, kernel: number, stride = 1, affine = true): string {
    const relu = this.push({ id: `${id}.relu`, op: 'act', fn: 'relu', inputs: [input] });
    const padding = stride === 1 ? 'same' : (kernel - 1) / 2;
    const conv = this.push({
      id: `${id}.conv`,
      op: 'conv',
      inputs: [relu],
      filters,
      kernel,
      stride,
      padding,
      bias: false,
    });
    return this.push({ id: `${id}.bn`, op: 'bn', inputs: [conv], ...BN, ...(affine ? {} : { affine: false }) });
  }

  /** One edge op applied to node `input`; skip_connect adds no node. */
  edge(id: string, op: Nb201Op, input: string, channels: number, affine = true): string {
    switch (op) {
      case 'none':
        return this.push({ id, op: 'zero', inputs: [input] });
      case 'skip_connect':
        return input;
      case 'nor_conv_1x1':
        return this.reluConvBn(id, input, channels, 1, 1, affine);
      case 'nor_conv_3x3':
        return this.reluConvBn(id, input, channels, 3, 1, affine);
      case 'avg_pool_3x3':
        return this.push({ id, op: 'avgpool', inputs: [input], kernel: 3, stride: 1, padding: 1, includePad: false });
    }
  }

  /** A cell: node j = Σ_{i<j} edge_ij(node i), each edge made by `edge(id, e, input)`; the output is node 3. */
  cell(id: string, input: string, edge: (edgeId: string, e: number, input: string) => string): string {
    const nodeIds = [input];
    for (let to = 1; to <= 3; to++) {
      const terms = EDGES.flatMap(([t, from], e) =>
        t === to ? [edge(`${id}.edge${from}-${to}`, e, nodeIds[from] as string)] : [],
      );
      nodeIds.push(
        terms.length === 1 ? (terms[0] as string) : this.push({ id: `${id}.node${to}`, op: 'add', inputs: terms }),
      );
    }
    return nodeIds[3] as string;
  }

  /** The discrete cell (InferCell): one op per edge. */
  fixedCell(id: string, sample: Nb201Sample, input: string, channels: number): string {
    const ops = edgeOps(sample);
    return this.cell(id, input, (edgeId, e, x) => this.edge(edgeId, ops[e] as Nb201Op, x, channels));
  }

  /** The search cell (NB201's SearchCell): every edge a `mix` of all ops, their BN without γ, β. */
  mixedCell(id: string, input: string, channels: number): string {
    return this.cell(id, input, (edgeId, e, x) => {
      const candidates = NB201_OPS.map((op) => this.edge(`${edgeId}.${op}`, op, x, channels, false));
      return this.push({ id: edgeId, op: 'mix', inputs: candidates, alpha: 'cell', edge: e });
    });
  }

  /** ResNetBasicblock(C_in, C_out, stride 2): shortcut (2×2 avg pool, 1×1 conv) + ReLUConvBN twice. */
  reduction(id: string, input: string, filters: number): string {
    const a = this.reluConvBn(`${id}.conv_a`, input, filters, 3, 2);
    const b = this.reluConvBn(`${id}.conv_b`, a, filters, 3);
    const pool = this.push({ id: `${id}.downsample.pool`, op: 'avgpool', inputs: [input], kernel: 2, stride: 2 });
    const proj = this.push({
      id: `${id}.downsample.conv`,
      op: 'conv',
      inputs: [pool],
      filters,
      kernel: 1,
      bias: false,
    });
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
  return skeleton(net, (e, id, x, channels) => e.fixedCell(id, sample, x, channels));
}

/** The DARTS supernet of the benchmark (NB201's TinyNetworkDarts): the same skeleton, every cell a search cell. */
export function nb201Supernet(net: Nb201Network): ArchSpec {
  return { ...skeleton(net, (e, id, x, channels) => e.mixedCell(id, x, channels)), name: 'nb201-supernet' };
}

type CellMaker = (e: Emitter, id: string, input: string, channels: number) => string;

function skeleton(net: Nb201Network, makeCell: CellMaker): ArchSpec {
  const e = new Emitter();
  const conv = e.push({
    id: 'stem.conv',
    op: 'conv',
    inputs: ['input'],
    filters: net.channels,
    kernel: 3,
    padding: 'same',
    bias: false,
  });
  let x = e.push({ id: 'stem.bn', op: 'bn', inputs: [conv], ...BN });
  for (let stage = 0; stage < 3; stage++) {
    const channels = net.channels * 2 ** stage;
    if (stage > 0) x = e.reduction(`reduce${stage}`, x, channels);
    for (let c = 0; c < net.cells; c++) x = makeCell(e, `stage${stage}.cell${c}`, x, channels);
  }
  const bn = e.push({ id: 'lastact.bn', op: 'bn', inputs: [x], ...BN });
  const relu = e.push({ id: 'lastact.relu', op: 'act', fn: 'relu', inputs: [bn] });
  const gap = e.push({ id: 'gap', op: 'gap', inputs: [relu] });
  const fc = e.push({ id: 'classifier', op: 'dense', inputs: [gap], units: 'classes' });
  return { version: 1, name: 'nb201', nodes: e.nodes, output: fc };
}
