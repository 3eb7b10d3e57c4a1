import { existsSync } from 'node:fs';
import { DatasetError, UserError } from '../../core/errors.js';
import { findDataset } from '../../backend/data/index.js';
import type { ExperimentConfig } from '../../run/config.js';

/**
 * Checks, before a search touches storage, that the files a resolved config points at exist: the
 * data set's path options (CIFAR-10's directory) and the benchmark table. `file` names the config
 * in the hint. Throws a {@link DatasetError} or {@link UserError} that says what to set.
 */
export function checkDataAvailable(config: ExperimentConfig, file: string): void {
  const entry = findDataset(config.dataset.name);
  for (const [key, spec] of Object.entries(entry.options)) {
    const value = config.dataset.options[key];
    if (spec.type !== 'path' || typeof value !== 'string' || existsSync(value)) continue;
    throw new DatasetError(
      `data set "${entry.name}": ${key} ${value} does not exist`,
      `set dataset.options.${key} in ${file} to ${spec.description}${entry.name === 'cifar10' ? ' (the binary version, cifar-10-binary.tar.gz, extracted)' : ''}`,
    );
  }
  const table = config.benchmark?.table;
  if (table !== undefined && !existsSync(table)) {
    throw new UserError(
      'TABLE',
      `the benchmark table ${table} does not exist`,
      `set benchmark.table in ${file} to your copy of the table (CSV with columns index,arch,<metrics>)`,
    );
  }
}
