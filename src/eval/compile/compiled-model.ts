/**
 * A compiled network loaded into one native TensorFlow session (tfjs-node's SavedModel loader):
 * a training step, an evaluation batch or a prediction is one native call. The variables live in
 * the session; `readAll`/`assignAll` move them in and out as tensors.
 */
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import type { TFSavedModel } from '@tensorflow/tfjs-node/dist/saved_model.js';
import { loadTf } from '../../backend/tf.js';
import type { CheckFigures } from '../train/diagnostics.js';
import type { HistogramValues } from '../train/engines.js';
import { arrayNamed } from '../train/train-state.js';
import type { NamedArray } from '../checkpoint-file.js';
import type { CompiledGraph, DiagnoseInfo } from './compile.js';
import { removeSavedModel, writeSavedModel } from './saved-model.js';
import type { VariableSpec } from './variables.js';

export class CompiledModel {
  private disposed = false;

  private constructor(
    private readonly signatures: ReadonlyMap<string, TFSavedModel>,
    readonly variables: readonly VariableSpec[],
    private readonly needsSeed: boolean,
    /** With a `train_qat` signature: each quantized activation's range variable, by its id in the prepared network. */
    readonly qatRanges: ReadonlyMap<string, string>,
    private readonly diagnoseInfo: DiagnoseInfo | undefined,
  ) {}

  /** Loads a compiled graph (the SavedModel goes through a temporary folder, removed once loaded). */
  static async load(graph: Omit<CompiledGraph, 'nodes'>): Promise<CompiledModel> {
    const tf = loadTf();
    const dir = await writeSavedModel(graph.bytes);
    try {
      const loaded = new Map<string, TFSavedModel>();
      try {
        for (const name of graph.signatures) loaded.set(name, await tf.node.loadSavedModel(dir, ['serve'], name));
      } catch (error) {
        for (const model of loaded.values()) model.dispose();
        throw error;
      }
      return new CompiledModel(loaded, graph.variables, graph.needsSeed, graph.qatRanges ?? new Map(), graph.diagnose);
    } finally {
      await removeSavedModel(dir);
    }
  }

  /**
   * One training step at learning rate `lr`: [mean loss, correct count] of the batch, read back;
   * `quantizationAware` runs the fake-quantized step (`train_qat`) instead.
   */
  train(
    x: Tensor4D,
    labels: Tensor1D,
    lr: number,
    seed: readonly [number, number] = [0, 0],
    quantizationAware = false,
  ): Float32Array {
    const tf = loadTf();
    const rate = tf.scalar(lr);
    const seedTensor = this.needsSeed ? tf.tensor1d([...seed], 'int32') : undefined;
    try {
      return this.stats(quantizationAware ? 'train_qat' : 'train', {
        x,
        labels,
        lr: rate,
        ...(seedTensor === undefined ? {} : { seed: seedTensor }),
      });
    } finally {
      tf.dispose([rate, ...(seedTensor === undefined ? [] : [seedTensor])]);
    }
  }

  /** With diagnostics: the trainable weights `diagnose` measures, in the order of its figures. */
  get diagnosedParams(): readonly string[] | undefined {
    return this.diagnoseInfo?.params;
  }

  /**
   * The figures of a diagnostics check (diagnose.ts): on the step's batch and seed, each weight's ‖g‖²
   * and ‖w‖² (and the gradients' values when `values.gradients`, if compiled with histograms); on the
   * probe batch, the probes' figures (and their outputs when `values.activations`, likewise). Changes
   * nothing in the session.
   */
  diagnose(
    x: Tensor4D,
    labels: Tensor1D,
    seed: readonly [number, number],
    probe: Tensor4D | undefined,
    values: HistogramValues,
  ): CheckFigures {
    const info = this.diagnoseInfo;
    if (info === undefined) throw new Error('the compiled model was compiled without diagnostics');
    if (!this.signatures.has('diagnose')) return {};
    const tf = loadTf();
    const seedTensor = tf.tensor1d([...seed], 'int32');
    const given: Record<string, Tensor | undefined> = { x, labels, seed: seedTensor, probe };
    const inputs = Object.fromEntries(info.inputs.map((name) => [name, given[name] as Tensor]));
    if (info.inputs.includes('probe') && probe === undefined) throw new Error('bug: diagnose needs the probe batch');
    let out: Record<string, Tensor> = {};
    try {
      out = this.run('diagnose', inputs) as Record<string, Tensor>;
      const norms = out.norms?.dataSync() as Float32Array | undefined;
      const n = info.params.length;
      return {
        ...(norms === undefined ? {} : { squaredGrads: norms.slice(0, n), squaredWeights: norms.slice(n) }),
        ...(out.activations === undefined ? {} : { activations: out.activations.dataSync() as Float32Array }),
        ...(values.gradients && info.gradientValues
          ? { gradientValues: info.params.map((_, i) => (out[`g${i}`] as Tensor).dataSync() as Float32Array) }
          : {}),
        ...(values.activations && info.activationValues > 0
          ? {
              activationValues: Array.from(
                { length: info.activationValues },
                (_, i) => (out[`a${i}`] as Tensor).dataSync() as Float32Array,
              ),
            }
          : {}),
      };
    } finally {
      tf.dispose([seedTensor, ...Object.values(out)]);
    }
  }

