import { availableParallelism, totalmem } from 'node:os';
import { bf16Unsupported } from '../../backend/bf16.js';

/** What the review checks a design against on the machine it runs on: memory, cores, fast bfloat16. */
export interface Machine {
  readonly memoryBytes: number;
  readonly cores: number;
  /** Whether bfloat16 training is fast here, and why not when it is not (src/backend/bf16.ts). */
  readonly bf16: { readonly fast: boolean; readonly why: string | null };
}

/** This machine, as `os` and /proc/cpuinfo describe it. */
export function thisMachine(): Machine {
  const why = bf16Unsupported();
  return {
    memoryBytes: totalmem(),
    cores: availableParallelism(),
    bf16: { fast: why === undefined, why: why ?? null },
  };
}
