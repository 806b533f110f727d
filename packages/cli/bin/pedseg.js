#!/usr/bin/env node
// Runs the built CLI; `pnpm install` at the workspace root builds every package (prepare script).
import('../dist/main.js').catch((error) => {
  process.stderr.write(`pedseg: cannot load the CLI (${error.message}); run \`pnpm build\` first\n`);
  process.exitCode = 1;
});
