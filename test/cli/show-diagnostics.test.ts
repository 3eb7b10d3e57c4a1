import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { DiagnosticFlag } from '../../src/core/diagnostics.js';
import type { DiagnosticEpoch } from '../../src/core/trial-diagnostics.js';
import type { ShowDiagnosticsJson } from '../../src/cli/format/diagnostics-show.js';
import { sparkline } from '../../src/cli/format/diagnostics-text.js';
import { figure } from '../../src/cli/format/diagnostic-rows.js';
import { flagSummary } from '../../src/cli/format/flag-summary.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import { DEAD, diagnosticsStorage, EVERY, FADING, STEPS } from './diagnostics-fixture.js';
import { runCli } from './helpers.js';

let storage = '';
/** Each trial's stored per-epoch diagnostics, by trial number. */
const stored = new Map<number, readonly DiagnosticEpoch[]>();

beforeAll(async () => {
  storage = await diagnosticsStorage();
  const s = await openSqliteStorage(storage, { readonly: true });
  const e = await s.getExperiment('diag');
  for (const t of await s.listTrials(e?.id ?? -1)) stored.set(t.number, await s.listDiagnostics(t.id));
  await s.close();
}, 60_000);

const flag = (kind: DiagnosticFlag['kind'], layer?: string): Partial<DiagnosticFlag> => ({
  kind,
  ...(layer === undefined ? {} : { layer }),
});

describe('diagnostics as text', () => {
  it('sums flags up by kind, in the kinds order, counting repeats', () => {
    const f = (kind: DiagnosticFlag['kind']) => ({ kind, firstStep: 1, step: 1, value: 0, threshold: 0 });
    expect(flagSummary([f('dead-relu'), f('vanishing'), f('vanishing')])).toBe('vanishing×2 dead-relu');
    expect(flagSummary([])).toBe('');
  });

  it('writes figures in 3 significant digits and trends as log-scale bars', () => {
    expect([0.0123, 45.6, 2.6e-7, 1e-8, 12345, 0, Number.NaN].map(figure)).toEqual([
      '0.0123',
      '45.6',
      '2.6e-7',
      '1e-8',
      '1.23e4',
      '0',
      'NaN',
    ]);
    expect(sparkline(FADING)).toBe('█▆▃▂▂▁');
    expect(sparkline([1, 0, Infinity])).toBe('▅▁×');
    expect(sparkline(Array.from({ length: 30 }, (_, i) => 10 ** -i))).toHaveLength(12);
  });
});

