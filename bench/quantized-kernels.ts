// TensorFlow's own quantized convolution kernels against the float graph and the simulated
// full-integer graph (FakeQuant around float kernels, src/eval/compile/quantized.ts), on chains of
// 3×3 conv + bias + ReLU layers, at batch 1 and 32. Answers whether the quantized graph should run
// on TensorFlow's int8 kernels where they exist (docs/inference.md, "Quantization").
//
//   npx tsx bench/quantized-kernels.ts            # 30 timed runs per figure
//   npx tsx bench/quantized-kernels.ts --quick    # 5
//
// Forms (each from a float placeholder to a float output, one SavedModel per form):
//   float      Conv2D → BiasAdd → Relu per layer (Grappler fuses them into one oneDNN kernel)
//   simulated  FakeQuant(input), then per layer Conv2D (int8 weights dequantized, constant-folded) →
//              BiasAdd → Relu → FakeQuant: what the full-integer form runs
//   legacy     per layer QuantizeV2 → QuantizedConv2D (quint8 × quint8 → qint32, per-tensor weights)
//              → Requantize → Dequantize → BiasAdd → Relu: TensorFlow's original quantized kernels
//   onednn     QuantizeV2 once → per layer QuantizedConv2DWithBiasAndReluAndRequantize (quint8
//              input, qint8 per-channel weights, float bias, quint8 output) → Dequantize once:
//              the oneDNN int8 kernel, registered in the stock Linux x86 builds
// Activation ranges are the float network's own on the same input (calibration on the batch), and
// the error is the largest |output − float output| over the largest |float output|.
// The SavedModels are written here with their own small GraphDef writer, since the compiler's
// (src/eval/compile/saved-model.ts) knows no quantized dtypes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf, savedModelProto } from '../src/backend/tf.js';
import { Rng } from '../src/core/rng.js';
import { timeMedian } from '../src/eval/latency.js';
import { dequantizePerChannel, quantizePerChannel } from '../src/eval/quantize/index.js';

const tf = loadTf();
const pb = savedModelProto();
const REPEATS = process.argv.includes('--quick') ? 5 : 30;
const out = (s: string) => void process.stdout.write(`${s}\n`);

// ---- a minimal GraphDef / SavedModel writer with quantized dtypes ----
type DT = 'float32' | 'int32' | 'quint8' | 'qint8' | 'qint32';
type AttrV =
  | { type: DT }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { s: string }
  | { shape: number[] }
  | { ints: number[] }
  | { tensor: { dtype: DT; shape: number[]; data: ArrayBufferView } };
type NodeSpec = { name: string; op: string; inputs: string[]; attrs: Record<string, AttrV> };
const DTYPES: Record<DT, string> = {
  float32: 'DT_FLOAT',
  int32: 'DT_INT32',
  quint8: 'DT_QUINT8',
  qint8: 'DT_QINT8',
  qint32: 'DT_QINT32',
};

function shapeProto(dims: readonly number[]) {
  const s = new pb.TensorShape();
  for (const d of dims) {
    const dim = new pb.TensorShape.Dim();
    dim.setSize(d);
    s.addDim(dim);
  }
  return s;
}

function attrProto(v: AttrV) {
  const a = new pb.AttrValue();
  if ('type' in v) a.setType(pb.DataType[DTYPES[v.type]]);
  else if ('i' in v) a.setI(v.i);
  else if ('f' in v) a.setF(v.f);
  else if ('b' in v) a.setB(v.b);
  else if ('s' in v) a.setS(new TextEncoder().encode(v.s));
  else if ('shape' in v) a.setShape(shapeProto(v.shape));
  else if ('ints' in v) {
    const list = new pb.AttrValue.ListValue();
    list.setIList(v.ints);
    a.setList(list);
  } else {
    const t = new pb.Tensor();
    t.setDtype(pb.DataType[DTYPES[v.tensor.dtype]]);
    t.setTensorShape(shapeProto(v.tensor.shape));
    t.setTensorContent(new Uint8Array(v.tensor.data.buffer, v.tensor.data.byteOffset, v.tensor.data.byteLength));
    a.setTensor(t);
  }
  return a;
}

