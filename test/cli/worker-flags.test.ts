import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('nas worker flags', () => {
  it('--threads takes a positive integer (usage error otherwise)', async () => {
    const bad = await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--threads', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/option '--threads <n>' argument '0' is invalid\. expected a positive integer, got "0"/);
    const help = await runCli(['worker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--threads <n> +TensorFlow threads of each trial/);
  });
});