describe('nas show with diagnostics', () => {
  it("carries each trial's interval and flags in --json (null without diagnostics), as storage raised them", async () => {
    const run = await runCli(['show', 'diag', '--storage', storage, '--json', '--sort', 'number']);
    expect(run.code).toBe(0);
    const show = JSON.parse(run.stdout) as ShowJson;
    const byNumber = new Map(show.trials.map((t) => [t.number, t.diagnostics]));
    expect(byNumber.get(0)).toEqual({
      every: EVERY,
      flags: [
        { kind: 'dead-relu', layer: 'stem_act', firstStep: 10, step: 30, value: DEAD, threshold: 0.9 },
        { kind: 'vanishing', layer: 'layer1.0_conv2', firstStep: 30, step: 50, value: 1e-7 / 2.04, threshold: 1e-6 },
        { kind: 'vanishing', layer: 'layer1.0_proj', firstStep: 30, step: 50, value: 0.5e-7 / 1.54, threshold: 1e-6 },
      ],
    });
    expect(byNumber.get(2)?.flags.map((f) => [f.kind, f.layer, f.step])).toEqual([
      ['exploding', undefined, 30],
      ['bn-drift', 'stem_bn', 30],
      ['collapse', 'layer1.0', 60],
    ]);
    expect(byNumber.get(6)?.flags.map((f) => f.kind)).toEqual(['exploding', 'bn-drift']);
    for (const n of [1, 4, 5]) expect(byNumber.get(n), `trial ${n}`).toBeNull();
  });

  it('adds a flags column to the trials table: the flags in short, nothing without diagnostics', async () => {
    const run = await runCli(['show', 'diag', '--storage', storage, '--sort', 'number']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n {2}# +state +val acc +params +MACs +time +flags +architecture\n/);
    expect(run.stdout).toMatch(/\n {2}0 +COMPLETE +50\.00% .* 1\.0 s {2}vanishing×2 dead-relu +\{"stages"/);
    expect(run.stdout).toMatch(/\n {2}1 +COMPLETE +60\.00% .* 1\.0 s {30,}\{"stages"/);
    expect(run.stdout).toMatch(/\n {2}2 +COMPLETE .* 1\.0 s {2}exploding bn-drift collapse {2}\{"stages"/);
    expect(run.stdout).toMatch(/\n {2}6 +FAILED diagnostics .* {2}exploding bn-drift +\{"stages"/);
  });

  it("prints a trial's layers with the figures storage holds (--trial N --diagnostics --json)", async () => {
    const run = await runCli(['show', 'diag', '--storage', storage, '--trial', '0', '--diagnostics', '--json']);
    expect(run.code).toBe(0);
    const show = JSON.parse(run.stdout) as ShowDiagnosticsJson;
    const d = show.diagnostics;
    expect(show.trial).toMatchObject({ number: 0, state: 'COMPLETE' });
    expect(d).toMatchObject({ every: EVERY, checks: 6, steps: [10, 60] });
    expect(d?.layers.map((l) => [l.layer, l.op])).toEqual([
      ['stem', 'conv 3×3'],
      ['stem_bn', 'bn'],
      ['stem_act', 'relu'],
      ['layer1.0_conv1', 'conv 3×3'],
      ['layer1.0_bn1', 'bn'],
      ['layer1.0_relu1', 'relu'],
      ['layer1.0_conv2', 'conv 3×3'],
      ['layer1.0_bn2', 'bn'],
      ['layer1.0_proj', 'conv 1×1'],
      ['layer1.0_proj_bn', 'bn'],
      ['layer1.0', 'basic'],
      ['fc', 'dense'],
    ]);
    const checks = (stored.get(0) ?? []).flatMap((e) => e.checks);
    const conv2 = d?.layers.find((l) => l.layer === 'layer1.0_conv2');
    const norms = checks.map((c) => c.layers?.find((l) => l.layer === 'layer1.0_conv2'));
    expect(conv2?.gradNorm).toEqual({
      first: norms[0]?.gradNorm,
      last: norms[5]?.gradNorm,
      min: 1e-8,
      max: 1e-2,
      steps: STEPS,
      values: FADING,
    });
    expect(conv2?.gradNorm?.first).toBe(1e-2);
    expect(conv2?.weightNorm?.last).toBe(norms[5]?.weightNorm);
    expect(conv2?.flags).toEqual([expect.objectContaining(flag('vanishing', 'layer1.0_conv2'))]);
    expect(d?.layers.find((l) => l.layer === 'stem_act')?.activation).toEqual({
      kind: 'relu',
      mean: 0.4,
      std: 0.6,
      zeroFraction: 0.97,
      deadFraction: DEAD,
    });
    expect(d?.layers.find((l) => l.layer === 'stem_bn')?.activation).toMatchObject({
      kind: 'bn',
      channelMeanAbs: 0.1,
      channelStd: 0.95,
    });
    expect(d?.layers.filter((l) => l.flags.length === 0)).toHaveLength(9);
    expect(d?.global).toMatchObject({ first: 1, last: 0.5, steps: STEPS });
  });

  it('marks the flagged layers in the text table', async () => {
    const run = await runCli(['show', 'diag', '--storage', storage, '--trial', '0', '--diagnostics']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'trial 0 of diag (COMPLETE): diagnostics every 10 steps, 6 checks (steps 10–60); flags: vanishing×2 dead-relu',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}! +layer1\.0_conv2 +conv 3×3 +0\.01 → 1e-8 +█▆▃▂▂▁ +2\.05 +vanishing@50$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}! +stem_act +relu +95\.0% +dead-relu@30$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {5}stem_bn +bn +0\.05 → 0\.025 +█▇▆▄▃▁ +4\.05 +0\.1 +0\.95$/),
    );
    const two = await runCli(['show', 'diag', '--storage', storage, '--trial', '2', '--diagnostics']);
    expect(two.stdout).toMatch(/\n {2}! +\(global\) +1 → 1 +▁▁█▁▁▁ +exploding@30\n/);
    expect(two.stdout).toMatch(/\n {2}! +layer1\.0 +basic +0\.5 +1e-4 +collapse@60\n/);
  });

  it('shows a running trial from the epochs stored so far', async () => {
    const run = await runCli(['show', 'diag', '--storage', storage, '--trial', '4', '--diagnostics', '--json']);
    const d = (JSON.parse(run.stdout) as ShowDiagnosticsJson).diagnostics;
    expect(d).toMatchObject({ every: null, checks: 3, steps: [10, 30] });
    expect(d?.flags).toEqual(stored.get(4)?.flatMap((e) => e.flags));
    expect(d?.flags.map((f) => f.kind)).toEqual(['dead-relu']);
  });

  it('says in one line that diagnostics were off (exit 0), and names the trials of a bad number (exit 1)', async () => {
    const off = await runCli(['show', 'diag', '--storage', storage, '--trial', '1', '--diagnostics']);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(
      'trial 1 of diag (COMPLETE) has no diagnostics: they were off when it trained (turn them on with `train: { diagnostics: true }` in the config; docs/training.md, *Diagnostics*)\n',
    );
    const offJson = await runCli(['show', 'diag', '--storage', storage, '--trial', '5', '--diagnostics', '--json']);
    expect((JSON.parse(offJson.stdout) as ShowDiagnosticsJson).diagnostics).toBeNull();
    const bad = await runCli(['show', 'diag', '--storage', storage, '--trial', '9', '--diagnostics']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'nas: no trial 9 in experiment "diag"\n  what to do: its trials are numbered 0–6 (`nas show diag` lists them)\n',
    );
    const alone = await runCli(['show', 'diag', '--storage', storage, '--diagnostics']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--trial N and --diagnostics go together (add --trial N)');
  });
});
