import { canonicalKey, type ArchSpec } from '../../../core/arch.js';
import { UserError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { sampleIndices } from '../../categorical.js';
import type { Choice, Dimension, SampleIssue, SearchSpace } from '../../search-space.js';
import { macroKeyForm } from './key-form.js';
import { macroNetwork } from './network.js';
import type { MacroConfig } from './options.js';
import {
  SETTINGS,
  isSettingRelevant,
  settingDimension,
  settingOf,
  type MacroSettings,
  type Setting,
} from './settings.js';
import {
  DECISIONS,
  canonicalMacro,
  choicesOf,
  decisionOf,
  isRelevant,
  macroIssues,
  stageLabel,
  stageSize,
  type Decision,
  type MacroSample,
  type MacroStage,
} from './stage.js';

/** A stage with its decisions in encoding order. */
const stageOf = (value: (d: Decision, j: number) => Choice): MacroStage =>
  Object.fromEntries(DECISIONS.map((d, j) => [d, value(d, j)])) as MacroStage;

/** The network-wide settings in encoding order. */
const settingsOf = (value: (s: Setting, j: number) => number): Required<MacroSettings> =>
  Object.fromEntries(SETTINGS.map((s, j) => [s, value(s, j)])) as Required<MacroSettings>;

function sampleError(issues: readonly SampleIssue[]): UserError {
  const n = issues.length;
  const lines = issues.map((i) => `\n  • ${i.path}: ${i.message}`).join('');
  return new UserError(
    'SAMPLE',
    `macro sample is invalid (${n} problem${n === 1 ? '' : 's'}):${lines}`,
    'docs/spaces.md shows the macro sample form',
  );
}

/**
 * The macro space (ResNet / MobileNet style): stages of blocks, the decisions of DECISIONS per stage. Every
 * stage has every decision; those its block does not use (a basic block's kernel and expansion, all
 * of a depth-0 stage's) are irrelevant: a sample keeps them (a later block change brings them back),
 * key and freeze read them at their first choice, so equal architectures have equal keys.
 */
export class MacroSpace implements SearchSpace<MacroSample> {
  readonly id = 'macro';
  private readonly dims: readonly Dimension[];

  /** Dimensions of the stages' decisions; the settings' follow them. */
  private readonly stageDims: number;

  constructor(readonly config: MacroConfig) {
    const stages = config.widths.flatMap((_, i) =>
      DECISIONS.map((d) => ({ label: stageLabel(i, d), choices: choicesOf(config, i, d) })),
    );
    this.stageDims = stages.length;
    this.dims = [...stages, ...SETTINGS.map((s) => settingDimension(config, s))];
  }

  dimensions(): readonly Dimension[] {
    return this.dims;
  }

  /** Stage architectures times settings; drop-path counts only where a stage has a residual block (not in networks of separable units). */
  size(): bigint {
    const c = this.config;
    const stages = (cfg: MacroConfig): bigint => cfg.widths.reduce((acc, _, i) => acc * stageSize(cfg, i), 1n);
    const n = (s: Setting): bigint => BigInt(c.settings[s].length);
    const withoutResidual = stages({ ...c, blocks: c.blocks.filter((b) => b === 'separable') });
    return (
      (stages(c) * n('dropPath') - withoutResidual * (n('dropPath') - 1n)) *
      n('dropout') *
      n('bnMomentum') *
      n('bnEpsilon')
    );
  }

  validate(sample: unknown): SampleIssue[] {
    return macroIssues(sample, this.config);
  }

  sample(rng: Rng): MacroSample {
    return this.decode(sampleIndices({ dimensions: this.dims }, rng));
  }

  /** One relevant decision changed to another of its choices (never a change that leaves the architecture as it was). */
  mutate(sample: MacroSample, rng: Rng): MacroSample {
    const indices = this.encode(sample);
    const open = this.relevantDims(sample);
    if (open.length === 0) throw new Error('the space has a single sample: nothing to mutate');
    const dim = rng.choice(open);
    const n = (this.dims[dim] as Dimension).choices.length;
    indices[dim] = ((indices[dim] as number) + 1 + rng.int(n - 1)) % n;
    return this.decode(indices);
  }

  /** Every sample one relevant decision away. */
  neighbours(sample: MacroSample): MacroSample[] {
    const indices = this.encode(sample);
    return this.relevantDims(sample).flatMap((dim) =>
      (this.dims[dim] as Dimension).choices.flatMap((_, c) =>
        c === indices[dim] ? [] : [this.decode(indices.map((v, i) => (i === dim ? c : v)))],
      ),
    );
  }

  /** Stage-wise crossover: every stage, all its decisions, from one parent or the other; then each setting from one or the other. */
  crossover(a: MacroSample, b: MacroSample, rng: Rng): MacroSample {
    const stages = a.stages.map((st, i) => (rng.next() < 0.5 ? st : (b.stages[i] as MacroStage)));
    return { stages, ...settingsOf((s) => settingOf(rng.next() < 0.5 ? a : b, s, this.config)) };
  }

  encode(sample: MacroSample): number[] {
    const stages = sample.stages.flatMap((st, i) =>
      DECISIONS.map((d) => choicesOf(this.config, i, d).indexOf(decisionOf(st, d, this.config, i) as Choice)),
    );
    return [...stages, ...SETTINGS.map((s) => this.config.settings[s].indexOf(settingOf(sample, s, this.config)))];
  }

  /** Every in-range index vector is a sample (the decisions are independent). */
  decode(indices: readonly number[]): MacroSample {
    if (indices.length !== this.dims.length)
      throw new RangeError(`expected ${this.dims.length} decisions, got ${indices.length}`);
    const values = indices.map((c, i) => {
      const d = this.dims[i] as Dimension;
      const v = d.choices[c];
      if (v === undefined)
        throw new RangeError(`${d.label}: expected a choice index in 0..${d.choices.length - 1}, got ${c}`);
      return v;
    });
    const stages = this.config.widths.map((_, s) => stageOf((d, j) => values[s * DECISIONS.length + j] as Choice));
    return { stages, ...settingsOf((_, j) => values[this.stageDims + j] as number) };
  }

  freeze(sample: MacroSample): ArchSpec {
    return macroNetwork(canonicalMacro(sample, this.config), this.config);
  }

  key(sample: MacroSample): string {
    return canonicalKey(macroKeyForm(canonicalMacro(sample, this.config), this.config));
  }

  /** Compact JSON `{"stages":[{"block":…,"kernel":…,…},…],"dropPath":…,…}`, decisions and settings in encoding order. */
  format(sample: MacroSample): string {
    return JSON.stringify(this.spelled(sample));
  }

  parse(text: string): MacroSample {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw sampleError([{ path: 'sample', message: `expected JSON { stages: […] }: ${(e as Error).message}` }]);
    }
    const issues = macroIssues(value, this.config);
    if (issues.length > 0) throw sampleError(issues);
    return this.spelled(value as MacroSample);
  }

  /** Every decision and setting written out (left-out ones as they read), in encoding order. */
  private spelled(sample: MacroSample): MacroSample {
    const stages = sample.stages.map((st, i) => stageOf((d) => decisionOf(st, d, this.config, i) as Choice));
    return { stages, ...settingsOf((s) => settingOf(sample, s, this.config)) };
  }

  private relevantDims(sample: MacroSample): number[] {
    return this.dims.flatMap((d, i) => {
      if (d.choices.length < 2) return [];
      if (i >= this.stageDims)
        return isSettingRelevant(sample.stages, SETTINGS[i - this.stageDims] as Setting) ? [i] : [];
      const stage = sample.stages[Math.floor(i / DECISIONS.length)] as MacroStage;
      return isRelevant(stage, DECISIONS[i % DECISIONS.length] as Decision) ? [i] : [];
    });
  }
}
