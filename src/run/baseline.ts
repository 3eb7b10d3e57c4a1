import { loadDataset } from '../backend/data/index.js';
import { fitBaseline, type BaselineOptions, type BaselineResult } from '../eval/fit-baseline.js';

export type { BaselineResult } from '../eval/fit-baseline.js';

/** Loads a registered data set and trains the baseline CNN on it. */
export async function runBaseline(dataset: string, options: BaselineOptions): Promise<BaselineResult> {
  const data = await loadDataset(dataset);
  return fitBaseline(data, options);
}
