import { canonicalKey, type ArchNode, type ArchSpec, type Json } from '../core/arch.js';
import { ops } from './ops/index.js';

function normalizeNode(node: ArchNode): Record<string, Json> {
  const schema = ops[node.op].attrs;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node) as [string, Json | undefined][]) {
    if (value === undefined) continue;
    const spec = schema[key];
    if (spec === undefined) {
      out[key] = value;
      continue;
    }
    const canon = spec.canon ?? ((v: Json): Json => v);
    const v = canon(value);
    if (spec.default !== undefined && canonicalKey(v) === canonicalKey(canon(spec.default))) continue;
    out[key] = v;
  }
  return out;
}

/** The spec's BatchNorm settings without the `bn` op's defaults; undefined when nothing is left. */
function normalizeBatchNorm(settings: ArchSpec['batchNorm']): Json | undefined {
  if (settings === undefined) return undefined;
  const out = normalizeNode({ id: '', op: 'bn', inputs: [], ...settings });
  const kept = Object.fromEntries(Object.entries(out).filter(([k]) => k === 'momentum' || k === 'epsilon'));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * The spec with attributes in one form: defaults dropped, `[3, 3]` written `3`, padding `0` written
 * "valid"; the `name` label left out. Ids and node order are kept.
 */
export function normalizeSpec(spec: ArchSpec): Json {
  const output: Json =
    typeof spec.output === 'string' || spec.output.length !== 1 ? (spec.output as Json) : (spec.output[0] as string);
  const base: Record<string, Json> = { version: spec.version, nodes: spec.nodes.map(normalizeNode), output };
  if (spec.input?.shape !== undefined) base['input'] = { shape: [...spec.input.shape] };
  const batchNorm = normalizeBatchNorm(spec.batchNorm);
  if (batchNorm !== undefined) base['batchNorm'] = batchNorm;
  return base;
}

/** The dedup key of an architecture: canonical JSON of its normalized form. */
export function archKey(spec: ArchSpec): string {
  return canonicalKey(normalizeSpec(spec));
}
