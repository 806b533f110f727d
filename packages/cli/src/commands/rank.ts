import type { Command } from '../command.js';
import { RANK_USAGE, RankUsageError, parseRankArgs, type RankArgs } from '../rank/args.js';
import { runRank } from '../rank/run.js';

/**
 * `pedseg rank`: ranks methods from the per-case tables of `pedseg evaluate --out` with the
 * combined-regularization paper's ranking system, optionally with its threshold-robustness analysis.
 * Exit 0 on success, 1 when a table cannot be read or holds bad values, 2 on a usage error.
 */
export const rankCommand: Command = {
  name: 'rank',
  summary: 'rank methods by thresholded metric scores (Table 1 / Table S2 ranking system)',
  async run(argv, io) {
    let args: RankArgs;
    try {
      args = parseRankArgs(argv);
    } catch (error) {
      if (!(error instanceof RankUsageError)) throw error;
      io.stderr(`pedseg rank: ${error.message}\n\n${RANK_USAGE}\n`);
      return 2;
    }
    if (args.help) {
      io.stdout(`${RANK_USAGE}\n`);
      return 0;
    }
    await runRank(args, io);
    return 0;
  },
};
