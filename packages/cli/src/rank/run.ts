import { COMBREG_RANKING_RULES, rankMethods, rankingRobustness } from '@pedseg/metrics';
import type { CommandIo } from '../command.js';
import type { RankArgs } from './args.js';
import { readCaseTable } from './caseTable.js';
import { rankCsv, rankJson, rankTable, type RankReport } from './format.js';
import { readThresholdFile } from './thresholds.js';

/**
 * Reads every method's case table, ranks the methods, optionally re-ranks under the alternative
 * thresholds, and prints the report. Warns on stderr when the methods were scored on different cases.
 */
export async function runRank(args: RankArgs, io: CommandIo): Promise<void> {
  const thresholds = args.thresholds === undefined ? undefined : await readThresholdFile(args.thresholds);
  const rules = thresholds?.rules ?? COMBREG_RANKING_RULES;
  const tables = await Promise.all(args.methods.map(async (m) => ({ name: m.name, cases: await readCaseTable(m.path, m.name) })));
  const reference = tables[0]!;
  const referenceIds = reference.cases.map((c) => c.id).join('\u0000');
  for (const t of tables.slice(1)) {
    if (t.cases.map((c) => c.id).join('\u0000') !== referenceIds) {
      io.stderr(`pedseg rank: warning: methods ${reference.name} and ${t.name} were evaluated on different cases\n`);
    }
  }
  const methods = tables.map((t) => ({ name: t.name, cases: t.cases.map((c) => c.structures) }));
  const ranking = rankMethods(methods, { rules });
  const robustness = args.robustness ? rankingRobustness(methods, { rules, alternatives: thresholds?.alternatives }) : undefined;
  const caseIds = Object.fromEntries(tables.map((t) => [t.name, t.cases.map((c) => c.id)]));
  const report: RankReport = { ranking, caseIds, robustness };
  io.stdout(args.format === 'json' ? rankJson(report) : args.format === 'csv' ? rankCsv(report) : rankTable(report));
}
