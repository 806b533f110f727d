/**
 * Proves the packages are publishable: packs every workspace package with `pnpm pack` (which rewrites
 * `workspace:` ranges), installs the tarballs with npm into an empty project outside the repository
 * together with the tfjs peers, and runs the first ```js block of each package README there, as ES
 * module and as CommonJS. Exits non-zero on the first failure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const TFJS = '4.22.0';
const peers = [
  `@tensorflow/tfjs-core@${TFJS}`,
  `@tensorflow/tfjs-layers@${TFJS}`,
  `@tensorflow/tfjs-backend-cpu@${TFJS}`,
];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The first fenced ```js block of a README: the package's runnable snippet. */
export function readmeSnippet(readme: string): string | null {
  const match = /```js\n([\s\S]*?)```/.exec(readme);
  return match ? match[1]! : null;
}

/** Rewrites a snippet's ESM imports as `require` calls, and wraps it so top-level await still works. */
export function toCommonJs(snippet: string): string {
  const body = snippet.replace(
    /^import\s+(?:(\*\s+as\s+(\w+))|(\{[^}]*\})|(\w+))?\s*(?:from\s+)?['"]([^'"]+)['"];?/gm,
    (_m, _star, ns: string | undefined, named: string | undefined, def: string | undefined, spec: string) => {
      if (ns) return `const ${ns} = require('${spec}');`;
      if (named) return `const ${named.replace(/\s+as\s+/g, ': ')} = require('${spec}');`;
      if (def) return `const ${def} = require('${spec}');`;
      return `require('${spec}');`;
    },
  );
  return `(async () => {\n${body}\n})().catch((error) => { console.error(error); process.exit(1); });\n`;
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'pedseg-pack-'));
  const tarballs = join(work, 'tarballs');
  const project = join(work, 'project');
  const names = readdirSync(packagesDir).filter((n) => existsSync(join(packagesDir, n, 'package.json')));
  let failures = 0;
  let passed = 0;
  try {
    run('pnpm', ['build'], root);
    for (const name of names) {
      run('pnpm', ['pack', '--pack-destination', tarballs], join(packagesDir, name));
    }
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-test', private: true, version: '0.0.0' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...peers, ...files], project);
    for (const name of names) {
      const readmePath = join(packagesDir, name, 'README.md');
      const snippet = existsSync(readmePath) ? readmeSnippet(readFileSync(readmePath, 'utf8')) : null;
      if (snippet === null) {
        console.log(`FAIL @pedseg/${name}: README has no \`\`\`js snippet`);
        failures += 1;
        continue;
      }
      for (const [kind, file, code] of [
        ['esm', `snippet-${name}.mjs`, snippet],
        ['cjs', `snippet-${name}.cjs`, toCommonJs(snippet)],
      ] as const) {
        writeFileSync(join(project, file), code);
        try {
          run('node', [file], project);
          passed += 1;
          console.log(`ok   @pedseg/${name} README snippet (${kind})`);
        } catch (error) {
          failures += 1;
          const e = error as { stderr?: string; stdout?: string };
          console.log(`FAIL @pedseg/${name} README snippet (${kind})\n${e.stdout ?? ''}${e.stderr ?? ''}`);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`pack test: ${passed} passed, ${failures} failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

// Only when run as a script: tests import the helpers above without packing anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
