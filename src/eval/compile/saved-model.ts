/**
 * Writes a compiled graph as a TensorFlow SavedModel (saved_model.pb, tag "serve", no variables
 * checkpoint: the weights are assigned through a signature after loading), with the protobuf
 * classes tfjs-node ships, so that `tf.node.loadSavedModel` runs it in one native session.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { savedModelProto, type SavedModelProto } from '../../backend/tf.js';
import { removeStaleFolders } from './stale-folders.js';
import { tensorName, type Attr, type ConstValue, type DType, type Graph, type Sym } from './graph.js';

/** A signature: named input placeholders and named outputs. */
export type Signature = {
  readonly inputs: Readonly<Record<string, Sym>>;
  readonly outputs: Readonly<Record<string, Sym>>;
};

/** GraphDef producer version: TensorFlow 2.x semantics for every op the compiler emits. */
export const PRODUCER = 1700;

/** TensorFlow's DataType enum name of each dtype. */
export const DTYPES: Readonly<Record<DType, string>> = {
  float32: 'DT_FLOAT',
  int32: 'DT_INT32',
  int64: 'DT_INT64',
  bool: 'DT_BOOL',
  resource: 'DT_RESOURCE',
  int8: 'DT_INT8',
  quint8: 'DT_QUINT8',
  qint8: 'DT_QINT8',
  qint32: 'DT_QINT32',
};

/** The bytes of saved_model.pb for a graph and its signatures. */
export function savedModelBytes(
  graph: Pick<Graph, 'nodes'>,
  signatures: Readonly<Record<string, Signature>>,
): Uint8Array {
  const pb = savedModelProto();
  const graphDef = new pb.GraphDef();
  const versions = new pb.VersionDef();
  versions.setProducer(PRODUCER);
  graphDef.setVersions(versions);
  for (const node of graph.nodes) {
    const def = new pb.NodeDef();
    def.setName(node.name);
    def.setOp(node.op);
    for (const input of node.inputs) def.addInput(input.index === 0 ? input.node.name : tensorName(input));
    for (const dep of node.control) def.addInput(`^${dep.name}`);
    const attrs = def.getAttrMap();
    for (const [key, value] of Object.entries(node.attrs)) attrs.set(key, attrValue(pb, value));
    graphDef.addNode(def);
  }
  const meta = new pb.MetaGraphDef();
  const info = new pb.MetaGraphDef.MetaInfoDef();
  info.setTagsList(['serve']);
  meta.setMetaInfoDef(info);
  meta.setGraphDef(graphDef);
  const map = meta.getSignatureDefMap();
  for (const [key, sig] of Object.entries(signatures)) {
    const def = new pb.SignatureDef();
    def.setMethodName('tensorflow/serving/predict');
    for (const [name, s] of Object.entries(sig.inputs)) def.getInputsMap().set(name, tensorInfo(pb, s));
    for (const [name, s] of Object.entries(sig.outputs)) def.getOutputsMap().set(name, tensorInfo(pb, s));
    map.set(key, def);
  }
  const model = new pb.SavedModel();
  model.setSavedModelSchemaVersion(1);
  model.addMetaGraphs(meta);
  return model.serializeBinary() as Uint8Array;
}

const TEMPORARY_PREFIX = 'nas-compiled-';

/** Writes the SavedModel into a new temporary folder (named with this process's id) and returns it; `removeSavedModel` deletes it. */
export async function writeSavedModel(bytes: Uint8Array): Promise<string> {
  await removeStaleFolders(TEMPORARY_PREFIX);
  const dir = await mkdtemp(join(tmpdir(), `${TEMPORARY_PREFIX}${process.pid}-`));
  await writeFile(join(dir, 'saved_model.pb'), bytes);
  return dir;
}

export async function removeSavedModel(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function shapeProto(pb: SavedModelProto, dims: readonly number[]) {
  const shape = new pb.TensorShape();
  for (const d of dims) {
    const dim = new pb.TensorShape.Dim();
    dim.setSize(d);
    shape.addDim(dim);
  }
  return shape;
}

function tensorInfo(pb: SavedModelProto, s: Sym) {
  const info = new pb.TensorInfo();
  info.setName(tensorName(s));
  info.setDtype(pb.DataType[DTYPES[s.dtype]]);
  info.setTensorShape(shapeProto(pb, s.shape));
  return info;
}

function tensorProto(pb: SavedModelProto, value: ConstValue) {
  const t = new pb.Tensor();
  t.setDtype(pb.DataType[DTYPES[value.dtype]]);
  t.setTensorShape(shapeProto(pb, value.shape));
  const data =
    value.dtype === 'float32'
      ? Float32Array.from(value.values)
      : value.dtype === 'int8' || value.dtype === 'qint8'
        ? Int8Array.from(value.values)
        : Int32Array.from(value.values);
  t.setTensorContent(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return t;
}

function attrValue(pb: SavedModelProto, attr: Attr) {
  const a = new pb.AttrValue();
  if ('type' in attr) a.setType(pb.DataType[DTYPES[attr.type]]);
  else if ('i' in attr) a.setI(attr.i);
  else if ('f' in attr) a.setF(attr.f);
  else if ('b' in attr) a.setB(attr.b);
  else if ('s' in attr) a.setS(new TextEncoder().encode(attr.s));
  else if ('shape' in attr) a.setShape(shapeProto(pb, attr.shape));
  else if ('tensor' in attr) a.setTensor(tensorProto(pb, attr.tensor));
  else {
    const list = new pb.AttrValue.ListValue();
    list.setIList([...attr.ints]);
    a.setList(list);
  }
  return a;
}
