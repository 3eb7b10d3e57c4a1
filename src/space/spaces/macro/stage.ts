import type { Choice, SampleIssue } from '../../search-space.js';
import { canonicalSettings, settingIssues } from './settings.js';
import { SETTINGS, type MacroBlock, type MacroConfig, type MacroSample, type MacroStage } from './types.js';

export type { MacroSample, MacroStage } from './types.js';

/** The decisions of a stage, in encoding order. */
export const DECISIONS = [
  'block',
  'kernel',
  'expansion',
  'width',
  'depth',
  'stride',
  'attention',
  'placement',
  'groups',
] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * What a relevant decision left out of a sample means: samples stored before the decision existed
 * lack it and keep their meaning (`placement`: 'after', where attention was before it could go on
 * the branch; `groups`: 1, an ungrouped bottleneck). A left-out irrelevant decision takes its first
 * choice, as in the canonical form.
 */
export const MISSING: Readonly<Partial<Record<Decision, Choice>>> = { placement: 'after', groups: 1 };

/** The choices of one decision of stage `i` (0-based). */
export function choicesOf(cfg: MacroConfig, i: number, d: Decision): readonly Choice[] {
  switch (d) {
    case 'block':
      return cfg.blocks;
    case 'kernel':
      return cfg.kernels;
    case 'expansion':
      return cfg.expansions;
    case 'width':
      return cfg.widths[i] ?? [];
    case 'depth':
      return cfg.depths;
    case 'stride':
      return cfg.strides;
    case 'attention':
      return cfg.attention;
    case 'placement':
      return cfg.placements;
    case 'groups':
      return cfg.groups;
  }
}

/** Stage `i`'s value of decision `d`, a left-out one read as {@link MISSING} says (undefined if it has no such value). */
export function decisionOf(stage: MacroStage, d: Decision, cfg: MacroConfig, i: number): Choice | undefined {
  const value = (stage as Partial<Record<Decision, Choice>>)[d];
  if (value !== undefined || MISSING[d] === undefined) return value;
  return isRelevant(stage, d) ? MISSING[d] : choicesOf(cfg, i, d)[0];
}

/** Whether a decision shapes the architecture: a stage of depth 0 has none; kernels and expansions only where the block has them. */
export function isRelevant(stage: MacroStage, d: Decision): boolean {
  if (stage.depth === 0) return d === 'depth';
  if (d === 'kernel') return stage.block === 'inverted_residual' || stage.block === 'separable';
  if (d === 'expansion') return stage.block === 'inverted_residual' || stage.block === 'bottleneck';
  if (d === 'placement') return stage.attention !== 'none';
  if (d === 'groups') return stage.block === 'bottleneck';
  return true;
}

/** The stage with every irrelevant decision at its first choice: equal architectures, equal stages. */
export function canonicalStage(stage: MacroStage, cfg: MacroConfig, i: number): MacroStage {
  const out: Record<string, Choice> = { ...stage };
  for (const d of DECISIONS)
    out[d] = (isRelevant(stage, d) ? decisionOf(stage, d, cfg, i) : choicesOf(cfg, i, d)[0]) as Choice;
  return out as MacroStage;
}

/** The one spelling of a sample's architecture: every decision and setting given. */
export function canonicalMacro(s: MacroSample, cfg: MacroConfig): MacroSample {
  const stages = s.stages.map((st, i) => canonicalStage(st, cfg, i));
  return { stages, ...canonicalSettings({ ...s, stages }, cfg) };
}

/** `stage1.kernel`: stages are numbered from 1, like torchvision's `layer1`. */
export const stageLabel = (i: number, d: Decision): string => `stage${i + 1}.${d}`;

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

function stageIssues(cfg: MacroConfig, i: number, raw: unknown): SampleIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ path: `stage${i + 1}`, message: `expected { ${DECISIONS.join(', ')} }, got ${show(raw)}` }];
  }
  const stage = raw as Record<string, unknown>;
  const unknown = Object.keys(stage).filter((k) => !(DECISIONS as readonly string[]).includes(k));
  return [
    ...unknown.map((k) => ({
      path: `stage${i + 1}.${k}`,
      message: `unknown decision; expected ${DECISIONS.join(', ')}`,
    })),
    ...DECISIONS.flatMap((d) => {
      const choices = choicesOf(cfg, i, d);
      const value = decisionOf(stage as MacroStage, d, cfg, i);
      if (choices.includes(value as Choice)) return [];
      const got =
        stage[d] === undefined && value !== undefined
          ? `nothing, which means ${show(value)} (a sample stored before ${d} was a decision)`
          : show(stage[d]);
      return [{ path: stageLabel(i, d), message: `expected one of ${choices.join(', ')}, got ${got}` }];
    }),
  ];
}

/** Every problem of an untrusted value as a macro sample (irrelevant decisions need only be among their choices). */
export function macroIssues(value: unknown, cfg: MacroConfig): SampleIssue[] {
  const n = cfg.widths.length;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: 'sample', message: `expected { stages: [${n} stage objects] }, got ${show(value)}` }];
  }
  const record = value as Record<string, unknown>;
  const fields: readonly string[] = ['stages', ...SETTINGS];
  const issues: SampleIssue[] = Object.keys(record)
    .filter((k) => !fields.includes(k))
    .map((k) => ({ path: k, message: `unknown field; expected ${fields.join(', ')}` }));
  issues.push(...settingIssues(record, cfg));
  const stages = record['stages'];
  if (!Array.isArray(stages) || stages.length !== n) {
    const got = Array.isArray(stages) ? `${stages.length} stages` : show(stages);
    return [...issues, { path: 'stages', message: `expected ${n} stages (one per entry of stageWidths), got ${got}` }];
  }
  return [...issues, ...stages.flatMap((st, i) => stageIssues(cfg, i, st))];
}

/** Distinct architectures of stage `i`: one for depth 0, else per block its kernels × expansions × groups, times width, depth, stride, attention (each module in each placement). */
export function stageSize(cfg: MacroConfig, i: number): bigint {
  const n = (d: Decision): bigint => BigInt(choicesOf(cfg, i, d).length);
  const probe = (block: MacroBlock): MacroStage => ({
    block,
    kernel: 0,
    expansion: 0,
    width: 0,
    depth: 1,
    stride: 0,
    attention: 'none',
    placement: 'branch',
  });
  const used = (b: MacroBlock, d: Decision): bigint => (isRelevant(probe(b), d) ? n(d) : 1n);
  const perBlock = cfg.blocks.reduce(
    (acc, b) => acc + used(b, 'kernel') * used(b, 'expansion') * used(b, 'groups'),
    0n,
  );
  const deep = BigInt(cfg.depths.filter((d) => d > 0).length);
  const attention = cfg.attention.reduce((acc, a) => acc + (a === 'none' ? 1n : n('placement')), 0n);
  return (cfg.depths.includes(0) ? 1n : 0n) + deep * perBlock * n('width') * n('stride') * attention;
}
