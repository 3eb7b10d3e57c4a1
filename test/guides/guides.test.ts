import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { appendItem, codeBlocks, guideSteps } from './follow-guide.js';
import { GUIDES } from './guides.js';

// The fast half of the guide tests: every step guides.slow.test.ts follows is in its guide's words,
// and applies to the files as they are now. The slow half follows the guides on a copy and runs them.

describe('the steps of the docs/adding-*.md guides', () => {
  it.each(GUIDES.map((g) => [g.doc, g] as const))(
    '%s: every step is in its words, its new files are new, its edits apply to the files as they are',
    (_doc, guide) => {
      const { files, edits } = guideSteps(ROOT, guide);
      expect(files.size).toBeGreaterThan(0);
      for (const file of files.keys())
        expect(fs.existsSync(path.join(ROOT, file)), `${file} exists already`).toBe(false);
      for (const { edit, block } of edits) {
        const source = fs.readFileSync(path.join(ROOT, edit.file), 'utf8');
        expect(edit.apply(source, block)).not.toBe(source);
      }
    },
  );
});

describe('reading a guide', () => {
  it('takes the fenced blocks, their info words, and lines de-indented by the fence', () => {
    const markdown = [
      'text',
      '```ts file=src/a.ts',
      'const a = 1;',
      '```',
      '- a step',
      '',
      '  ```ts into=test/b.ts',
      '    b,',
      '  ```',
      '```',
      'plain',
      '```',
    ].join('\n');
    expect(codeBlocks(markdown)).toEqual([
      { lang: 'ts', attrs: { file: 'src/a.ts' }, text: 'const a = 1;\n' },
      { lang: 'ts', attrs: { into: 'test/b.ts' }, text: '  b,\n' },
      { lang: '', attrs: {}, text: 'plain\n' },
    ]);
  });

  it('appends to a list written on one line, or one item a line with a trailing comma', () => {
    expect(appendItem('const xs = [a, b] as const;', /const xs = \[/, 'c')).toBe('const xs = [a, b, c] as const;');
    expect(appendItem('const xs = [\n  a,\n  b,\n];', /const xs = \[/, 'c')).toBe('const xs = [\n  a,\n  b, c,\n];');
  });
});
