import { parentPort, workerData } from 'node:worker_threads';

const { dataset, index } = workerData;
const { images, labels } = dataset.train;
const seen = { firstPixel: images[0], label: labels[index], shared: images.buffer instanceof SharedArrayBuffer };
images[1] = 42;
labels[index] = 7;
Atomics.store(new Int32Array(index.buffer), 0, 99);
parentPort.postMessage(seen);
