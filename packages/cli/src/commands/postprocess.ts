import type { Command } from '../command.js';
import { POSTPROCESS_USAGE, UsageError, parsePostprocessArgs } from '../postprocess/options.js';
import { runPostprocess } from '../postprocess/run.js';

/**
 * `pedseg postprocess`: connected-component filtering, ball closing and hole filling of a NIfTI label
 * map, keeping its affine and datatype. Prints a one-line JSON summary.
 */
export const postprocessCommand: Command = {
  name: 'postprocess',
  summary: 'keep largest components, close and fill holes of a NIfTI label map',
  async run(argv, io) {
    let plan;
    try {
      plan = parsePostprocessArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`pedseg postprocess: ${error.message}\n\n${POSTPROCESS_USAGE}\n`);
      return 2;
    }
    if (plan === null) {
      io.stdout(`${POSTPROCESS_USAGE}\n`);
      return 0;
    }
    const summary = await runPostprocess(plan);
    io.stdout(`${JSON.stringify(summary)}\n`);
    return 0;
  },
};
