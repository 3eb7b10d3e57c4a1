/**
 * Whether bfloat16 training can be fast here: TensorFlow's oneDNN kernels (on unless
 * TF_ENABLE_ONEDNN_OPTS=0) on a CPU with bfloat16 instructions (AMX-BF16 or AVX512-BF16). Without
 * either, TensorFlow's bfloat16 kernels exist but were measured 8× slower than float32
 * (bench/precision.ts), so a run asking for bf16 trains in float32 and records this reason.
 */
import fs from 'node:fs';

/** Why bfloat16 would not be faster on this machine; undefined when it would. */
export function bf16Unsupported(
  env: NodeJS.ProcessEnv = process.env,
  cpuFlags: ReadonlySet<string> = cpuinfoFlags(),
): string | undefined {
  if (env.TF_ENABLE_ONEDNN_OPTS === '0') return "TensorFlow's oneDNN kernels are off (TF_ENABLE_ONEDNN_OPTS=0)";
  if (!cpuFlags.has('amx_bf16') && !cpuFlags.has('avx512_bf16'))
    return 'this CPU has no bfloat16 instructions (neither amx_bf16 nor avx512_bf16 in /proc/cpuinfo)';
  return undefined;
}

/** The CPU's feature flags as Linux lists them (empty where /proc/cpuinfo is not readable). */
function cpuinfoFlags(): Set<string> {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}
