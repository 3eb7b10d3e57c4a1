import fs from 'node:fs';
import path from 'node:path';

// Following a guide (docs/adding-*.md) on a copy of the repository: its code blocks marked
// `file=PATH` are whole new files, those marked `into=PATH` are lines a step inserts into an existing
// file; the steps that edit existing files are written here, each quoting the guide's words for it,
// so a guide that drops a step, or a step this follows that the guide does not say, fails.

/** A fenced code block of a guide, with the words of its info string after the language (`file=…`, `into=…`). */
export interface CodeBlock {
  readonly lang: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
}

/** One step of a guide that edits an existing file of the copy. */
export interface Edit {
  /** The guide's words for this step (whitespace aside). */
  readonly says: string;
  readonly file: string;
  /** The edited source; `block` is the text of the guide's `into=<file>` block, when there is one. */
  apply(source: string, block: string | undefined): string;
}

export interface Guide {
  readonly doc: string;
  readonly edits: readonly Edit[];
}

/** The fenced code blocks of a Markdown text, their lines de-indented by the fence's indentation. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)\s*(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const [, indent = '', fence = '', lang = '', info = ''] = open;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[i] as string); i++)
      body.push((lines[i] as string).slice(indent.length));
    const attrs = Object.fromEntries(
      info.split(/\s+/).flatMap((word) => (word.includes('=') ? [word.split('=', 2) as [string, string]] : [])),
    );
    blocks.push({ lang, attrs, text: `${body.join('\n')}\n` });
  }
  return blocks;
}

const words = (text: string) => text.replace(/\s+/g, ' ');

/** What a guide asks of a copy: its new files, its edits with the blocks they insert; throws on a step the guide does not say. */
export function guideSteps(
  root: string,
  guide: Guide,
): { files: Map<string, string>; edits: { edit: Edit; block: string | undefined }[] } {
  const markdown = fs.readFileSync(path.join(root, guide.doc), 'utf8');
  const blocks = codeBlocks(markdown);
  const files = new Map(blocks.flatMap((b) => (b.attrs.file === undefined ? [] : [[b.attrs.file, b.text] as const])));
  const into = new Map(blocks.flatMap((b) => (b.attrs.into === undefined ? [] : [[b.attrs.into, b.text] as const])));
  for (const edit of guide.edits) {
    if (!words(markdown).includes(words(edit.says))) throw new Error(`${guide.doc} does not say "${edit.says}"`);
  }
  for (const file of into.keys()) {
    if (!guide.edits.some((e) => e.file === file))
      throw new Error(`${guide.doc} has a block into ${file}, but no step here inserts it`);
  }
  return { files, edits: guide.edits.map((edit) => ({ edit, block: into.get(edit.file) })) };
}

/** Writes the guide's new files into `copy` and applies its edits there; returns every path it wrote. */
export function followGuide(copy: string, guide: Guide): string[] {
  const { files, edits } = guideSteps(copy, guide);
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.writeFileSync(path.join(copy, file), text);
  }
  for (const { edit, block } of edits) {
    const file = path.join(copy, edit.file);
    fs.writeFileSync(file, edit.apply(fs.readFileSync(file, 'utf8'), block));
  }
  return [...files.keys(), ...edits.map((e) => e.edit.file)];
}

/** `source` with `text` inserted after the first match of `pattern`; throws when there is none. */
export function insertAfter(source: string, pattern: RegExp, text: string): string {
  const m = pattern.exec(source);
  if (m === null) throw new Error(`no ${pattern} to insert after`);
  return source.slice(0, m.index + m[0].length) + text + source.slice(m.index + m[0].length);
}

/** `source` with `text` inserted before the first match of `pattern` at or after the first match of `after`. */
export function insertBefore(source: string, pattern: RegExp, text: string, after: RegExp = /^/): string {
  const start = after.exec(source);
  if (start === null) throw new Error(`no ${after} to start from`);
  const m = pattern.exec(source.slice(start.index));
  if (m === null) throw new Error(`no ${pattern} after ${after} to insert before`);
  const at = start.index + m.index;
  return source.slice(0, at) + text + source.slice(at);
}

/** `source` with `item` appended to the list literal that `open` ends at (its `[`), on one line or one item a line. */
export function appendItem(source: string, open: RegExp, item: string): string {
  const m = open.exec(source);
  if (m === null) throw new Error(`no ${open}`);
  const items = source.slice(0, source.indexOf(']', m.index + m[0].length)).trimEnd();
  return items.endsWith(',')
    ? `${items} ${item},${source.slice(items.length)}`
    : `${items}, ${item}${source.slice(items.length)}`;
}

/** `source` with `name` appended to the array literal `const <list> = [ … ]`. */
export function appendToList(source: string, list: string, name: string): string {
  return appendItem(source, new RegExp(`const ${list}\\b[^=]*= \\[`), name);
}

/** `source` with `line` as its first import. */
export function addImport(source: string, line: string): string {
  return insertBefore(source, /^import /m, `${line}\n`);
}

/** `source` with its one occurrence of `from` replaced; throws unless there is exactly one. */
export function replaceOnce(source: string, from: string, to: string): string {
  const n = source.split(from).length - 1;
  if (n !== 1) throw new Error(`expected one ${JSON.stringify(from)}, found ${n}`);
  return source.replace(from, to);
}
