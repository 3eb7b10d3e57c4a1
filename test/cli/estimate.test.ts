import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { tinyFile } from './tiny-arch.js';

describe('nas estimate: optimizer, precision and checkpointing', () => {
  const file = tinyFile();

  it('defaults to the default training optimizer (SGD with momentum, one slot), fp32, no checkpointing, and says so', async () => {
    const run = await runCli(['estimate', file, '--batch', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('training        optimizer: sgd, momentum (1 slot); precision: fp32\n');
    expect(run.stdout).toContain('checkpointing   none (every activation stored for the backward pass)\n');
    const json = JSON.parse((await runCli(['estimate', file, '--batch', '2', '--json'])).stdout);
    expect(json.training).toEqual({ optimizer: 'momentum', optimizer_slots: 1, precision: 'fp32' });
    expect(json.memory).toEqual({
      weights: 476,
      low_precision_weights: 0,
      gradients: 476,
      optimizer_state: 476,
      train_activations: 83 * 2 * 4,
      inference_activations: 64 * 4,
      train_total: 3 * 476 + 664,
    });
    expect(json.checkpointing).toBeNull();
  });

  it('--optimizer adam --precision bf16 --segments sqrt: mixed-precision memory, kept activations, +33% compute', async () => {
    const args = ['estimate', file, '--batch', '2', '--optimizer', 'adam', '--precision', 'bf16', '--segments', 'sqrt'];
    const json = JSON.parse((await runCli([...args, '--json'])).stdout);
    expect(json.training).toEqual({ optimizer: 'adam', optimizer_slots: 2, precision: 'bf16' });
    expect(json.memory).toEqual({
      weights: 476,
      low_precision_weights: 238,
      gradients: 476,
      optimizer_state: 952,
      train_activations: 80 * 2 * 2,
      inference_activations: 64 * 2,
      train_total: 476 + 238 + 476 + 952 + 320,
    });
    expect(json.checkpointing).toEqual({
      segments: 'sqrt',
      segment_count: 2,
      kept_elements: 48,
      largest_segment_elements: 32,
      recompute_macs: 384,
      compute_overhead: 1 / 3,
    });
    const run = await runCli(args);
    expect(run.stdout).toContain('optimizer: adam (2 slots); precision: bf16 mixed');
    expect(run.stdout).toContain(
      'checkpointing   sqrt → 2 segments: kept 192 B + largest segment 128 B at batch 2; recomputes 384 MACs per sample: +33% compute',
    );
    expect(run.stdout).toContain('weights 476 B + bf16 copy 238 B, gradients 476 B, optimizer state 952 B');
    expect(run.stdout).toContain('training activations at batch 2 (checkpointed): 320 B');
  });

  it('--optimizer sgd has no state; --segments K takes a count', async () => {
    const json = JSON.parse(
      (await runCli(['estimate', file, '--batch', '2', '--optimizer', 'sgd', '--segments', '3', '--json'])).stdout,
    );
    expect(json.training.optimizer_slots).toBe(0);
    expect(json.memory.optimizer_state).toBe(0);
    expect(json.memory.train_activations).toBe(83 * 2 * 4);
    expect(json.checkpointing).toMatchObject({ segments: 3, segment_count: 3 });
  });

  it('rejects bad values, naming the flag, what it expects and what it got', async () => {
    const bad = await Promise.all([
      runCli(['estimate', file, '--optimizer', 'lion']),
      runCli(['estimate', file, '--precision', 'fp8']),
      runCli(['estimate', file, '--segments', '0']),
      runCli(['estimate', file, '--segments', 'half']),
    ]);
    bad.forEach((run) => expect(run.code).toBe(2));
    expect(bad[0]?.stderr).toContain(
      `option '--optimizer <name>' argument 'lion' is invalid. expected one of sgd, momentum, adam, adamw, got "lion"`,
    );
    expect(bad[1]?.stderr).toContain(
      `option '--precision <p>' argument 'fp8' is invalid. expected one of fp32, bf16, fp16, got "fp8"`,
    );
    expect(bad[2]?.stderr).toContain(
      `option '--segments <K>' argument '0' is invalid. expected a positive integer or "sqrt", got "0"`,
    );
    expect(bad[3]?.stderr).toContain(
      `option '--segments <K>' argument 'half' is invalid. expected a positive integer or "sqrt", got "half"`,
    );
  });
});