/** Writes a SavedModel with one signature `run`: x → y. Returns its folder. */
function savedModel(nodes: readonly NodeSpec[], x: string, y: string, shape: readonly number[]): string {
  const graph = new pb.GraphDef();
  const versions = new pb.VersionDef();
  versions.setProducer(1700);
  graph.setVersions(versions);
  for (const n of nodes) {
    const def = new pb.NodeDef();
    def.setName(n.name);
    def.setOp(n.op);
    n.inputs.forEach((i) => def.addInput(i));
    const attrs = def.getAttrMap();
    for (const [k, v] of Object.entries(n.attrs)) attrs.set(k, attrProto(v));
    graph.addNode(def);
  }
  const meta = new pb.MetaGraphDef();
  const info = new pb.MetaGraphDef.MetaInfoDef();
  info.setTagsList(['serve']);
  meta.setMetaInfoDef(info);
  meta.setGraphDef(graph);
  const tensorInfo = (name: string, dims: readonly number[]) => {
    const t = new pb.TensorInfo();
    t.setName(name);
    t.setDtype(pb.DataType.DT_FLOAT);
    t.setTensorShape(shapeProto(dims));
    return t;
  };
  const sig = new pb.SignatureDef();
  sig.setMethodName('tensorflow/serving/predict');
  sig.getInputsMap().set('x', tensorInfo(`${x}:0`, shape));
  sig.getOutputsMap().set('y', tensorInfo(y, []));
  meta.getSignatureDefMap().set('run', sig);
  const model = new pb.SavedModel();
  model.setSavedModelSchemaVersion(1);
  model.addMetaGraphs(meta);
  const dir = mkdtempSync(join(tmpdir(), 'nas-qbench-'));
  writeFileSync(join(dir, 'saved_model.pb'), model.serializeBinary() as Uint8Array);
  return dir;
}

// ---- the network: L layers of 3×3 conv (C → C) + bias + ReLU ----
type Layer = { kernel: Float32Array; bias: Float32Array; outMax: number };
type Net = { h: number; c: number; layers: Layer[]; inMax: number };

const f32 = (values: Float32Array, shape: number[], name: string): NodeSpec => ({
  name,
  op: 'Const',
  inputs: [],
  attrs: { dtype: { type: 'float32' }, value: { tensor: { dtype: 'float32', shape, data: values } } },
});
const scalar = (v: number, name: string) => f32(Float32Array.of(v), [], name);
const conv: Record<string, AttrV> = {
  strides: { ints: [1, 1, 1, 1] },
  padding: { s: 'SAME' },
  dilations: { ints: [1, 1, 1, 1] },
};
const T: Record<string, AttrV> = { T: { type: 'float32' } };

function floatForm(net: Net, simulated: boolean): NodeSpec[] {
  const nodes: NodeSpec[] = [
    {
      name: 'x',
      op: 'Placeholder',
      inputs: [],
      attrs: { dtype: { type: 'float32' }, shape: { shape: [-1, net.h, net.h, net.c] } },
    },
  ];
  const fq = (input: string, max: number, name: string): string => {
    nodes.push({
      name,
      op: 'FakeQuantWithMinMaxArgs',
      inputs: [input],
      attrs: { min: { f: 0 }, max: { f: max }, num_bits: { i: 8 }, narrow_range: { b: false } },
    });
    return name;
  };
  let cur = simulated ? fq('x', net.inMax, 'xq') : 'x';
  net.layers.forEach((l, i) => {
    const kernel = simulated ? dequantizePerChannel(quantizePerChannel(l.kernel, [3, 3, net.c, net.c])) : l.kernel;
    nodes.push(f32(kernel, [3, 3, net.c, net.c], `k${i}`), f32(l.bias, [net.c], `b${i}`));
    nodes.push({
      name: `conv${i}`,
      op: 'Conv2D',
      inputs: [cur, `k${i}`],
      attrs: {
        ...T,
        ...conv,
        data_format: { s: 'NHWC' },
        use_cudnn_on_gpu: { b: true },
        explicit_paddings: { ints: [] },
      },
    });
    nodes.push({
      name: `bias${i}`,
      op: 'BiasAdd',
      inputs: [`conv${i}`, `b${i}`],
      attrs: { ...T, data_format: { s: 'NHWC' } },
    });
    nodes.push({ name: `relu${i}`, op: 'Relu', inputs: [`bias${i}`], attrs: T });
    cur = simulated ? fq(`relu${i}`, l.outMax, `q${i}`) : `relu${i}`;
  });
  nodes.push({ name: 'y', op: 'Identity', inputs: [cur], attrs: T });
  return nodes;
}

