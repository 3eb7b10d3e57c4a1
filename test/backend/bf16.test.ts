// When bfloat16 training can be fast (src/backend/bf16.ts): oneDNN on and bfloat16 instructions.
import { describe, expect, it } from 'vitest';
import { bf16Unsupported } from '../../src/backend/bf16.js';

describe('bf16Unsupported', () => {
  it('is undefined with oneDNN on and AMX-BF16 or AVX512-BF16', () => {
    expect(bf16Unsupported({}, new Set(['sse4_2', 'amx_bf16']))).toBeUndefined();
    expect(bf16Unsupported({ TF_ENABLE_ONEDNN_OPTS: '1' }, new Set(['avx512_bf16']))).toBeUndefined();
  });

  it('names the reason otherwise: oneDNN off, or no bfloat16 instructions', () => {
    expect(bf16Unsupported({ TF_ENABLE_ONEDNN_OPTS: '0' }, new Set(['amx_bf16']))).toBe(
      "TensorFlow's oneDNN kernels are off (TF_ENABLE_ONEDNN_OPTS=0)",
    );
    expect(bf16Unsupported({}, new Set(['avx2', 'avx512f']))).toBe(
      'this CPU has no bfloat16 instructions (neither amx_bf16 nor avx512_bf16 in /proc/cpuinfo)',
    );
  });
});
