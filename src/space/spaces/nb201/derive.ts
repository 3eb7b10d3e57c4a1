/**
 * The cell that relaxation weights point to: the `genotype()` of NAS-Bench-201's DARTS search model
 * (Dong & Yang 2020, `search_model_darts.py`): per edge, the op of largest weight, `none` included.
 */
import type { RelaxationWeights } from '../../search-space.js';
import { EDGES, NB201_OPS, fromIndices, type Nb201Sample } from './conversions.js';

/** The one cell of the relaxation (`Nb201Space.relaxation()`). */
const CELL = 'cell';

/**
 * Per edge (row e is `EDGES[e]`, columns are {@link NB201_OPS}) the argmax op, the first on ties.
 * Throws a RangeError naming the cell on weights of the wrong shape or a non-finite weight.
 */
export function deriveCell(weights: RelaxationWeights): Nb201Sample {
  return fromIndices(checkedRows(weights).map(argmax));
}

/** The index of the largest value; the first on ties. */
function argmax(row: readonly number[]): number {
  let best = 0;
  row.forEach((w, i) => {
    if (w > (row[best] as number)) best = i;
  });
  return best;
}

/** The rows of the one cell, after checking the cell name, the row count, each row's length and that every weight is finite. */
function checkedRows(weights: RelaxationWeights): readonly (readonly number[])[] {
  const unknown = Object.keys(weights).filter((key) => key !== CELL);
  if (unknown.length > 0)
    throw new RangeError(
      `nb201 derive: unknown cell(s) ${unknown.map((u) => `"${u}"`).join(', ')} in the weights; expected "${CELL}"`,
    );
  const rows: unknown = weights[CELL];
  if (!Array.isArray(rows) || rows.length !== EDGES.length) {
    const got = Array.isArray(rows) ? rows.length : rows === undefined ? 'nothing' : JSON.stringify(rows);
    throw new RangeError(
      `nb201 derive: cell "${CELL}": expected ${EDGES.length} rows of weights (one per edge), got ${got}`,
    );
  }
  rows.forEach((row: unknown, e) => {
    if (!Array.isArray(row) || row.length !== NB201_OPS.length) {
      const got = Array.isArray(row) ? row.length : JSON.stringify(row);
      throw new RangeError(
        `nb201 derive: cell "${CELL}" row ${e}: expected ${NB201_OPS.length} weights (one per op: ${NB201_OPS.join(', ')}), got ${got}`,
      );
    }
    const bad = row.findIndex((w: unknown) => typeof w !== 'number' || !Number.isFinite(w));
    if (bad >= 0)
      throw new RangeError(
        `nb201 derive: cell "${CELL}" row ${e} column ${bad}: expected a finite number, got ${String(row[bad])}`,
      );
  });
  return rows as readonly (readonly number[])[];
}
