import { INPUT_ID, type ArchIssue } from '../core/arch.js';
import { ops, isOpName } from './ops/index.js';
import type { AttrSchema } from './ops/attrs.js';

const NODE_KEYS = new Set(['id', 'op', 'inputs']);
const SPEC_KEYS = new Set(['version', 'name', 'input', 'nodes', 'output', 'batchNorm']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** `nodes[3] (id "b2_add")`, or `nodes[3]` when the node has no usable id. */
export function nodePath(index: number, id: unknown): string {
  return typeof id === 'string' && id !== '' ? `nodes[${index}] (id "${id}")` : `nodes[${index}]`;
}

/** Attribute problems of one node against its op's schema: unknown, missing, or ill-typed values. */
export function checkAttrs(node: Record<string, unknown>, schema: AttrSchema, path: string): ArchIssue[] {
  const issues: ArchIssue[] = [];
  const known = Object.keys(schema);
  for (const key of Object.keys(node)) {
    if (NODE_KEYS.has(key) || Object.hasOwn(schema, key)) continue;
    const list = known.length > 0 ? `expected one of ${known.join(', ')}` : 'this op takes no attributes';
    issues.push({ path: `${path}.${key}`, message: `unknown attribute of op "${String(node['op'])}"; ${list}` });
  }
  for (const [key, spec] of Object.entries(schema)) {
    const value = node[key];
    if (value === undefined) {
      if (spec.required) issues.push({ path: `${path}.${key}`, message: `missing; expected ${spec.expected}` });
    } else if (!spec.ok(value)) {
      issues.push({ path: `${path}.${key}`, message: `expected ${spec.expected}, got ${show(value)}` });
    }
  }
  return issues;
}

function checkNode(raw: unknown, index: number, seen: Set<string>): ArchIssue[] {
  if (!isRecord(raw))
    return [{ path: `nodes[${index}]`, message: `expected an object { id, op, inputs, ... }, got ${show(raw)}` }];
  const path = nodePath(index, raw['id']);
  const issues: ArchIssue[] = [];
  const id = raw['id'];
  if (typeof id !== 'string' || id === '') {
    issues.push({ path: `${path}.id`, message: `expected a non-empty string, got ${show(id)}` });
  } else if (id === INPUT_ID || id.includes('/')) {
    issues.push({
      path: `${path}.id`,
      message: `expected an id other than "${INPUT_ID}" and without "/", got "${id}"`,
    });
  } else if (seen.has(id)) {
    issues.push({ path: `${path}.id`, message: `duplicate id "${id}"; expected every node id to be unique` });
  } else {
    seen.add(id);
  }
  const inputs = raw['inputs'];
  const inputsOk = Array.isArray(inputs) && inputs.every((x) => typeof x === 'string');
  if (!inputsOk) issues.push({ path: `${path}.inputs`, message: `expected an array of node ids, got ${show(inputs)}` });
  const op = raw['op'];
  if (!isOpName(op)) {
    issues.push({
      path: `${path}.op`,
      message: `unknown op ${show(op)}; expected one of ${Object.keys(ops).join(', ')}`,
    });
    return issues;
  }
  const { arity, attrs } = ops[op];
  if (inputsOk && (inputs.length < arity.min || inputs.length > (arity.max ?? Infinity))) {
    const want =
      arity.max === undefined
        ? `at least ${arity.min}`
        : arity.max === arity.min
          ? `${arity.min}`
          : `${arity.min} to ${arity.max}`;
    issues.push({
      path: `${path}.inputs`,
      message: `op "${op}" takes ${want} input${want === '1' ? '' : 's'}, got ${inputs.length}`,
    });
  }
  return [...issues, ...checkAttrs(raw, attrs, path)];
}

/** Issues of an input shape: it must be [H, W, C] (or [N]) of positive integers. */
export function checkInputShape(v: unknown, path: string): ArchIssue[] {
  const ok = Array.isArray(v) && (v.length === 3 || v.length === 1) && v.every((x) => Number.isInteger(x) && x > 0);
  return ok ? [] : [{ path, message: `expected [H, W, C] (or [N]) of positive integers, got ${show(v)}` }];
}

/** Issues of the network's BatchNorm settings: momentum and epsilon, checked as the `bn` op checks its own. */
function checkBatchNorm(v: unknown): ArchIssue[] {
  if (v === undefined) return [];
  if (!isRecord(v)) return [{ path: 'batchNorm', message: `expected { momentum?, epsilon? }, got ${show(v)}` }];
  const issues: ArchIssue[] = [];
  for (const [key, value] of Object.entries(v)) {
    const spec = key === 'momentum' || key === 'epsilon' ? ops.bn.attrs[key] : undefined;
    if (spec === undefined)
      issues.push({ path: `batchNorm.${key}`, message: 'unknown field; expected momentum, epsilon' });
    else if (value !== undefined && !spec.ok(value))
      issues.push({ path: `batchNorm.${key}`, message: `expected ${spec.expected}, got ${show(value)}` });
  }
  return issues;
}

/** Checks everything that needs no shapes: the spec's form, ids, ops, arity and attributes. */
export function checkStructure(raw: unknown): ArchIssue[] {
  if (!isRecord(raw))
    return [{ path: '(spec)', message: `expected an object { version, nodes, output }, got ${show(raw)}` }];
  const issues: ArchIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (!SPEC_KEYS.has(key))
      issues.push({ path: key, message: `unknown field; expected one of ${[...SPEC_KEYS].join(', ')}` });
  }
  if (raw['version'] !== 1) issues.push({ path: 'version', message: `expected 1, got ${show(raw['version'])}` });
  if (raw['name'] !== undefined && typeof raw['name'] !== 'string') {
    issues.push({ path: 'name', message: `expected a string, got ${show(raw['name'])}` });
  }
  const input = raw['input'];
  if (input !== undefined) {
    if (!isRecord(input)) issues.push({ path: 'input', message: `expected { shape?: [H, W, C] }, got ${show(input)}` });
    else if (input['shape'] !== undefined) issues.push(...checkInputShape(input['shape'], 'input.shape'));
  }
  issues.push(...checkBatchNorm(raw['batchNorm']));
  const nodes = raw['nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0) {
    issues.push({ path: 'nodes', message: `expected a non-empty array of nodes, got ${show(nodes)}` });
  } else {
    const seen = new Set<string>();
    nodes.forEach((n, i) => issues.push(...checkNode(n, i, seen)));
  }
  const out = raw['output'];
  const outOk =
    typeof out === 'string' || (Array.isArray(out) && out.length > 0 && out.every((x) => typeof x === 'string'));
  if (!outOk)
    issues.push({ path: 'output', message: `expected a node id or a non-empty array of node ids, got ${show(out)}` });
  return issues;
}
