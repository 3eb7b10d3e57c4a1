// PyTorch reference throughput for benches (never for tests): the same resolved architecture built
// and trained in PyTorch by bench/torch/arch_net.py, in a Python venv outside the repo. See
// bench/torch/README.md for the venv; NAS_TORCH_PYTHON picks the interpreter.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedArch } from '../src/space/resolve.js';

const SCRIPT = fileURLToPath(new URL('./torch/arch_net.py', import.meta.url));
const SETUP_HINT =
  'PyTorch reference skipped: no Python with torch (set NAS_TORCH_PYTHON, or: python3 -m venv $HOME/pyref && ' +
  '$HOME/pyref/bin/pip install /opt/wheels/torch-*.whl numpy; see bench/torch/README.md)';

/** What `torchImagesPerSecond` measures. */
export type TorchThroughput = { readonly imagesPerSecond: number; readonly params: number; readonly torch: string };

/** Options of a PyTorch throughput run: batch, timed steps, untimed warm-up steps (default 2), threads (TORCH_THREADS). */
export type TorchRunOptions = {
  readonly batch: number;
  readonly steps: number;
  readonly warmup?: number;
  readonly threads?: number;
};

let probed: { readonly python: string | undefined } | undefined;
let hinted = false;

/**
 * The Python interpreter of the PyTorch reference: `NAS_TORCH_PYTHON`, else `$HOME/pyref/bin/python`,
 * if it exists and can `import torch`; undefined otherwise. Probed once per process.
 */
export function torchPython(): string | undefined {
  if (probed !== undefined) return probed.python;
  const candidate = process.env['NAS_TORCH_PYTHON'] ?? path.join(os.homedir(), 'pyref', 'bin', 'python');
  let python: string | undefined;
  if (fs.existsSync(candidate)) {
    const r = spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
    if (r.status === 0) python = candidate;
  }
  probed = { python };
  return python;
}

/**
 * CPU training throughput (images/s) of `arch` in PyTorch: SGD (lr 0.01, momentum 0.9) on random data,
 * `warmup` untimed then `steps` timed steps at `batch`. Undefined (with one line on stderr saying how to
 * set up the venv) when no Python with torch is available; throws when the script fails.
 */
export function torchImagesPerSecond(arch: ResolvedArch, options: TorchRunOptions): TorchThroughput | undefined {
  const python = torchPython();
  if (python === undefined) {
    if (!hinted) process.stderr.write(`${SETUP_HINT}\n`);
    hinted = true;
    return undefined;
  }
  const request = {
    inputShape: arch.inputShape,
    batch: options.batch,
    steps: options.steps,
    warmup: options.warmup ?? 2,
    nodes: arch.nodes.map((n) => ({ id: n.id, node: n.node, inputShapes: n.inputShapes, shape: n.shape })),
    outputs: arch.outputs,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-torch-'));
  const file = path.join(dir, 'request.json');
  try {
    fs.writeFileSync(file, JSON.stringify(request));
    const env =
      options.threads === undefined ? process.env : { ...process.env, TORCH_THREADS: String(options.threads) };
    const r = spawnSync(python, [SCRIPT, file], { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (r.error !== undefined) throw new Error(`PyTorch reference: could not run ${python}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`PyTorch reference failed (exit ${r.status ?? r.signal}):\n${r.stderr.trim()}`);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    let parsed: { imagesPerSecond?: unknown; params?: unknown; torch?: unknown } | null;
    try {
      parsed = JSON.parse(last) as typeof parsed;
    } catch {
      throw new Error(`PyTorch reference printed no JSON line: ${last}`);
    }
    if (
      parsed === null ||
      typeof parsed.imagesPerSecond !== 'number' ||
      typeof parsed.params !== 'number' ||
      typeof parsed.torch !== 'string'
    ) {
      throw new Error(`PyTorch reference printed an unexpected line: ${last}`);
    }
    return { imagesPerSecond: parsed.imagesPerSecond, params: parsed.params, torch: parsed.torch };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
