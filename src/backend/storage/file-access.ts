// What the storage file's disk allows, checked before SQLite opens it. SQLite opens a write-protected
// file read-only without a word, and a WAL database cannot even be read where its -shm file cannot
// be made (a read-only disk), so both cases are settled here.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { diskRefusal } from './disk-refusal.js';

const WRITE_HINT =
  'a search writes the storage file (and its -wal and -shm files) and saves models beside it: keep it on a writable disk (copy it there and pass the copy with --storage), or make it writable; `nas ls`, `nas show` and `nas report` read it where it is';

/**
 * For a read-write open: makes the file's folder and checks that the folder (for the -wal and -shm
 * files, and a new file) and the file can be written. A read-only disk or folder is a
 * `StorageError` (READ_ONLY) naming the file, before anything is written.
 */
export function ensureWritable(file: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    accessSync(path.dirname(file), constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
  } catch (error) {
    throw diskRefusal(`cannot write ${file}`, error, WRITE_HINT) ?? error;
  }
}

/**
 * For a read-only open: whether the file must be opened as immutable. That is when its -shm file is
 * missing and cannot be made (the folder is not writable) and there is no -wal file, so the database
 * file holds every commit and nobody can be writing it.
 */
export function readsAsImmutable(file: string): boolean {
  if (existsSync(`${file}-wal`) || existsSync(`${file}-shm`)) return false;
  try {
    accessSync(path.dirname(file), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}
