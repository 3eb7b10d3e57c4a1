import { MemoryStorage } from '../../../src/backend/storage/index.js';
import { describeStorageContract } from './contract.js';

describeStorageContract('MemoryStorage', async (now) => new MemoryStorage(now));