function legacyForm(net: Net): NodeSpec[] {
  const nodes: NodeSpec[] = [
    {
      name: 'x',
      op: 'Placeholder',
      inputs: [],
      attrs: { dtype: { type: 'float32' }, shape: { shape: [-1, net.h, net.h, net.c] } },
    },
  ];
  let cur = 'x';
  let inMax = net.inMax;
  net.layers.forEach((l, i) => {
    const maxAbs = l.kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // quint8 over [−maxAbs, maxAbs] (MIN_FIRST mode): per tensor, the only form QuantizedConv2D takes.
    const kq = Uint8Array.from(l.kernel, (v) => Math.round(((v + maxAbs) / (2 * maxAbs)) * 255));
    nodes.push(
      scalar(0, `lo${i}`),
      scalar(inMax, `hi${i}`),
      scalar(-maxAbs, `klo${i}`),
      scalar(maxAbs, `khi${i}`),
      scalar(-2 * l.outMax, `olo${i}`),
      scalar(2 * l.outMax, `ohi${i}`),
    );
    nodes.push({
      name: `kq${i}`,
      op: 'Const',
      inputs: [],
      attrs: {
        dtype: { type: 'quint8' },
        value: { tensor: { dtype: 'quint8', shape: [3, 3, net.c, net.c], data: kq } },
      },
    });
    nodes.push({
      name: `xq${i}`,
      op: 'QuantizeV2',
      inputs: [cur, `lo${i}`, `hi${i}`],
      attrs: { T: { type: 'quint8' }, mode: { s: 'MIN_FIRST' } },
    });
    nodes.push({
      name: `conv${i}`,
      op: 'QuantizedConv2D',
      inputs: [`xq${i}:0`, `kq${i}`, `xq${i}:1`, `xq${i}:2`, `klo${i}`, `khi${i}`],
      attrs: { Tinput: { type: 'quint8' }, Tfilter: { type: 'quint8' }, out_type: { type: 'qint32' }, ...conv },
    });
    nodes.push({
      name: `rq${i}`,
      op: 'Requantize',
      inputs: [`conv${i}:0`, `conv${i}:1`, `conv${i}:2`, `olo${i}`, `ohi${i}`],
      attrs: { Tinput: { type: 'qint32' }, out_type: { type: 'quint8' } },
    });
    nodes.push({
      name: `dq${i}`,
      op: 'Dequantize',
      inputs: [`rq${i}:0`, `rq${i}:1`, `rq${i}:2`],
      attrs: { T: { type: 'quint8' }, mode: { s: 'MIN_FIRST' } },
    });
    nodes.push(f32(l.bias, [net.c], `b${i}`));
    nodes.push({
      name: `bias${i}`,
      op: 'BiasAdd',
      inputs: [`dq${i}`, `b${i}`],
      attrs: { ...T, data_format: { s: 'NHWC' } },
    });
    nodes.push({ name: `relu${i}`, op: 'Relu', inputs: [`bias${i}`], attrs: T });
    cur = `relu${i}`;
    inMax = l.outMax;
  });
  nodes.push({ name: 'y', op: 'Identity', inputs: [cur], attrs: T });
  return nodes;
}

