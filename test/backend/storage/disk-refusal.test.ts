import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/backend/storage/index.js';
import {
  diskRefusal,
  isDiskRefusal,
  searchStoppedBy,
  trialRefusal,
} from '../../../src/backend/storage/disk-refusal.js';

const withCode = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('writes the disk refused', () => {
  it('names the file and the cause: disk full for SQLITE_FULL, 53100, ENOSPC and EDQUOT; read-only for SQLITE_READONLY, 25006, EROFS, EACCES and EPERM', () => {
    const cases = [
      ['SQLITE_FULL', 'DISK_FULL', 'disk full'],
      ['53100', 'DISK_FULL', 'disk full'],
      ['ENOSPC', 'DISK_FULL', 'disk full'],
      ['EDQUOT', 'DISK_FULL', 'disk full'],
      ['SQLITE_READONLY', 'READ_ONLY', 'read-only'],
      ['25006', 'READ_ONLY', 'read-only'],
      ['EROFS', 'READ_ONLY', 'read-only'],
      ['EACCES', 'READ_ONLY', 'read-only'],
      ['EPERM', 'READ_ONLY', 'read-only'],
    ] as const;
    for (const [cause, code, text] of cases) {
      const refusal = diskRefusal('cannot write /d/nas.sqlite', withCode(cause));
      expect(refusal).toBeInstanceOf(StorageError);
      expect([refusal?.code, refusal?.message]).toEqual([code, `cannot write /d/nas.sqlite: ${text} (${cause})`]);
      expect(isDiskRefusal(refusal)).toBe(true);
    }
    expect(diskRefusal('/d/nas.sqlite', withCode('SQLITE_BUSY'))).toBeUndefined();
    expect(diskRefusal('/d/nas.sqlite', new Error('no code'))).toBeUndefined();
    expect(isDiskRefusal(new StorageError('STORAGE_OPEN', 'x'))).toBe(false);
    expect(isDiskRefusal(withCode('ENOSPC'))).toBe(false);
    expect(isDiskRefusal(new StorageError('STORAGE_UNREACHABLE', 'cannot reach PostgreSQL at h:5432'))).toBe(true);
  });

  it('turns a trial that failed disk-full or read-only back into the refusal; other reasons are not one', () => {
    expect(
      trialRefusal('disk-full', "cannot save the trial's model in /d/exp/trial-3: disk full (ENOSPC)"),
    ).toMatchObject({
      code: 'DISK_FULL',
      message: "cannot save the trial's model in /d/exp/trial-3: disk full (ENOSPC)",
    });
    expect(trialRefusal('read-only', 'm')?.code).toBe('READ_ONLY');
    expect(trialRefusal('diverged', 'm')).toBeUndefined();
    expect(trialRefusal(undefined, 'm')).toBeUndefined();
  });

  it('says that a search it stopped keeps its trials and how to resume it', () => {
    const stopped = searchStoppedBy(diskRefusal('cannot write /d/nas.sqlite', withCode('SQLITE_FULL')) as never, 'nb');
    expect(stopped.message).toBe(
      'cannot write /d/nas.sqlite: disk full (SQLITE_FULL); the search stopped, and every trial recorded before is kept',
    );
    expect(stopped.hint).toBe('free space on that disk, then continue with `nas resume nb`');
    expect(isDiskRefusal(stopped)).toBe(true);
  });
});
