/**
 * Extraction of the runnable code blocks of a markdown guide (see docs/README.md for the convention).
 *
 * - ```js / ```ts (also javascript, typescript, mjs, mts) blocks are runnable;
 * - a `<!-- no-test -->` comment on the last non-blank line before the opening fence excludes a block;
 * - a ```text block that follows a runnable block with only blank lines between them lists lines its
 *   standard output must contain, in that order (each compared with trailing whitespace removed).
 */

/** A fenced code block of a markdown file. */
export interface CodeBlock {
  /** First token of the info string, lower-cased (`js`, `ts`, `sh`, `text`, …). */
  readonly lang: string;
  /** The block's text, without the fences. */
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Whether a `<!-- no-test -->` marker precedes the block. */
  readonly skipped: boolean;
}

/** A block the docs test executes. */
export interface RunnableBlock {
  /** 1-based line of the opening fence in the guide. */
  readonly line: number;
  /** The program, as written in the guide. */
  readonly code: string;
  /** Lines the program's standard output must contain in this order (empty: exit code only). */
  readonly expectedOutput: readonly string[];
}

/** The marker that excludes the following code block from the docs test. */
export const NO_TEST_MARKER = '<!-- no-test -->';

const RUNNABLE = new Set(['js', 'ts', 'javascript', 'typescript', 'mjs', 'mts']);
const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)?.*$/;

interface FencedBlock extends CodeBlock {
  /** 0-based index of the closing fence line. */
  readonly end: number;
}

/** Every fenced block of `markdown`, in order (an unterminated fence runs to the end of the file). */
export function fencedBlocks(markdown: string): CodeBlock[] {
  return scan(markdown.split(/\r?\n/)).map(({ end: _end, ...block }) => block);
}

function scan(lines: readonly string[]): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) {
      i++;
      continue;
    }
    const fence = open[2] ?? '```';
    const lang = (open[3] ?? '').toLowerCase();
    let previous = i - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    const skipped = previous >= 0 && (lines[previous] ?? '').trim() === NO_TEST_MARKER;
    let j = i + 1;
    const closes = (line: string): boolean => {
      const t = line.trimStart();
      return line.length - t.length <= 3 && t.startsWith(fence[0]!.repeat(fence.length)) && /^[`~]+\s*$/.test(t);
    };
    while (j < lines.length && !closes(lines[j] ?? '')) j++;
    blocks.push({ lang, code: lines.slice(i + 1, j).join('\n'), line: i + 1, skipped, end: j });
    i = j + 1;
  }
  return blocks;
}

/** The blocks of `markdown` the docs test runs, each with its expected output lines. */
export function runnableBlocks(markdown: string): RunnableBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks = scan(lines);
  const result: RunnableBlock[] = [];
  blocks.forEach((block, index) => {
    if (!RUNNABLE.has(block.lang) || block.skipped) return;
    const next = blocks[index + 1];
    let expectedOutput: string[] = [];
    if (next !== undefined && next.lang === 'text') {
      const between = lines.slice(block.end + 1, next.line - 1);
      if (between.every((l) => l.trim() === '')) {
        expectedOutput = next.code.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
      }
    }
    result.push({ line: block.line, code: block.code, expectedOutput });
  });
  return result;
}

/**
 * Lines of `expected` that are missing from `output`: each expected line must equal (ignoring trailing
 * whitespace) a line of `output` after the previous expected line's match.
 */
export function missingOutputLines(output: string, expected: readonly string[]): string[] {
  const actual = output.split(/\r?\n/).map((l) => l.trimEnd());
  const missing: string[] = [];
  let from = 0;
  for (const line of expected) {
    const at = actual.indexOf(line, from);
    if (at < 0) missing.push(line);
    else from = at + 1;
  }
  return missing;
}

/** A markdown link or image outside code: its target and 1-based line. */
export interface MarkdownLink {
  /** The link target as written (`other.md#anchor`, `img/x.svg`, `https://…`). */
  readonly target: string;
  /** 1-based line. */
  readonly line: number;
}

/** Inline links and images of `markdown`, skipping fenced blocks and code spans. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const lines = markdown.split(/\r?\n/);
  const inBlock = new Set<number>();
  for (const block of scan(lines)) for (let i = block.line - 1; i <= block.end; i++) inBlock.add(i);
  const links: MarkdownLink[] = [];
  lines.forEach((text, i) => {
    if (inBlock.has(i)) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ target: m[1] ?? '', line: i + 1 });
  });
  return links;
}

/**
 * Anchors of the headings of `markdown` as GitHub and typedoc derive them: lower case, punctuation
 * other than `-` and `_` dropped, spaces turned into `-`.
 */
export function headingAnchors(markdown: string): Set<string> {
  const lines = markdown.split(/\r?\n/);
  const inBlock = new Set<number>();
  for (const block of scan(lines)) for (let i = block.line - 1; i <= block.end; i++) inBlock.add(i);
  const anchors = new Set<string>();
  lines.forEach((text, i) => {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (m === null || inBlock.has(i)) return;
    const slug = (m[1] ?? '')
      .toLowerCase()
      .replace(/[`*]/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    anchors.add(slug);
  });
  return anchors;
}
