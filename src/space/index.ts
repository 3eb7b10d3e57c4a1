export * from './cost/index.js';
export { archKey, normalizeSpec } from './key.js';
export { defOf, isOpName, listOps, ops } from './ops/index.js';
export {
  ShapeError,
  type BlockDef,
  type OpCatalog,
  type OpDef,
  type ParamCount,
  type PrimitiveDef,
} from './ops/types.js';
export { reference, references, type Reference, type ReferenceOptions } from './reference/index.js';
export { resolveArch, type ResolveOptions, type ResolvedArch, type ResolvedNode } from './resolve.js';
export { assertArch, validateArch } from './validate.js';
