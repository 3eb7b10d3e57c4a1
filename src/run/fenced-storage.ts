import type { Storage } from '../backend/storage/index.js';

/** What a call waits for before it reaches the storage (the owner lease, src/run/owner-lease.ts). */
export interface Fence {
  /** Undefined: go on at once; a promise: go on when it resolves, stop when it rejects. */
  before(write: boolean): Promise<void> | undefined;
}

/** Every call of {@link Storage}, read or write: a new call must be listed here (the compiler asks). */
const CALLS: Readonly<Record<keyof Storage, 'read' | 'write'>> = {
  createExperiment: 'write',
  getExperiment: 'read',
  listExperiments: 'read',
  setExperimentStatus: 'write',
  createTrial: 'write',
  getTrial: 'read',
  addEpoch: 'write',
  listEpochs: 'read',
  addDiagnostics: 'write',
  listDiagnostics: 'read',
  finishTrial: 'write',
  listTrials: 'read',
  markInterrupted: 'write',
  saveStrategyState: 'write',
  latestStrategyState: 'read',
  appendEvent: 'write',
  listEvents: 'read',
  acquireLease: 'write',
  renewLease: 'write',
  releaseLease: 'write',
  readLease: 'read',
  close: 'read',
};

/**
 * The storage as the owner of one experiment sees it: each call first passes the lease
 * (`OwnerLease.before`), so that a driver that lost its experiment writes nothing more.
 */
export function fencedStorage(storage: Storage, lease: Fence): Storage {
  return new Proxy(storage, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const kind = CALLS[property as keyof Storage] as 'read' | 'write' | undefined;
      if (typeof value !== 'function' || kind === undefined) return value;
      return (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        const wait = lease.before(kind === 'write');
        return wait === undefined ? call() : wait.then(call);
      };
    },
  });
}
