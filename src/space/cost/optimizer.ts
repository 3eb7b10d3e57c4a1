/**
 * Optimizer state slots per trainable parameter, as src/eval/train/optimizers.ts and the compiled
 * update (src/eval/compile/optimizer.ts) keep them: SGD's momentum buffer (Nesterov or not), Adam's
 * and AdamW's first and second moments. Adam's step count is one scalar, not counted.
 */
export const OPTIMIZER_SLOTS = {
  /** SGD without momentum. */
  sgd: 0,
  /** SGD with momentum, Nesterov or not (the default training optimizer). */
  momentum: 1,
  adam: 2,
  adamw: 2,
} as const;
export type OptimizerName = keyof typeof OPTIMIZER_SLOTS;

/** The optimizer of a resolved training config, as far as its state is concerned. */
export type TrainOptimizer = { readonly kind: 'sgd'; readonly momentum: number } | { readonly kind: 'adam' | 'adamw' };

/** The cost model's name for a training optimizer: SGD has a buffer only with momentum. */
export function optimizerName(o: TrainOptimizer): OptimizerName {
  if (o.kind === 'sgd') return o.momentum > 0 ? 'momentum' : 'sgd';
  return o.kind;
}
