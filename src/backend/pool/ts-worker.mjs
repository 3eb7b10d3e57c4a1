// Piscina's worker file: registers the TypeScript loader in this worker thread (hooks given to the
// process with --import do not reach worker threads), then runs the module named in workerData.
// Errors come back as values: structured cloning of a thrown Error would drop fields like `reason`.
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

register();
const entry = await import(workerData.entry);
const { PORT_END, serializeError } = await import('./protocol.ts');
const { stopCheck } = await import('./stop.ts');

/** `task`: the payload, the progress port and the stop flags the host shares with this thread (stop.ts). */
export default async function run(task) {
  try {
    const { payload, port, stop } = task;
    return { ok: true, value: await entry.default({ payload, port, throwIfStopped: stopCheck(stop) }) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  } finally {
    // The result travels on Piscina's channel, progress on this port: mark the port's end so the host
    // forwards every progress message before it reports the task done.
    task.port.postMessage(PORT_END);
  }
}
