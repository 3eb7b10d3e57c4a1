import type { Json } from '../../core/arch.js';
import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { StorageMisuseError } from './errors.js';
import { acquiredClaim, checkClaim, staleReason, takenLease } from './lease-rules.js';
import { INTERRUPTED, finishedTrial, runningTrial } from './records.js';
import {
  checkEpoch,
  checkFinish,
  checkNewExperiment,
  checkNewTrial,
  checkStatus,
  duplicateDiagnostics,
  duplicateEpoch,
  duplicateTrial,
  emptyCounts,
  experimentExists,
  unknownExperiment,
  unknownTrial,
} from './rules.js';
import type {
  Experiment,
  ExperimentLease,
  ExperimentStatus,
  ExperimentSummary,
  LeaseClaim,
  LeaseClaimant,
  NewEvent,
  NewExperiment,
  NewTrial,
  Storage,
  StoredEvent,
  StrategySnapshot,
  TrialResult,
} from './storage.js';

interface TrialEntry {
  experimentId: number;
  /** Without `outcome.epochs`: those live in `epochs`, as in the SQLite tables. */
  trial: Trial;
  epochs: Map<number, EpochMetrics>;
  diagnostics: Map<number, DiagnosticEpoch>;
}

const copy = structuredClone;

/**
 * The in-memory twin of the SQLite storage: same behaviour, same errors, nothing on disk (tests,
 * `nas bench` runs that need no file). Values are copied in and out, so callers never share them.
 */
export class MemoryStorage implements Storage {
  private readonly experiments = new Map<number, Experiment>();
  private readonly trials = new Map<number, TrialEntry>();
  /** Per experiment: its trials by number. */
  private readonly numbered = new Map<number, Map<number, TrialEntry>>();
  private readonly snapshots = new Map<number, StrategySnapshot>();
  private readonly events: (StoredEvent & { experimentId: number })[] = [];
  private readonly leases = new Map<number, ExperimentLease>();
  private readonly ids = { experiment: 0, trial: 0, event: 0 };
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async createExperiment(input: NewExperiment): Promise<Experiment> {
    this.open();
    checkNewExperiment(input);
    if ([...this.experiments.values()].some((e) => e.name === input.name)) throw experimentExists(input.name, 'memory');
    const t = this.now();
    const experiment: Experiment = {
      id: ++this.ids.experiment,
      name: input.name,
      config: copy(input.config),
      seed: input.seed,
      status: 'running',
      createdAt: t,
      updatedAt: t,
    };
    this.experiments.set(experiment.id, experiment);
    return copy(experiment);
  }

  async getExperiment(name: string): Promise<Experiment | undefined> {
    this.open();
    const found = [...this.experiments.values()].find((e) => e.name === name);
    return found === undefined ? undefined : copy(found);
  }

  async listExperiments(): Promise<readonly ExperimentSummary[]> {
    this.open();
    return [...this.experiments.values()].map((experiment) => {
      const trials = emptyCounts();
      for (const entry of this.entries(experiment.id)) trials[entry.trial.state]++;
      return { ...copy(experiment), trials };
    });
  }

  async setExperimentStatus(experimentId: number, status: ExperimentStatus): Promise<Experiment> {
    this.open();
    checkStatus(status);
    const experiment = this.experiment(experimentId);
    const updated = { ...experiment, status, updatedAt: this.now() };
    this.experiments.set(experimentId, updated);
    return copy(updated);
  }

  async createTrial(experimentId: number, input: NewTrial): Promise<Trial> {
    this.open();
    checkNewTrial(input);
    this.experiment(experimentId);
    const numbered = this.numbered.get(experimentId) ?? new Map<number, TrialEntry>();
    if (numbered.has(input.number)) throw duplicateTrial(experimentId, input.number);
    const trial = runningTrial(++this.ids.trial, input, this.now());
    const entry = { experimentId, trial, epochs: new Map(), diagnostics: new Map() };
    this.trials.set(trial.id, entry);
    this.numbered.set(experimentId, numbered.set(input.number, entry));
    return copy(trial);
  }

  async getTrial(trialId: number): Promise<Trial | undefined> {
    this.open();
    const entry = this.trials.get(trialId);
    return entry === undefined ? undefined : withEpochs(entry);
  }

  async addEpoch(trialId: number, metrics: EpochMetrics): Promise<void> {
    this.open();
    const entry = this.entry(trialId);
    checkEpoch(entry.trial, metrics);
    if (entry.epochs.has(metrics.epoch)) throw duplicateEpoch(entry.trial, metrics.epoch);
    entry.epochs.set(metrics.epoch, copy(metrics));
  }

  async listEpochs(trialId: number): Promise<readonly EpochMetrics[]> {
    this.open();
    const entry = this.trials.get(trialId);
    return entry === undefined ? [] : sortedEpochs(entry);
  }

  async addDiagnostics(trialId: number, record: DiagnosticEpoch): Promise<void> {
    this.open();
    const entry = this.entry(trialId);
    checkEpoch(entry.trial, record);
    if (entry.diagnostics.has(record.epoch)) throw duplicateDiagnostics(entry.trial, record.epoch);
    entry.diagnostics.set(record.epoch, copy(record));
  }

