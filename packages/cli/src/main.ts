import { runCli } from './cli.js';

// The binary's entry: exit codes are decided by runCli so that tests can call it in-process.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pedseg: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
