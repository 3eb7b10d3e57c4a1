// Lint: TypeScript rules, no console.log / Math.random in src/, and the import rules of
// docs/architecture.md (which layer may import which).
import tseslint from 'typescript-eslint';

const layers = ['core', 'space', 'search', 'eval', 'backend', 'run', 'cli'];

/** What each layer of src/ may import (besides itself and packages). */
const allowed = {
  core: [],
  space: ['core'],
  search: ['core', 'space', 'eval', 'backend/tf'],
  eval: ['core', 'space', 'backend/tf'],
  backend: ['core'],
  run: ['core', 'space', 'search', 'eval', 'backend'],
  cli: ['core', 'space', 'search', 'eval', 'backend', 'run'],
};

function forbiddenImports(layer) {
  const forbidden = layers.filter((other) => other !== layer && !allowed[layer].some((a) => a.split('/')[0] === other));
  const patterns = forbidden.map((other) => ({
    group: [`**/${other}/*`, `**/${other}`],
    message: `src/${layer} may import only ${['itself', ...allowed[layer]].join(', ')} (docs/architecture.md)`,
  }));
  if (allowed[layer].includes('backend/tf')) {
    patterns.push({
      group: ['**/backend/*', '!**/backend/tf.js'],
      message: `src/${layer} may import only backend/tf.js from src/backend (docs/architecture.md)`,
    });
  }
  if (layer !== 'backend') {
    patterns.push({
      group: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node/*'],
      allowTypeImports: true,
      message: 'load TensorFlow through src/backend/tf.ts (loadTf), the one place that loads the native backend',
    });
  }
  return patterns;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'runs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use the seeded Rng of src/core/rng.ts' },
      ],
    },
  },
  ...layers.map((layer) => ({
    files: [`src/${layer}/**/*.ts`, `src/${layer}/**/*.tsx`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: forbiddenImports(layer) }] },
  })),
);
