/**
 * Runs every runnable code block of docs/guides/*.md as its own Node.js process, the way a reader
 * would run it: `node --conditions=@pedseg/source --import tsx block.mts` from the repository root, so
 * `@pedseg/*` imports resolve to the workspace sources. A block passes when it exits with code 0 and
 * prints the lines of the ```text block that follows it (if any). Convention: docs/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, missingOutputLines, runnableBlocks } from './code-blocks.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const guidesDir = join(root, 'docs/guides');
// Inside the repository (so that bare `@pedseg/*` imports resolve) and ignored by git.
const runDir = join(root, 'node_modules/.cache/pedseg-guides');
const BLOCK_TIMEOUT_MS = 90_000;
// Each block is a whole process (tfjs backend start-up included): at most two at a time.
const limit = Math.max(1, Math.min(2, availableParallelism()));

let running = 0;
const waiting: (() => void)[] = [];
async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= limit) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runFile(file: string): Promise<RunResult> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, ['--conditions=@pedseg/source', '--import', 'tsx', file], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: BLOCK_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** The end of a process's stderr, with minified-bundle lines (tfjs-wasm rethrows print them) shortened. */
function tail(text: string, lines = 30): string {
  return text
    .split('\n')
    .slice(-lines)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)} …` : l))
    .join('\n');
}

describe('code-block extraction', () => {
  it('finds fences, honours the no-test marker and pairs expected output', () => {
    const md = [
      '```sh',
      'npm install x',
      '```',
      '<!-- no-test -->',
      '',
      '```js',
      'skipped()',
      '```',
      '```ts title',
      'console.log(1)',
      '````',
      '',
      '```text',
      '1  ',
      '',
      '```',
      '```js',
      'console.log(2)',
      '```',
      'prose',
      '```text',
      'not an expectation',
      '```',
    ].join('\n');
    expect(fencedBlocks(md).map((b) => [b.lang, b.line, b.skipped])).toEqual([
      ['sh', 1, false],
      ['js', 6, true],
      ['ts', 9, false],
      ['text', 13, false],
      ['js', 17, false],
      ['text', 21, false],
    ]);
    expect(runnableBlocks(md)).toEqual([
      { line: 9, code: 'console.log(1)', expectedOutput: ['1'] },
      { line: 17, code: 'console.log(2)', expectedOutput: [] },
    ]);
    expect(missingOutputLines('a\nb \nc\n', ['a', 'c'])).toEqual([]);
    expect(missingOutputLines('a\nb\nc\n', ['c', 'a'])).toEqual(['a']);
  });
});

const guides = readdirSync(guidesDir).filter((f) => f.endsWith('.md')).sort();

describe('docs/guides code blocks', () => {
  mkdirSync(runDir, { recursive: true });
  for (const guide of guides) {
    const blocks = runnableBlocks(readFileSync(join(guidesDir, guide), 'utf8'));
    describe(guide, () => {
      if (blocks.length === 0) it.skip('has no runnable block', () => {});
      for (const block of blocks) {
        it.concurrent(`block at line ${block.line}`, async () => {
          const file = join(runDir, `${guide.replace(/\.md$/, '')}-L${block.line}.mts`);
          writeFileSync(file, `${block.code}\n`);
          const result = await withSlot(() => runFile(file));
          const where = `docs/guides/${guide}:${block.line} (${file})`;
          if (result.code !== 0) {
            expect.fail(
              `${where} exited with ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
            );
          }
          const missing = missingOutputLines(result.stdout, block.expectedOutput);
          expect(missing, `${where}: expected output lines missing from stdout:\n${result.stdout}`).toEqual([]);
        }, BLOCK_TIMEOUT_MS + 30_000);
      }
    });
  }
});