function onednnForm(net: Net): NodeSpec[] {
  const nodes: NodeSpec[] = [
    {
      name: 'x',
      op: 'Placeholder',
      inputs: [],
      attrs: { dtype: { type: 'float32' }, shape: { shape: [-1, net.h, net.h, net.c] } },
    },
  ];
  nodes.push(scalar(0, 'lo'), scalar(net.inMax, 'hi'));
  nodes.push({
    name: 'xq',
    op: 'QuantizeV2',
    inputs: ['x', 'lo', 'hi'],
    attrs: { T: { type: 'quint8' }, mode: { s: 'SCALED' } },
  });
  let cur = ['xq:0', 'xq:1', 'xq:2'];
  net.layers.forEach((l, i) => {
    const { q, scales } = quantizePerChannel(l.kernel, [3, 3, net.c, net.c]);
    const maxAbs = Float32Array.from(scales, (s) => s * 127);
    nodes.push({
      name: `kq${i}`,
      op: 'Const',
      inputs: [],
      attrs: { dtype: { type: 'qint8' }, value: { tensor: { dtype: 'qint8', shape: [3, 3, net.c, net.c], data: q } } },
    });
    nodes.push(
      f32(
        Float32Array.from(maxAbs, (v) => -v),
        [net.c],
        `klo${i}`,
      ),
      f32(maxAbs, [net.c], `khi${i}`),
      f32(l.bias, [net.c], `b${i}`),
      scalar(0, `olo${i}`),
      scalar(l.outMax, `ohi${i}`),
    );
    nodes.push({
      name: `conv${i}`,
      op: 'QuantizedConv2DWithBiasAndReluAndRequantize',
      inputs: [
        cur[0] as string,
        `kq${i}`,
        `b${i}`,
        cur[1] as string,
        cur[2] as string,
        `klo${i}`,
        `khi${i}`,
        `olo${i}`,
        `ohi${i}`,
      ],
      attrs: {
        Tinput: { type: 'quint8' },
        Tfilter: { type: 'qint8' },
        Tbias: { type: 'float32' },
        out_type: { type: 'quint8' },
        ...conv,
        padding_list: { ints: [] },
      },
    });
    cur = [`conv${i}:0`, `conv${i}:1`, `conv${i}:2`];
  });
  nodes.push({ name: 'y', op: 'Dequantize', inputs: cur, attrs: { T: { type: 'quint8' }, mode: { s: 'SCALED' } } });
  return nodes;
}

/** He-initialised layers; each layer's output range is the float network's own on `x`. */
function network(h: number, c: number, depth: number, x: Tensor4D): Net {
  const rng = new Rng(`qbench ${h} ${c} ${depth}`);
  const std = Math.sqrt(2 / (9 * c));
  const layers: Layer[] = [];
  let a: Tensor = x.clone();
  for (let i = 0; i < depth; i++) {
    const kernel = Float32Array.from({ length: 9 * c * c }, () => std * rng.normal());
    const bias = Float32Array.from({ length: c }, () => 0.1 * rng.normal());
    const next = tf.tidy(() =>
      tf.relu(tf.add(tf.conv2d(a as Tensor4D, tf.tensor4d(kernel, [3, 3, c, c]), 1, 'same'), tf.tensor1d(bias))),
    );
    a.dispose();
    a = next;
    layers.push({ kernel, bias, outMax: a.max().dataSync()[0] as number });
  }
  a.dispose();
  return { h, c, layers, inMax: x.max().dataSync()[0] as number };
}

const CASES: [number, number, number][] = [
  [28, 32, 1],
  [28, 32, 4],
  [14, 64, 4],
];
const native = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding.TF_Version;
out(`libtensorflow ${native}; median of ${REPEATS} runs; error = max |y − y_float| / max |y_float|`);
out('layers (H×W×C)         batch  float ms   simulated ms (err)    legacy ms (err)       oneDNN int8 ms (err)');
for (const [h, c, depth] of CASES) {
  for (const batch of [1, 32]) {
    const x = tf.randomUniform([batch, h, h, c], 0, 2, 'float32', 7) as Tensor4D;
    const net = network(h, c, depth, x);
    const forms: [string, NodeSpec[]][] = [
      ['float', floatForm(net, false)],
      ['simulated', floatForm(net, true)],
      ['legacy', legacyForm(net)],
      ['onednn', onednnForm(net)],
    ];
    let reference: Float32Array | undefined;
    const cells: string[] = [];
    for (const [name, nodes] of forms) {
      const dir = savedModel(nodes, 'x', 'y:0', [-1, h, h, c]);
      try {
        const model = await tf.node.loadSavedModel(dir, ['serve'], 'run');
        const run = () => (model.predict({ x }) as Record<string, Tensor>).y as Tensor;
        const y = run();
        const values = y.dataSync() as Float32Array;
        y.dispose();
        reference ??= values;
        const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const error = values.reduce((m, v, i) => Math.max(m, Math.abs(v - (reference as Float32Array)[i]!)), 0) / scale;
        const ms = timeMedian(() => tf.tidy(() => void run().sum().dataSync()), { warmup: 3, repeats: REPEATS });
        cells.push(
          name === 'float' ? ms.toFixed(3).padStart(8) : `${ms.toFixed(3).padStart(8)} (${error.toExponential(1)})`,
        );
        model.dispose();
      } catch (error) {
        cells.push(`${name} failed: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    out(`${depth} × ${h}×${h}×${c}`.padEnd(22) + `${String(batch).padStart(6)}  ${cells.join('   ')}`);
    x.dispose();
  }
}
