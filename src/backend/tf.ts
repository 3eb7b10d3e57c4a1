import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { NativeBackendError } from '../core/errors.js';

type Tf = typeof import('@tensorflow/tfjs-node');

/** TensorFlow thread-pool sizes for one process that runs `workers` training threads at once. */
export type ThreadPlan = { readonly intraOp: number; readonly interOp: number };

/**
 * Splits the machine's cores between concurrent workers so that N workers on C cores do not
 * oversubscribe: each worker's TensorFlow gets floor(C / N) intra-op threads (at least one), and the
 * process C inter-op threads. A compiled graph runs independent ops (an NB201 cell's edges) at once
 * on the inter-op pool, which all sessions of the process share: with one inter-op thread a compiled
 * quick-start trial trained 22% slower, and two workers' sessions could not run at the same time.
 * (Eager tfjs runs one op at a time, inside the intra-op pool.)
 */
export function planThreads(workers: number, cores = availableParallelism()): ThreadPlan {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  }
  return { intraOp: Math.max(1, Math.floor(cores / workers)), interOp: Math.max(1, cores) };
}

const THREAD_ENV = { intraOp: 'TF_NUM_INTRAOP_THREADS', interOp: 'TF_NUM_INTEROP_THREADS' } as const;

/**
 * Sets TensorFlow's thread-pool sizes for this process. TensorFlow reads them from the process
 * environment when a native context starts, i.e. when tfjs-node is first loaded in a thread, so this
 * must run in the main thread before {@link loadTf} in any thread. Worker threads inherit them.
 */
export function setThreadPlan(plan: ThreadPlan): void {
  if (!isMainThread) throw new Error('setThreadPlan() must be called in the main thread');
  if (loaded !== undefined) throw new Error('setThreadPlan() must be called before loadTf()');
  process.env[THREAD_ENV.intraOp] = String(plan.intraOp);
  process.env[THREAD_ENV.interOp] = String(plan.interOp);
  process.env.OMP_NUM_THREADS = String(plan.intraOp);
}

/** The thread plan TensorFlow in this process will use (from the environment), if one was set. */
export function currentThreadPlan(): ThreadPlan | undefined {
  const intraOp = Number(process.env[THREAD_ENV.intraOp]);
  const interOp = Number(process.env[THREAD_ENV.interOp]);
  return intraOp > 0 && interOp > 0 ? { intraOp, interOp } : undefined;
}

let loaded: Tf | undefined;

/**
 * Loads @tensorflow/tfjs-node (the native TensorFlow backend) in the calling thread, once. The only
 * place in src/ that loads it. Throws {@link NativeBackendError} with the fix when the native addon
 * is missing or the backend is not 'tensorflow'.
 */
export function loadTf(): Tf {
  if (loaded !== undefined) return loaded;
  // TensorFlow's informational start-up lines (CPU features) are noise in a terminal dashboard.
  if (isMainThread) process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const require = createRequire(import.meta.url);
  let tf: Tf;
  try {
    tf = require('@tensorflow/tfjs-node') as Tf;
  } catch (cause) {
    throw new NativeBackendError(
      `the native TensorFlow backend (@tensorflow/tfjs-node) could not be loaded: ${(cause as Error).message.split('\n')[0]}`,
      'run `npm run setup-native` in the project folder; it builds the addon and says what is missing',
      { cause },
    );
  }
  if (tf.getBackend() !== 'tensorflow') {
    throw new NativeBackendError(
      `expected the 'tensorflow' backend, got '${tf.getBackend()}'`,
      'make sure nothing selects another tfjs backend (tf.setBackend) before nas loads',
    );
  }
  loaded = tf;
  return tf;
}

/**
 * The protobuf classes of TensorFlow's SavedModel format that tfjs-node ships (SavedModel, GraphDef,
 * NodeDef, AttrValue, SignatureDef, …): the compiled training path writes its graphs with them.
 */
export function savedModelProto(): SavedModelProto {
  return createRequire(import.meta.url)('@tensorflow/tfjs-node/dist/proto/api_pb.js') as SavedModelProto;
}

/** The subset of the generated protobuf module's API that nas uses (google-protobuf classes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SavedModelProto = Record<string, any> & { DataType: Record<string, number> };
export { bf16Unsupported } from './bf16.js';
