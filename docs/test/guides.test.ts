/**
 * Runs every runnable code block of docs/guides/*.md as its own Node.js process, the way a reader
 * would run it: `node --conditions=@pedseg/source --import tsx block.mts` from the repository root, so
 * `@pedseg/*` imports resolve to the workspace sources. A block passes when it exits with code 0 and
 * prints the lines of the ```text block that follows it (if any). Convention: docs/README.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, headingAnchors, markdownLinks, missingOutputLines, runnableBlocks } from './code-blocks.js';

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
  // A finishing task hands its slot straight to the next waiter, so `running` never exceeds `limit`.
  if (running >= limit) await new Promise<void>((wake) => waiting.push(wake));
  else running++;
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runFile(file: string): Promise<RunResult> {
  return runProcess(['--conditions=@pedseg/source', '--import', 'tsx', file]);
}

function runProcess(args: readonly string[]): Promise<RunResult> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    // The pure-JS backend starts in a third of the time of (threaded) wasm and is as fast on the guides'
    // tiny tensors; `PEDSEG_BACKEND=wasm pnpm vitest run --project docs` runs the blocks on wasm instead.
    env['PEDSEG_BACKEND'] ??= 'cpu';
    const child = spawn(process.execPath, args, {
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

// typedoc (`pnpm run docs`) fails on a broken relative link too, but takes a minute: check them here.
describe('docs/guides links', () => {
  it('finds links and heading anchors', () => {
    const md = '# A `code` title\n\n[x](b.md#c) ![i](img/p.svg) `[no](z.md)`\n```md\n[no](y.md)\n```\n## Memory hygiene\n';
    expect(markdownLinks(md).map((l) => l.target)).toEqual(['b.md#c', 'img/p.svg']);
    expect([...headingAnchors(md)]).toEqual(['a-code-title', 'memory-hygiene']);
  });

  for (const guide of guides) {
    it(`${guide}: relative links point to existing files and headings`, () => {
      const text = readFileSync(join(guidesDir, guide), 'utf8');
      const broken: string[] = [];
      for (const { target, line } of markdownLinks(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(guidesDir, guide) : resolve(guidesDir, decodeURIComponent(path));
        if (!existsSync(file)) broken.push(`${guide}:${line} ${target} (no such file)`);
        else if (anchor !== undefined && file.endsWith('.md') && !headingAnchors(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${guide}:${line} ${target} (no heading #${anchor})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

// Opt-in (about 20 s more): type-check every runnable block under the repository's strict settings.
describe.runIf(process.env['PEDSEG_DOCS_TYPECHECK'] === '1')('docs/guides code blocks type-check', () => {
  it('compiles with tsc --strict', async () => {
    const dir = join(runDir, 'typecheck');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const guide of guides) {
      for (const block of runnableBlocks(readFileSync(join(guidesDir, guide), 'utf8'))) {
        writeFileSync(join(dir, `${guide.replace(/\.md$/, '')}-L${block.line}.mts`), `${block.code}\n`);
      }
    }
    const tsconfig = {
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, lib: ['ES2022', 'DOM'] },
      include: ['*.mts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const result = await withSlot(() => runProcess([join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]));
    expect(result.code, `tsc found errors in the guides' code blocks:\n${result.stdout}${result.stderr}`).toBe(0);
  }, 180_000);
});

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
