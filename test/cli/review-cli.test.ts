import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/cli/review/review.js';
import { writeReport } from '../../src/cli/report/write-report.js';
import { runCli, tempDir } from './helpers.js';
import { reviewStorage } from './review-fixture.js';

let storage = '';
beforeAll(async () => {
  storage = await reviewStorage();
}, 60_000);

type ReviewJson = Review & { storage: string };

describe('nas review (the command)', () => {
  it("prints the best trial's review as one JSON object on stdout (--json)", async () => {
    const run = await runCli(['review', 'imagenet', '--storage', storage, '--json']);
    expect(run.code).toBe(0);
    const review = JSON.parse(run.stdout) as ReviewJson;
    expect(review.storage).toBe(storage);
    expect(review.trial).toMatchObject({ number: 0, state: 'COMPLETE' });
    expect(review.base?.name).toBe('resnet18');
    expect(review.budget.params).toBe(11_227_812);
    expect(review.strides.drops.map((d) => d.to)).toEqual([
      [112, 112],
      [56, 56],
      [28, 28],
      [14, 14],
      [7, 7],
    ]);
    expect(review.warnings).toEqual([]);
  });

  it('walks the four parts of the checklist as text, a warning under its item', async () => {
    const run = await runCli(['review', 'imagenet', '--trial', '1', '--storage', storage]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`review of trial 1 (COMPLETE) of experiment imagenet in ${storage}`);
    expect(lines.filter((l) => /^\d\. /.test(l))).toEqual([
      '1. Initial design',
      '2. Detailed design',
      '3. Optimization',
      '4. Implementation',
    ]);
    expect(run.stdout).toContain(
      '\n  stride plan                     224×224 → 112×112 (conv1) → 56×56 (maxpool) → 28×28 (layer2.0.dw) → 14×14 (layer3.0.dw) → 7×7 (layer4.0.dw)\n',
    );
    expect(run.stdout).toContain(
      '\n  shortcut connections            none; 50 weight layers on the longest path (50 in all)\n    ⚠ deep-without-shortcuts: 50 weight layers deep',
    );
    expect(run.stdout).toMatch(
      /\n {2}memory estimate {17}part 7: 4 B × \(A·B \+ 2·P\) = 4 × \(16,044,388 × 32 \+ 2 × 2,047,716\) = 1\.9 GiB/,
    );
    expect(lines.at(-2)).toBe('1 warning: deep-without-shortcuts');
  });

  it("warns of bf16 where oneDNN is off, and of a batch this machine's memory cannot hold", async () => {
    const bf16 = JSON.parse(
      (
        await runCli(['review', 'bf16', '--storage', storage, '--json'], undefined, {
          env: { TF_ENABLE_ONEDNN_OPTS: '0' },
        })
      ).stdout,
    ) as ReviewJson;
    expect(bf16.machine.bf16).toEqual({
      fast: false,
      why: "TensorFlow's oneDNN kernels are off (TF_ENABLE_ONEDNN_OPTS=0)",
    });
    expect(bf16.warnings.map((w) => w.code)).toEqual(['bf16-not-fast']);
    const big = JSON.parse(
      (await runCli(['review', 'big-batch', '--storage', storage, '--json'])).stdout,
    ) as ReviewJson;
    expect(big.memory.costModel.trainTotal * 2).toBeGreaterThan(big.machine.memoryBytes);
    expect(big.warnings.map((w) => w.code)).toEqual(['memory-over-machine']);
  });

  it('exits 1 naming what exists for an unknown experiment or trial', async () => {
    const experiment = await runCli(['review', 'gamma', '--storage', storage]);
    expect(experiment.code).toBe(1);
    expect(experiment.stdout).toBe('');
    expect(experiment.stderr).toBe(
      `nas: no experiment "gamma" in ${storage}\n  what to do: experiments there: imagenet, cifar, constrained, adam, bf16, big-batch, attention, regularized, tiny, empty (\`nas ls\`); another file: --storage FILE\n`,
    );
    const trial = await runCli(['review', 'imagenet', '--trial', '7', '--storage', storage, '--json']);
    expect([trial.code, trial.stdout, trial.stderr]).toEqual([
      1,
      '',
      'nas: no trial 7 in experiment "imagenet"\n  what to do: its trials are numbered 0–2; or --best\n',
    ]);
    const none = await runCli(['review', 'empty', '--storage', storage]);
    expect([none.code, none.stderr]).toEqual([
      1,
      'nas: experiment "empty" has no complete trial with a value of validationAccuracy\n  what to do: wait for a trial to finish (`nas show` lists them)\n',
    ]);
  });
});

describe('nas report: the design review section', () => {
  it("shows the best trial's checklist and each top trial's nearest reference and warnings", async () => {
    const out = tempDir('nas-review-report-');
    await writeReport(storage, 'imagenet', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const section = html.slice(html.indexOf('<h2>Design review</h2>'), html.indexOf('<h2>Failures</h2>'));
    expect(section).toContain('walked for the best trial, 0,');
    expect(section).toContain(
      '<td class="l">stride plan</td><td class="l">224×224 → 112×112 (conv1) → 56×56 (maxpool) → 28×28 (layer2.0) → 14×14 (layer3.0) → 7×7 (layer4.0)</td>',
    );
    expect(section).toContain(
      '<tr><td>0</td><td class="l">resnet18</td><td>0.00</td><td>18</td><td class="l">none</td></tr>',
    );
    expect(section).toContain(
      '<tr><td>1</td><td class="l">vgg11</td><td>0.78</td><td>50</td><td class="l">deep-without-shortcuts</td></tr>',
    );
  });
});
