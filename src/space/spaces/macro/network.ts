import type { ArchSpec, BatchNormSettings } from '../../../core/arch.js';
import { halfPad } from '../../ops/blocks/parts.js';
import { Chain } from '../../reference/common.js';
import type { MacroAttention, MacroConfig } from './options.js';
import type { MacroSample, MacroStage } from './stage.js';

/** torchvision's stems, with torchvision's node names. */
function stem(c: Chain, cfg: MacroConfig): void {
  const filters = cfg.stemChannels;
  if (cfg.stem === 'resnet') {
    c.add({ id: 'conv1', op: 'conv', filters, kernel: 7, stride: 2, padding: 3, bias: false });
    c.add({ id: 'bn1', op: 'bn' });
    c.add({ id: 'relu', op: 'act', fn: 'relu' });
    c.add({ id: 'maxpool', op: 'maxpool', kernel: 3, stride: 2, padding: 1 });
    return;
  }
  const mobile = cfg.stem === 'mobilenetv2';
  c.add({ id: 'stem', op: 'conv', filters, kernel: 3, stride: mobile ? 2 : 1, padding: 1, bias: false });
  c.add({ id: 'stem_bn', op: 'bn' });
  c.add({ id: 'stem_act', op: 'act', fn: mobile ? 'relu6' : 'relu' });
}

/** The head, with a dropout before its dense layer when `dropout` > 0 (MobileNetV2's is 0.2). */
function head(c: Chain, cfg: MacroConfig, dropout: number): void {
  const classifier = cfg.head === 'classifier';
  if (!classifier) {
    c.add({ id: 'head', op: 'conv', filters: cfg.headChannels, kernel: 1, bias: false });
    c.add({ id: 'head_bn', op: 'bn' });
    c.add({ id: 'head_act', op: 'act', fn: 'relu6' });
  }
  c.add({ id: 'avgpool', op: 'gap' });
  if (dropout > 0) c.add({ id: 'dropout', op: 'dropout', rate: dropout });
  c.add({ id: classifier ? 'fc' : 'classifier', op: 'dense', units: 'classes' });
}

/**
 * MobileNetV1's depthwise-separable unit (Howard et al. 2017): dw k×k-BN-ReLU, pw 1×1-BN-ReLU; output
 * named `id`. Attention on the branch goes after the depthwise conv as in MobileNetV3's first block (ratio 4).
 */
function separable(c: Chain, id: string, st: MacroStage, stride: number, attention: MacroAttention): void {
  c.add({ id: `${id}.dw`, op: 'dwconv', kernel: st.kernel, stride, padding: halfPad(st.kernel), bias: false });
  c.add({ id: `${id}.dw_bn`, op: 'bn' });
  c.add({ id: `${id}.dw_relu`, op: 'act', fn: 'relu' });
  if (attention !== 'none') c.add({ id: `${id}.dw_${attention}`, op: attention, ratio: 4 });
  c.add({ id: `${id}.pw`, op: 'conv', filters: st.width, kernel: 1, bias: false });
  c.add({ id: `${id}.pw_bn`, op: 'bn' });
  c.add({ id, op: 'act', fn: 'relu' });
}

/**
 * The block; `attention` is the module on its branch, `dropPath` its branch's drop-path rate, groups a
 * bottleneck's (each written only when there is one, so other specs keep their keys).
 */
function block(
  c: Chain,
  id: string,
  st: MacroStage,
  stride: number,
  attention: MacroAttention,
  dropPath: number,
): void {
  const branch = { ...(attention === 'none' ? {} : { attention }), ...(dropPath > 0 ? { dropPath } : {}) };
  const groups = st.groups ?? 1;
  switch (st.block) {
    case 'basic':
      return void c.add({ id, op: 'basic', filters: st.width, stride, ...branch });
    case 'bottleneck':
      // The catalog's bottleneck width defaults to filters / 4; it is written only when it differs.
      return void c.add({
        id,
        op: 'bottleneck',
        filters: st.width * st.expansion,
        stride,
        ...(st.expansion === 4 ? {} : { width: st.width }),
        ...(groups === 1 ? {} : { groups }),
        ...branch,
      });
    case 'inverted_residual':
      return void c.add({
        id,
        op: 'inverted_residual',
        filters: st.width,
        expansion: st.expansion,
        stride,
        kernel: st.kernel,
        ...branch,
      });
    case 'separable':
      return separable(c, id, st, stride, attention);
  }
}

/** The spec's BatchNorm settings where they differ from the `bn` op's defaults (momentum 0.9, epsilon 1e-5). */
function batchNorm(momentum: number, epsilon: number): { batchNorm?: BatchNormSettings } {
  const settings = { ...(momentum === 0.9 ? {} : { momentum }), ...(epsilon === 1e-5 ? {} : { epsilon }) };
  return Object.keys(settings).length === 0 ? {} : { batchNorm: settings };
}

/**
 * The network of a canonical sample: stem, the stages' blocks (the first of a stage with its stride),
 * head. Blocks are named as torchvision names them: `features.<n>` counted across stages after the
 * MobileNetV2 stem, `layer<stage>.<index>` otherwise. Attention placed on the branch is the block's
 * (`<block>/se`, `<block>.dw_se` in a separable unit); placed after, it follows its block as `<block>.se` / `.cbam`.
 * Block l of L (counted across stages from 1) drops its branch at dropPath · l / L (Huang et al. 2016's
 * linear decay); separable units and inverted residuals without a shortcut have no branch to drop.
 */
export function macroNetwork(sample: MacroSample, cfg: MacroConfig): ArchSpec {
  const c = new Chain();
  stem(c, cfg);
  let n = 0;
  let l = 0;
  const blocks = sample.stages.reduce((t, st) => t + st.depth, 0);
  sample.stages.forEach((st, s) => {
    for (let b = 0; b < st.depth; b++) {
      const id = cfg.stem === 'mobilenetv2' ? `features.${++n}` : `layer${s + 1}.${b}`;
      const onBranch = st.placement === 'branch';
      block(
        c,
        id,
        st,
        b === 0 ? st.stride : 1,
        onBranch ? st.attention : 'none',
        (sample.dropPath ?? 0) * (++l / blocks),
      );
      if (st.attention !== 'none' && !onBranch) c.add({ id: `${id}.${st.attention}`, op: st.attention });
    }
  });
  head(c, cfg, sample.dropout ?? 0);
  return {
    version: 1,
    name: 'macro',
    nodes: c.nodes,
    output: c.last,
    ...batchNorm(sample.bnMomentum ?? 0.9, sample.bnEpsilon ?? 1e-5),
  };
}