  /** The current values of `diagnosedParams`, in order. */
  diagnosedValues(): Float32Array[] {
    const params = this.diagnoseInfo?.params ?? [];
    const values = this.readAll();
    try {
      const byName = new Map(this.variables.map((v, i) => [v.name, values[i] as Tensor]));
      return params.map((name) => byName.get(name)?.dataSync() as Float32Array);
    } finally {
      loadTf().dispose(values);
    }
  }

  /** [mean loss, correct count] of a batch in inference mode. */
  evaluate(x: Tensor4D, labels: Tensor1D): Float32Array {
    return this.stats('evaluate', { x, labels });
  }

  /** The logits of a batch in inference mode (the caller disposes them). */
  predict(x: Tensor4D): Tensor {
    return (this.run('predict', { x }) as Record<string, Tensor>).logits as Tensor;
  }

  /** Every variable's value, in `variables` order (the caller disposes them). */
  readAll(): Tensor[] {
    const out = this.run('read', {}) as Record<string, Tensor>;
    return this.variables.map((_, i) => out[`v${i}`] as Tensor);
  }

  /** Sets every variable, in `variables` order. */
  assignAll(values: readonly Tensor[]): void {
    const inputs = Object.fromEntries(values.map((t, i) => [`v${i}`, t]));
    loadTf().dispose(this.run('assign', inputs) as Record<string, Tensor>);
  }

  /** Every variable's value as a named array (weights, BatchNorm statistics, optimizer slots, QAT ranges). */
  readArrays(): NamedArray[] {
    const values = this.readAll();
    try {
      return this.variables.map((v, i) => ({
        name: v.name,
        shape: v.shape,
        data: Float32Array.from((values[i] as Tensor).dataSync() as Float32Array),
      }));
    } finally {
      loadTf().dispose(values);
    }
  }

  /** Sets every variable from `arrays` by name; one missing, or of another shape, is an error. */
  writeArrays(arrays: ReadonlyMap<string, NamedArray>): void {
    const tf = loadTf();
    const values = this.variables.map((v) => tf.tensor(arrayNamed(arrays, v.name, v.shape).data, [...v.shape]));
    try {
      this.assignAll(values);
    } finally {
      tf.dispose(values);
    }
  }

  /** Every output of a signature by its key (the caller disposes them). */
  outputs(name: string, inputs: Record<string, Tensor>): Record<string, Tensor> {
    return this.run(name, inputs) as Record<string, Tensor>;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const model of this.signatures.values()) model.dispose();
  }

  /** Runs a signature whose one output is `stats` (a small vector) and reads it back. */
  stats(name: string, inputs: Record<string, Tensor>): Float32Array {
    const out = this.run(name, inputs) as Record<string, Tensor>;
    const stats = out.stats as Tensor;
    try {
      return stats.dataSync() as Float32Array;
    } finally {
      stats.dispose();
    }
  }

  private run(name: string, inputs: Record<string, Tensor>) {
    const signature = this.signatures.get(name);
    if (this.disposed || signature === undefined)
      throw new Error(
        this.disposed ? 'the compiled model was disposed' : `the compiled model has no signature "${name}"`,
      );
    const tf = loadTf();
    const owned = Object.fromEntries(Object.entries(inputs).map(([key, t]) => [key, nativeCopy(t)]));
    try {
      return signature.predict(owned);
    } finally {
      tf.dispose(Object.values(owned));
    }
  }
}

/**
 * A copy of `t` in TensorFlow's own memory. tfjs-node hands TensorFlow the JavaScript array of a
 * tensor made from JS data without copying it, and frees it through N-API when TensorFlow drops its
 * last reference. A session can drop its reference to an input on one of its worker threads after
 * the call has returned, and N-API called off the JavaScript thread corrupts memory: a test process
 * aborted now and then in a kernel reading a garbage tensor, only under CPU contention. An eager add
 * allocates its output in TensorFlow's allocator (it cannot reuse a buffer it does not own), so the
 * session only ever sees memory it can free from any thread; it costs one copy of each input.
 */
function nativeCopy(t: Tensor): Tensor {
  const tf = loadTf();
  // In a tidy, so the zero scalar is disposed (kept outside, it leaked one tensor per input per call).
  return tf.tidy(() => tf.add(t, tf.scalar(0, t.dtype)));
}
