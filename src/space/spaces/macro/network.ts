import type { ArchSpec } from '../../../core/arch.js';
import { halfPad } from '../../ops/blocks/parts.js';
import { Chain } from '../../reference/common.js';
import type { MacroConfig } from './options.js';
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

function head(c: Chain, cfg: MacroConfig): void {
  if (cfg.head === 'classifier') {
    c.add({ id: 'avgpool', op: 'gap' });
    c.add({ id: 'fc', op: 'dense', units: 'classes' });
    return;
  }
  c.add({ id: 'head', op: 'conv', filters: cfg.headChannels, kernel: 1, bias: false });
  c.add({ id: 'head_bn', op: 'bn' });
  c.add({ id: 'head_act', op: 'act', fn: 'relu6' });
  c.add({ id: 'avgpool', op: 'gap' });
  c.add({ id: 'dropout', op: 'dropout', rate: 0.2 });
  c.add({ id: 'classifier', op: 'dense', units: 'classes' });
}

/** MobileNetV1's depthwise-separable unit (Howard et al. 2017): dw k×k-BN-ReLU, pw 1×1-BN-ReLU; output named `id`. */
function separable(c: Chain, id: string, st: MacroStage, stride: number): void {
  c.add({ id: `${id}.dw`, op: 'dwconv', kernel: st.kernel, stride, padding: halfPad(st.kernel), bias: false });
  c.add({ id: `${id}.dw_bn`, op: 'bn' });
  c.add({ id: `${id}.dw_relu`, op: 'act', fn: 'relu' });
  c.add({ id: `${id}.pw`, op: 'conv', filters: st.width, kernel: 1, bias: false });
  c.add({ id: `${id}.pw_bn`, op: 'bn' });
  c.add({ id, op: 'act', fn: 'relu' });
}

function block(c: Chain, id: string, st: MacroStage, stride: number): void {
  switch (st.block) {
    case 'basic':
      return void c.add({ id, op: 'basic', filters: st.width, stride });
    case 'bottleneck':
      // The catalog's bottleneck width defaults to filters / 4; it is written only when it differs.
      return void c.add({ id, op: 'bottleneck', filters: st.width * st.expansion, stride, ...(st.expansion === 4 ? {} : { width: st.width }) });
    case 'inverted_residual':
      return void c.add({ id, op: 'inverted_residual', filters: st.width, expansion: st.expansion, stride, kernel: st.kernel });
    case 'separable':
      return separable(c, id, st, stride);
  }
}

/**
 * The network of a canonical sample: stem, the stages' blocks (the first of a stage with its stride),
 * head. Blocks are named as torchvision names them: `features.<n>` counted across stages after the
 * MobileNetV2 stem, `layer<stage>.<index>` otherwise; attention follows its block as `<block>.se` / `.cbam`.
 */
export function macroNetwork(sample: MacroSample, cfg: MacroConfig): ArchSpec {
  const c = new Chain();
  stem(c, cfg);
  let n = 0;
  sample.stages.forEach((st, s) => {
    for (let b = 0; b < st.depth; b++) {
      const id = cfg.stem === 'mobilenetv2' ? `features.${++n}` : `layer${s + 1}.${b}`;
      block(c, id, st, b === 0 ? st.stride : 1);
      // NOTE(deviation): SE-ResNet (Hu et al. 2018) and CBAM (Woo et al. 2018) gate the residual branch before the
      // addition; the catalog's blocks are closed, so here the gate follows the whole block (Hu et al.'s SE-POST).
      if (st.attention !== 'none') c.add({ id: `${id}.${st.attention}`, op: st.attention });
    }
  });
  head(c, cfg);
  return { version: 1, name: 'macro', nodes: c.nodes, output: c.last };
}
