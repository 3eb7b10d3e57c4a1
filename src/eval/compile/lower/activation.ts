/** Activations as tfjs computes them (tfjs-layers' activations.js), one TensorFlow op where one exists. */
import type { ActivationNode } from '../../../core/arch.js';
import type { Sym } from '../graph.js';
import type { LowerContext } from './context.js';

export function lowerActivation(ctx: LowerContext, node: ActivationNode, x: Sym): Sym {
  const { e } = ctx;
  switch (node.fn) {
    case 'relu':
      return e.unary('Relu', x);
    case 'relu6':
      return e.unary('Relu6', x);
    case 'leaky_relu':
      return e.unary('LeakyRelu', x, { alpha: { f: node.alpha ?? 0.01 } });
    case 'elu': {
      const alpha = node.alpha ?? 1;
      const elu = e.unary('Elu', x);
      if (alpha === 1) return elu;
      return e.select(e.compare('Greater', x, e.scalar(0)), elu, e.mul(elu, e.scalar(alpha)));
    }
    case 'selu':
      return e.unary('Selu', x);
    case 'gelu':
      return e.mul(x, e.mul(e.scalar(0.5), e.add(e.scalar(1), e.unary('Erf', e.div(x, e.scalar(Math.SQRT2))))));
    case 'sigmoid':
      return e.unary('Sigmoid', x);
    case 'tanh':
      return e.unary('Tanh', x);
    case 'swish':
      return e.mul(e.unary('Sigmoid', x), x);
    case 'softplus':
      return e.unary('Softplus', x);
    case 'softmax':
      return e.unary('Softmax', x);
    case 'linear':
      return x;
  }
}
