import { evaluateCommand } from './commands/evaluate.js';
import { postprocessCommand } from './commands/postprocess.js';
import { rankCommand } from './commands/rank.js';
import { predictCommand, reportCommand, trainCommand } from './commands/training.js';
import type { Command, CommandIo } from './command.js';

const COMMANDS: readonly Command[] = [
  evaluateCommand,
  rankCommand,
  postprocessCommand,
  trainCommand,
  predictCommand,
  reportCommand,
];

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`);
  return ['Usage: pedseg <command> [options]', '', 'Commands:', ...lines, '', 'Run `pedseg <command> --help` for its options.'].join('\n');
}

const defaultIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs the `pedseg` command line with the given arguments (without `node` and the script path).
 *
 * @param argv - Arguments, e.g. `['evaluate', '--reference', 'a.nii.gz', '--prediction', 'b.nii.gz']`.
 * @param io - Where output goes; defaults to the process streams.
 * @returns The process exit code: 0 on success, 1 on a failed command, 2 on a usage error.
 */
export async function runCli(argv: readonly string[], io: CommandIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`pedseg: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(`pedseg ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
