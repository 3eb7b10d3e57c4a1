// A search's TensorBoard runs (docs/tensorboard.md): one event file per trial, written on the
// driver's side from the progress events it emits, so the workers write nothing but their results.
import path from 'node:path';
import type { DiagnosticHistogram } from '../core/diagnostics.js';
import type { RunEvent, TrialProgress } from '../core/events.js';
import type { DiagnosticEpoch } from '../core/trial-diagnostics.js';
import type { EpochMetrics } from '../core/trial.js';
import { EventFileWriter } from '../backend/tensorboard/index.js';
import type { ExperimentConfig } from './config.js';
import { experimentDir } from './model-store.js';

/** The folder of an experiment's TensorBoard runs, inside its folder (src/run/model-store.ts's `experimentDir`). */
export function tensorBoardDir(experimentDir: string): string {
  return path.join(experimentDir, 'tensorboard');
}

/** The figures of an activation probe written as scalars, by their tag's last part. */
const PROBE_FIGURES = {
  mean: 'mean',
  std: 'std',
  zeroFraction: 'zero_fraction',
  deadFraction: 'dead_fraction',
  channelMeanAbs: 'channel_mean_abs',
  channelStd: 'channel_std',
} as const;

/** A histogram's tag prefix by its kind: `<prefix>/<layer>`. */
const HISTOGRAM_TAGS: Record<DiagnosticHistogram['kind'], string> = {
  weight: 'weights',
  gradient: 'gradients',
  activation: 'activations',
};

/**
 * Writes `<dir>/trial-<number>/events.out.tfevents.*` for every trial that reports epochs or
 * diagnostics, fed with the driver's events ({@link observe}): each epoch's scalars at step = epoch,
 * each check's gradient norms and probe figures at step = its training step, each epoch's weight,
 * gradient and activation histograms at step = epoch. A trial's file is flushed after each epoch and closed when the
 * trial finishes. A file that cannot be written never fails a trial: that trial's run stops there,
 * and `warn` is called once for the whole search.
 */
export class TensorBoardRuns {
  private readonly writers = new Map<number, EventFileWriter>();
  /** Trials whose run stopped on a write failure (no second file is opened for them). */
  private readonly broken = new Set<number>();
  private warned = false;

  constructor(
    private readonly dir: string,
    private readonly warn: (trial: { readonly id: number; readonly number: number }, message: string) => void,
  ) {}

  observe(event: RunEvent): void {
    if (event.type === 'trial-progress') this.progress(event.trialId, event.number, event.progress);
    if (event.type === 'trial-finished')
      this.guard(event.trial.id, event.trial.number, () => this.closeRun(event.trial.id));
  }

  /** Closes every run still open (a search that ended with trials running). */
  close(): void {
    for (const [id, writer] of this.writers) this.guard(id, undefined, () => writer.close());
    this.writers.clear();
  }

  private progress(id: number, number: number, progress: TrialProgress): void {
    if (progress.kind !== 'epoch' && progress.kind !== 'diagnostics') return;
    this.guard(id, number, () => {
      const writer = this.writerOf(id, number);
      if (progress.kind === 'diagnostics') return writeDiagnostics(writer, progress.record);
      writeEpoch(writer, progress.metrics);
      writer.flush();
    });
  }

  private writerOf(id: number, number: number): EventFileWriter {
    let writer = this.writers.get(id);
    if (writer === undefined)
      this.writers.set(id, (writer = EventFileWriter.open(path.join(this.dir, `trial-${number}`))));
    return writer;
  }

  private closeRun(id: number): void {
    const writer = this.writers.get(id);
    this.writers.delete(id);
    writer?.close();
  }

  /** Runs a write of trial `id`'s run unless it broke; a failure ends that run and is told once. */
  private guard(id: number, number: number | undefined, write: () => void): void {
    if (this.broken.has(id)) return;
    try {
      write();
    } catch (error) {
      this.broken.add(id);
      const writer = this.writers.get(id);
      this.writers.delete(id);
      try {
        writer?.close();
      } catch {
        // the write that failed said why; the file keeps what was flushed before it
      }
      if (this.warned || number === undefined) return;
      this.warned = true;
      const why = error instanceof Error ? error.message : String(error);
      this.warn({ id, number }, `TensorBoard files are not written for this trial: ${why}`);
    }
  }
}

function writeEpoch(writer: EventFileWriter, m: EpochMetrics): void {
  const scalars: [string, number][] = [
    ['loss/train', m.trainLoss],
    ['loss/val', m.validationLoss],
    ['accuracy/train', m.trainAccuracy],
    ['accuracy/val', m.validationAccuracy],
    ['lr', m.learningRate],
  ];
  for (const [tag, value] of scalars) writer.addScalar({ tag, step: m.epoch, value });
}

function writeDiagnostics(writer: EventFileWriter, record: DiagnosticEpoch): void {
  for (const check of record.checks) {
    const step = check.step;
    if (check.globalGradNorm !== undefined)
      writer.addScalar({ tag: 'grad_norm/global', step, value: check.globalGradNorm });
    for (const l of check.layers ?? []) writer.addScalar({ tag: `grad_norm/${l.layer}`, step, value: l.gradNorm });
    for (const probe of check.activations ?? []) {
      for (const [field, name] of Object.entries(PROBE_FIGURES)) {
        const value = probe[field as keyof typeof PROBE_FIGURES];
        if (value !== undefined) writer.addScalar({ tag: `activations/${probe.layer}/${name}`, step, value });
      }
    }
  }
  for (const h of record.histograms) {
    // A diverged weight has no finite range to bin: its histogram is left out, its scalars say why.
    if (!Number.isFinite(h.min) || !Number.isFinite(h.max)) continue;
    const tag = `${HISTOGRAM_TAGS[h.kind]}/${h.layer}`;
    writer.addHistogram({ tag, step: h.epoch, min: h.min, max: h.max, counts: h.counts });
  }
}

/**
 * The driver's `emit` for a search: `emit` itself, also feeding the experiment's TensorBoard runs
 * when the config asks for them (`tensorboard: true`); a write failure is told as a note of the trial.
 */
export function withTensorBoard(
  config: ExperimentConfig,
  emit: (event: RunEvent) => void,
): { emit: (event: RunEvent) => void; close: () => void } {
  if (config.tensorboard !== true) return { emit, close: () => undefined };
  const runs = new TensorBoardRuns(tensorBoardDir(experimentDir(config)), (trial, text) =>
    emit({
      type: 'trial-progress',
      t: Date.now(),
      trialId: trial.id,
      number: trial.number,
      progress: { kind: 'note', text },
    }),
  );
  return {
    emit: (event) => {
      emit(event);
      runs.observe(event);
    },
    close: () => runs.close(),
  };
}
