import type { Choice, SampleIssue } from '../../search-space.js';
import type { MacroAttention, MacroBlock, MacroConfig } from './options.js';

/** The decisions of one stage. `width` is the output width (a bottleneck's inner width; it outputs width × expansion). */
export type MacroStage = {
  readonly block: MacroBlock;
  readonly kernel: number;
  readonly expansion: number;
  readonly width: number;
  readonly depth: number;
  readonly stride: number;
  readonly attention: MacroAttention;
};

/** A macro sample: one set of decisions per stage, stem and head being fixed by the options. */
export type MacroSample = { readonly stages: readonly MacroStage[] };

/** The decisions of a stage, in encoding order. */
export const DECISIONS = ['block', 'kernel', 'expansion', 'width', 'depth', 'stride', 'attention'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The choices of one decision of stage `i` (0-based). */
export function choicesOf(cfg: MacroConfig, i: number, d: Decision): readonly Choice[] {
  switch (d) {
    case 'block': return cfg.blocks;
    case 'kernel': return cfg.kernels;
    case 'expansion': return cfg.expansions;
    case 'width': return cfg.widths[i] ?? [];
    case 'depth': return cfg.depths;
    case 'stride': return cfg.strides;
    case 'attention': return cfg.attention;
  }
}

/** Whether a decision shapes the architecture: a stage of depth 0 has none; kernels and expansions only where the block has them. */
export function isRelevant(stage: MacroStage, d: Decision): boolean {
  if (stage.depth === 0) return d === 'depth';
  if (d === 'kernel') return stage.block === 'inverted_residual' || stage.block === 'separable';
  if (d === 'expansion') return stage.block === 'inverted_residual' || stage.block === 'bottleneck';
  return true;
}

/** The stage with every irrelevant decision at its first choice: equal architectures, equal stages. */
export function canonicalStage(stage: MacroStage, cfg: MacroConfig, i: number): MacroStage {
  const out: Record<string, Choice> = { ...stage };
  for (const d of DECISIONS) if (!isRelevant(stage, d)) out[d] = choicesOf(cfg, i, d)[0] as Choice;
  return out as MacroStage;
}

/** The one spelling of a sample's architecture. */
export function canonicalMacro(s: MacroSample, cfg: MacroConfig): MacroSample {
  return { stages: s.stages.map((st, i) => canonicalStage(st, cfg, i)) };
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
    ...unknown.map((k) => ({ path: `stage${i + 1}.${k}`, message: `unknown decision; expected ${DECISIONS.join(', ')}` })),
    ...DECISIONS.flatMap((d) => {
      const choices = choicesOf(cfg, i, d);
      return choices.includes(stage[d] as Choice) ? [] : [{ path: stageLabel(i, d), message: `expected one of ${choices.join(', ')}, got ${show(stage[d])}` }];
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
  const issues: SampleIssue[] = Object.keys(record)
    .filter((k) => k !== 'stages')
    .map((k) => ({ path: k, message: 'unknown field; expected stages' }));
  const stages = record['stages'];
  if (!Array.isArray(stages) || stages.length !== n) {
    const got = Array.isArray(stages) ? `${stages.length} stages` : show(stages);
    return [...issues, { path: 'stages', message: `expected ${n} stages (one per entry of stageWidths), got ${got}` }];
  }
  return [...issues, ...stages.flatMap((st, i) => stageIssues(cfg, i, st))];
}

/** Distinct architectures of stage `i`: one for depth 0, else per block its kernels × expansions, times width, depth, stride, attention. */
export function stageSize(cfg: MacroConfig, i: number): bigint {
  const n = (d: Decision): bigint => BigInt(choicesOf(cfg, i, d).length);
  const probe = (block: MacroBlock): MacroStage => ({ block, kernel: 0, expansion: 0, width: 0, depth: 1, stride: 0, attention: 'none' });
  const perBlock = cfg.blocks.reduce((acc, b) => acc + (isRelevant(probe(b), 'kernel') ? n('kernel') : 1n) * (isRelevant(probe(b), 'expansion') ? n('expansion') : 1n), 0n);
  const deep = BigInt(cfg.depths.filter((d) => d > 0).length);
  return (cfg.depths.includes(0) ? 1n : 0n) + deep * perBlock * n('width') * n('stride') * n('attention');
}