  async listDiagnostics(trialId: number): Promise<readonly DiagnosticEpoch[]> {
    this.open();
    const entry = this.trials.get(trialId);
    return entry === undefined
      ? []
      : [...entry.diagnostics.values()].sort((a, b) => a.epoch - b.epoch).map((d) => copy(d));
  }

  async finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    this.open();
    const entry = this.entry(trialId);
    checkFinish(entry.trial, result);
    const finished = finishedTrial(entry.trial, result, this.now());
    if (finished.outcome !== undefined) {
      entry.epochs = new Map(finished.outcome.epochs.map((m) => [m.epoch, m]));
      entry.trial = { ...finished, outcome: { ...finished.outcome, epochs: [] } };
    } else {
      entry.trial = finished;
    }
    return copy(finished);
  }

  async listTrials(experimentId: number, filter: { readonly state?: TrialState } = {}): Promise<readonly Trial[]> {
    this.open();
    return this.entries(experimentId)
      .filter((e) => filter.state === undefined || e.trial.state === filter.state)
      .sort((a, b) => a.trial.number - b.trial.number)
      .map(withEpochs);
  }

  async markInterrupted(experimentId: number): Promise<readonly Trial[]> {
    this.open();
    this.experiment(experimentId);
    const t = this.now();
    const running = this.entries(experimentId)
      .filter((e) => e.trial.state === 'RUNNING')
      .sort((a, b) => a.trial.number - b.trial.number);
    for (const entry of running) entry.trial = finishedTrial(entry.trial, INTERRUPTED, t);
    return running.map((e) => copy(e.trial));
  }

  async saveStrategyState(experimentId: number, afterTrial: number, state: Json): Promise<void> {
    this.open();
    this.experiment(experimentId);
    this.snapshots.set(experimentId, { afterTrial, state: copy(state), savedAt: this.now() });
  }

  async latestStrategyState(experimentId: number): Promise<StrategySnapshot | undefined> {
    this.open();
    const snapshot = this.snapshots.get(experimentId);
    return snapshot === undefined ? undefined : copy(snapshot);
  }

  async appendEvent(experimentId: number, event: NewEvent): Promise<StoredEvent> {
    this.open();
    this.experiment(experimentId);
    const stored = { id: ++this.ids.event, type: event.type, payload: copy(event.payload), at: this.now() };
    this.events.push({ ...stored, experimentId });
    return copy(stored);
  }

  async listEvents(
    experimentId: number,
    filter: { readonly type?: string; readonly afterId?: number } = {},
  ): Promise<readonly StoredEvent[]> {
    this.open();
    return this.events
      .filter(
        (e) =>
          e.experimentId === experimentId &&
          (filter.type === undefined || e.type === filter.type) &&
          e.id > (filter.afterId ?? 0),
      )
      .map(({ id, type, payload, at }) => copy({ id, type, payload, at }));
  }

  async acquireLease(
    experimentId: number,
    claimant: LeaseClaimant,
    options: { readonly staleAfterMs: number },
  ): Promise<LeaseClaim> {
    this.open();
    checkClaim(claimant, options.staleAfterMs);
    const now = this.now();
    this.experiment(experimentId);
    const holder = this.leases.get(experimentId);
    const why = holder === undefined ? undefined : staleReason(holder, claimant, now, options.staleAfterMs);
    if (holder !== undefined && why === undefined) return { acquired: false, holder: copy(holder), checkedAt: now };
    const lease = takenLease(claimant, now);
    this.leases.set(experimentId, lease);
    return acquiredClaim(copy(lease), holder, why);
  }

  async renewLease(experimentId: number, token: string): Promise<boolean> {
    this.open();
    const now = this.now();
    const lease = this.leases.get(experimentId);
    if (lease?.token !== token) return false;
    this.leases.set(experimentId, { ...lease, heartbeatAt: now });
    return true;
  }

  async releaseLease(experimentId: number, token: string): Promise<boolean> {
    this.open();
    return this.leases.get(experimentId)?.token === token && this.leases.delete(experimentId);
  }

  async readLease(experimentId: number): Promise<ExperimentLease | undefined> {
    this.open();
    const lease = this.leases.get(experimentId);
    return lease === undefined ? undefined : copy(lease);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new StorageMisuseError('CLOSED', 'the storage of memory is closed');
  }

  private experiment(id: number): Experiment {
    const experiment = this.experiments.get(id);
    if (experiment === undefined) throw unknownExperiment(id);
    return experiment;
  }

  private entry(trialId: number): TrialEntry {
    const entry = this.trials.get(trialId);
    if (entry === undefined) throw unknownTrial(trialId);
    return entry;
  }

  private entries(experimentId: number): TrialEntry[] {
    return [...(this.numbered.get(experimentId)?.values() ?? [])];
  }
}

function sortedEpochs(entry: TrialEntry): EpochMetrics[] {
  return [...entry.epochs.values()].sort((a, b) => a.epoch - b.epoch).map((m) => copy(m));
}

function withEpochs(entry: TrialEntry): Trial {
  const trial = copy(entry.trial);
  return trial.outcome === undefined ? trial : { ...trial, outcome: { ...trial.outcome, epochs: sortedEpochs(entry) } };
}
