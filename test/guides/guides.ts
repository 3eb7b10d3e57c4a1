import { addImport, appendItem, appendToList, insertAfter, insertBefore, type Guide } from './follow-guide.js';

// The steps of each docs/adding-*.md guide that edit an existing file, in the guide's words. Their
// new files and inserted lines are the guide's own code blocks (follow-guide.ts).

/** `source` with `text` appended to the first string after `anchor` (before its closing quote). */
function appendToString(source: string, anchor: RegExp, text: string): string {
  return insertBefore(source, /'/, text, anchor);
}

/** Inserts a guide's `case` lines before the `default:` of the switch in function `fn`. */
function beforeDefault(source: string, fn: string, block: string | undefined): string {
  return insertBefore(source, /^[ \t]*default:/m, block ?? '', new RegExp(`export function ${fn}\\b`));
}

/** Inserts a guide's lines as the first entries of the list `const CASES … = [`. */
function firstCase(source: string, block: string | undefined): string {
  return insertAfter(source, /const CASES\b[^=]*= \[\n/, block ?? '');
}

export const STRATEGY_GUIDE: Guide = {
  doc: 'docs/adding-a-strategy.md',
  edits: [
    {
      says: 'Add `mutateBest` to the list in `src/search/registry.ts`',
      file: 'src/search/registry.ts',
      apply: (s) =>
        addImport(appendToList(s, 'multiTrial', 'mutateBest'), "import { mutateBest } from './mutate-best.js';"),
    },
    {
      says: 'Add its name to the two lists in `test/search/registry.test.ts`',
      file: 'test/search/registry.test.ts',
      apply: (s) =>
        appendToString(
          appendItem(s, /STRATEGIES\.map\(\(s\) => s\.name\)\)\.toEqual\(\[/, "'mutate-best'"),
          /use one of: /,
          ', mutate-best',
        ),
    },
    {
      says: 'name its file in the layout block of `docs/architecture.md`',
      file: 'docs/architecture.md',
      apply: (s) => insertAfter(s, /tpe\.ts \+ parzen\.ts,/, ' mutate-best.ts,'),
    },
    {
      says: 'to `VARIANTS` in `test/search/strategies.test.ts`',
      file: 'test/search/strategies.test.ts',
      apply: (s, block) => insertAfter(s, /const VARIANTS\b[^=]*= \[\n/, block ?? ''),
    },
  ],
};

export const SPACE_GUIDE: Guide = {
  doc: 'docs/adding-a-space.md',
  edits: [
    {
      says: 'add `widthsSpace` to the list in `src/space/spaces/index.ts`',
      file: 'src/space/spaces/index.ts',
      apply: (s) =>
        addImport(appendToList(s, 'registered', 'widthsSpace'), "import { widthsSpace } from './widths/index.js';"),
    },
    {
      says: 'Add its name to the two lists in `test/space/spaces/registry.test.ts`',
      file: 'test/space/spaces/registry.test.ts',
      apply: (s) =>
        appendToString(
          appendItem(s, /SPACES\.map\(\(s\) => s\.name\)\)\.toEqual\(\[/, "'widths'"),
          /known: /,
          ', widths',
        ),
    },
  ],
};

export const OP_GUIDE: Guide = {
  doc: 'docs/adding-an-op.md',
  edits: [
    {
      says: 'Add it to `PrimitiveNode`',
      file: 'src/core/arch.ts',
      apply: (s, block) =>
        insertBefore(`${s}\n${block ?? ''}`, /;/, ' | LayerScaleNode', /export type PrimitiveNode =/),
    },
    {
      says: 'Register it: `layer_scale: layerScale` in the `ops` table of `src/space/ops/index.ts`',
      file: 'src/space/ops/index.ts',
      apply: (s) =>
        addImport(
          insertAfter(s, /export const ops: OpCatalog = \{/, '\n  layer_scale: layerScale,'),
          "import { layerScale } from './layer-scale.js';",
        ),
    },
    {
      says: 'Add a `case` to `layerFor`',
      file: 'src/eval/build/primitives.ts',
      apply: (s, block) => beforeDefault(s, 'layerFor', block),
    },
    {
      says: 'is added to the classes of `define()` in `src/eval/build/layers/index.ts` (`NasLayerScale: defineLayerScaleLayer()`)',
      file: 'src/eval/build/layers/index.ts',
      apply: (s) =>
        addImport(
          insertAfter(s, /const classes = \{/, ' NasLayerScale: defineLayerScaleLayer(),'),
          "import { defineLayerScaleLayer } from './layer-scale.js';",
        ),
    },
    {
      says: 'add a `case` to `lowerNode` in `lower/index.ts`',
      file: 'src/eval/compile/lower/index.ts',
      apply: (s, block) => beforeDefault(s, 'lowerNode', block),
    },
    {
      says: 'has one case per op of the catalog (a guard test fails when an op has none): add yours',
      file: 'test/eval/build/ops-train.test.ts',
      apply: (s, block) => firstCase(s, block),
    },
    {
      says: 'steps from the same weights: losses, every weight and the inference loss within 1e-4): add yours',
      file: 'test/eval/compile/ops.test.ts',
      apply: (s, block) => firstCase(s, block),
    },
    {
      says: "compares the logits with the eager model's: add yours",
      file: 'test/eval/export/catalog.test.ts',
      apply: (s, block) => firstCase(s, block),
    },
  ],
};

export const GUIDES: readonly Guide[] = [STRATEGY_GUIDE, SPACE_GUIDE, OP_GUIDE];
