// What the commands use of the config module: load, validate and resolve a config file; find the storage file.
export { DEFAULT_CONFIG, displayPath, importConfig, loadConfig } from './load.js';
export { ConfigError, type Problem } from './problems.js';
export { DEFAULT_STORAGE, type Overrides } from './resolve.js';
export { STORAGE_OPTION, displayStorage, storagePath } from './storage-path.js';
export { checkDataAvailable } from './preflight.js';
