// The one-shot phase of an experiment (DARTS) from its stored events, as plain rows for the report.
import { isJsonObject, type Json } from '../../core/arch.js';
import type { OneShotEpoch, OneShotStart } from '../../core/events.js';
import type { Storage } from '../../backend/storage/index.js';

/** What the report shows of a one-shot search: how it was relaxed and each finished epoch. */
export interface OneShotReport {
  /** The last `oneshot-started` (a resumed search stores one per start); undefined when none was stored. */
  readonly start: OneShotStart | undefined;
  /** One per epoch, in epoch order (the last stored wins when an epoch was stored twice). */
  readonly epochs: readonly OneShotEpoch[];
}

/** One weight of one op on one edge after one epoch: a data row of the α chart. */
export interface AlphaRow {
  readonly cell: string;
  /** The edge id without its cell's prefix ("node3.from1" of "normal.node3.from1"). */
  readonly edge: string;
  readonly op: string;
  readonly epoch: number;
  readonly weight: number;
}

/** The experiment's one-shot phase read from its stored events; undefined when it has no `oneshot-epoch` event. */
export async function loadOneShot(storage: Storage, experimentId: number): Promise<OneShotReport | undefined> {
  const epochs = oneShotEpochs(
    (await storage.listEvents(experimentId, { type: 'oneshot-epoch' })).map((e) => e.payload),
  );
  if (epochs.length === 0) return undefined;
  const starts = await storage.listEvents(experimentId, { type: 'oneshot-started' });
  const start = starts.at(-1)?.payload;
  return { start: start !== undefined && isOneShotStart(start) ? start : undefined, epochs };
}

/** Stored `oneshot-epoch` payloads as epochs: one per epoch number (the last wins), in epoch order; malformed ones dropped. */
export function oneShotEpochs(payloads: readonly Json[]): OneShotEpoch[] {
  const byEpoch = new Map<number, OneShotEpoch>();
  for (const p of payloads) if (isOneShotEpoch(p)) byEpoch.set(p.epoch, p);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function isOneShotEpoch(p: Json): p is OneShotEpoch {
  return isJsonObject(p) && typeof p.epoch === 'number' && isJsonObject(p.weights);
}

function isOneShotStart(p: Json): p is OneShotStart {
  return isJsonObject(p) && Array.isArray(p.cells);
}

/** The relaxed cells: the start's, else read off the weights (edges "edge i", ops "op j"). */
export function relaxedCells(report: OneShotReport): OneShotStart['cells'] {
  if (report.start !== undefined) return report.start.cells;
  const first = report.epochs[0]?.weights ?? {};
  return Object.entries(first).map(([name, rows]) => ({
    name,
    edges: rows.map((row, i) => ({ id: `edge ${i}`, from: 0, to: 0, ops: row.map((_, j) => `op ${j}`) })),
  }));
}

/** Every weight of every epoch as a row: epochs × edges × ops rows per cell, in epoch, cell, edge, op order. */
export function alphaRows(report: OneShotReport): AlphaRow[] {
  const cells = relaxedCells(report);
  return report.epochs.flatMap((e) =>
    cells.flatMap((cell) =>
      cell.edges.flatMap((edge, i) => {
        const row = e.weights[cell.name]?.[i] ?? [];
        return edge.ops.flatMap((op, j) => {
          const weight = row[j];
          return weight === undefined
            ? []
            : [{ cell: cell.name, edge: edgeLabel(cell.name, edge.id), op, epoch: e.epoch, weight }];
        });
      }),
    ),
  );
}

/** An edge id without its cell's prefix. */
export function edgeLabel(cell: string, id: string): string {
  return id.startsWith(`${cell}.`) ? id.slice(cell.length + 1) : id;
}
