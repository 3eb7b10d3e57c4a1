import type { SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Variable } from '@tensorflow/tfjs-node';
import type { Activation, PrimitiveNode } from '../../core/arch.js';
import { explicitSides } from '../../space/ops/attrs.js';
import { unhandledOp } from '../../space/ops/unhandled-op.js';
import { pairOf, windowAttrs } from '../../space/ops/window.js';
import { loadTf } from '../../backend/tf.js';
import { nasLayers, type InitConfig } from './layers/index.js';

/**
 * What building one node needs besides the node: its layer name, a seeded initialiser config, and
 * for a supernet's `mix` nodes the architecture parameters by name.
 */
export type BuildContext = {
  readonly name: string;
  readonly init: InitConfig;
  readonly alphas?: Readonly<Record<string, Variable>>;
};

/**
 * The layer that computes a primitive node; `undefined` for identity (the input passes through).
 * Every op has its case: a new op without one does not compile (`unhandledOp`).
 */
export function layerFor(node: PrimitiveNode, ctx: BuildContext): Layer | undefined {
  const tf = loadTf();
  const layers = nasLayers();
  const { name, init } = ctx;
  switch (node.op) {
    case 'conv': {
      const cfg = {
        kind: 'conv',
        filters: node.filters,
        groups: node.groups ?? 1,
        multiplier: 1,
        bias: node.bias ?? true,
        init,
      } as const;
      return new layers.NasConv({ name, cfg: { ...cfg, window: windowAttrs(node, 'one') } });
    }
    case 'dwconv':
      return new layers.NasConv({
        name,
        cfg: {
          kind: 'depthwise',
          filters: 0,
          groups: 1,
          multiplier: node.multiplier ?? 1,
          window: windowAttrs(node, 'one'),
          bias: node.bias ?? true,
          init,
        },
      });
    case 'sepconv':
      return new layers.NasConv({
        name,
        cfg: {
          kind: 'separable',
          filters: node.filters,
          groups: 1,
          multiplier: node.multiplier ?? 1,
          window: windowAttrs(node, 'one'),
          bias: node.bias ?? true,
          init,
        },
      });
    case 'deconv':
      return new layers.NasConvTranspose({
        name,
        cfg: {
          filters: node.filters,
          window: windowAttrs(node, 'one'),
          outputPadding: pairOf(node.outputPadding, 0),
          bias: node.bias ?? true,
          init,
        },
      });
    case 'maxpool':
      return new layers.NasPool({ name, cfg: { fn: 'max', window: windowAttrs(node, 'kernel'), includePad: true } });
    case 'avgpool':
      return new layers.NasPool({
        name,
        cfg: { fn: 'avg', window: windowAttrs(node, 'kernel'), includePad: node.includePad ?? true },
      });
    case 'gap':
      return tf.layers.globalAveragePooling2d({ name });
    case 'gmp':
      return new layers.NasGlobalMaxPool({ name });
    case 'channel_pool':
      return new layers.NasChannelPool({ name, fn: node.fn });
    case 'bn':
      return new layers.FusedBatchNorm({
        name,
        momentum: node.momentum ?? 0.9,
        epsilon: node.epsilon ?? 1e-5,
        affine: node.affine ?? true,
      });
    case 'act':
      return activationLayer(node.fn, node.alpha, name);
    case 'dropout':
      return tf.layers.dropout({ name, rate: node.rate });
    case 'drop_path':
      return new layers.NasDropPath({ name, rate: node.rate });
    case 'dense':
      return tf.layers.dense({
        name,
        units: node.units as number,
        useBias: node.bias ?? true,
        kernelInitializer: denseInit(init),
      });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'identity':
      return undefined;
    case 'zero':
      return new layers.NasZero({ name, stride: pairOf(node.stride, 1) });
    case 'crop':
      return tf.layers.cropping2D({ name, cropping: explicitSides(node.crop) });
    case 'upsample':
      return tf.layers.upSampling2d({
        name,
        size: pairOf(node.scale, 1),
        interpolation: node.interpolation ?? 'nearest',
      });
    case 'add':
      return tf.layers.add({ name });
    case 'concat':
      return tf.layers.concatenate({ name, axis: -1 });
    case 'mul':
      return new layers.NasScale({ name });
    case 'mix': {
      const alpha = ctx.alphas?.[node.alpha];
      if (alpha === undefined)
        throw new Error(
          `mix node "${name}" needs architecture parameters "${node.alpha}" (build a supernet with alphas)`,
        );
      return new layers.NasMix({ name, alpha, edge: node.edge });
    }
    default:
      return unhandledOp(node, 'the builder (layerFor, src/eval/build/primitives.ts)');
  }
}

function denseInit(init: InitConfig) {
  const tf = loadTf();
  return init.scheme === 'he'
    ? tf.initializers.heNormal({ seed: init.seed })
    : tf.initializers.glorotUniform({ seed: init.seed });
}

function activationLayer(fn: Activation, alpha: number | undefined, name: string): Layer {
  const tf = loadTf();
  if (fn === 'leaky_relu') return tf.layers.leakyReLU({ name, alpha: alpha ?? 0.01 });
  if (fn === 'elu') return tf.layers.elu({ name, alpha: alpha ?? 1 });
  if (fn === 'relu6') return tf.layers.reLU({ name, maxValue: 6 });
  return tf.layers.activation({ name, activation: fn });
}

/** Applies a layer to one or several symbolic inputs. */
export function applyLayer(layer: Layer, inputs: readonly SymbolicTensor[]): SymbolicTensor {
  return layer.apply(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : [...inputs]) as SymbolicTensor;
}
