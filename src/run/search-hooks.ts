import type { RunEvent } from '../core/events.js';
import type { Evaluator } from './evaluator.js';
import type { LeaseTiming } from './owner-lease.js';

/** How a search is watched and stopped: an event sink and a stop signal (SIGINT in the CLI). */
export interface SearchHooks {
  readonly emit: (event: RunEvent) => void;
  /** Aborted once: stop gracefully; aborted twice (a second signal): cancel running trials. */
  readonly stop?: { readonly onStop: (listener: (why: string) => void) => void };
  /** For tests and benchmarks: evaluate in-process instead of on the isolated pool. */
  readonly evaluator?: Evaluator;
  /** For tests: the owner lease's heartbeat, timeout and host name (default LEASE_TIMING, this machine). */
  readonly lease?: LeaseTiming;
}
