import path from 'node:path';
import { openSqliteStorage } from '../../../src/backend/storage/index.js';
import { describeStorageContract } from './contract.js';
import { tempDir } from './temp.js';

const dir = tempDir();
let files = 0;

describeStorageContract('SQLite file', (now) => openSqliteStorage(path.join(dir, `contract-${files++}.db`), { now }));
