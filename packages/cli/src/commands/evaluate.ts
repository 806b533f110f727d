import type { Command } from '../command.js';
import { EVALUATE_USAGE, EvaluateUsageError, parseEvaluateArgs } from '../evaluate/args.js';
import type { EvaluateArgs } from '../evaluate/args.js';
import { runCohort } from '../evaluate/cohort.js';
import { evaluatePair } from '../evaluate/evaluate-pair.js';
import { evaluationCsv, evaluationTable } from '../evaluate/format.js';

/**
 * `pedseg evaluate`: overlap and surface metrics of a prediction against a reference (one pair, or a
 * cohort of pairs from two directories on worker threads). Exit 0 on success, 1 when a file cannot be
 * read or the grids differ, 2 on a usage error.
 */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Dice, HD95, ASSD, NSD, ... of predictions against references (NIfTI)',
  async run(argv, io) {
    let args: EvaluateArgs;
    try {
      args = parseEvaluateArgs(argv);
    } catch (error) {
      if (!(error instanceof EvaluateUsageError)) throw error;
      io.stderr(`pedseg evaluate: ${error.message}\n\n${EVALUATE_USAGE}\n`);
      return 2;
    }
    if (args.mode === 'help') {
      io.stdout(`${EVALUATE_USAGE}\n`);
      return 0;
    }
    if (args.mode === 'cohort') {
      const { text } = await runCohort(args);
      io.stdout(text);
      return 0;
    }
    const result = await evaluatePair(args.reference, args.prediction, args);
    io.stdout(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : args.format === 'csv' ? evaluationCsv(result) : evaluationTable(result));
    return 0;
  },
};
