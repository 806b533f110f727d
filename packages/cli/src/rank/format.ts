import type { RankingResult, RankingRobustness, RankingRules } from '@pedseg/metrics';

/** Everything `pedseg rank` reports. */
export interface RankReport {
  readonly ranking: RankingResult;
  /** Case ids per method, in the order of the case scores. */
  readonly caseIds: Readonly<Record<string, readonly string[]>>;
  readonly robustness: RankingRobustness | undefined;
}

function alignTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function describeRules(rules: RankingRules): string {
  return Object.entries(rules)
    .map(([metric, r]) => `${metric} ${r.best > r.threshold ? '>' : '<'} ${r.threshold} (best ${r.best})`)
    .join(', ');
}

/** Human-readable tables: the ranking, then (with --robustness) the rank under every alternative. */
export function rankTable(report: RankReport): string {
  const rows = [['rank', 'method', 'score mean ± std', 'cases']];
  for (const m of report.ranking.methods) {
    rows.push([String(m.rank), m.name, `${m.mean.toFixed(1)} ± ${m.std.toFixed(1)}`, String(m.caseScores.length)]);
  }
  let text = alignTable(rows) + `scores in [0, 100]; rules: ${describeRules(report.ranking.rules)}\n`;
  const robustness = report.robustness;
  if (robustness !== undefined) {
    const header = ['method', 'base', ...robustness.variants.map((v) => v.alternative.label)];
    const body = robustness.base.methods.map((m) => [
      m.name,
      String(m.rank),
      ...robustness.variants.map((v) => {
        const rank = v.ranks[m.name]!;
        return rank === m.rank ? String(rank) : `${rank}*`;
      }),
    ]);
    const changedCount = robustness.variants.filter((v) => v.changed.length > 0).length;
    text +=
      `\nRanking robustness (rank under each alternative threshold; * = changed)\n` +
      alignTable([header, ...body]) +
      `${changedCount} of ${robustness.variants.length} alternatives change some rank; ` +
      `stable methods: ${robustness.stable.length > 0 ? robustness.stable.join(', ') : 'none'}\n`;
  }
  return text;
}

/** JSON: rules, ranked methods with per-case scores, and the robustness analysis when requested. */
export function rankJson(report: RankReport): string {
  const methods = report.ranking.methods.map((m) => ({
    rank: m.rank,
    name: m.name,
    mean: m.mean,
    std: m.std,
    cases: m.caseScores.length,
    caseScores: Object.fromEntries(m.caseScores.map((s, i) => [report.caseIds[m.name]![i]!, s])),
  }));
  const out: Record<string, unknown> = { rules: report.ranking.rules, methods };
  if (report.robustness !== undefined) {
    out.robustness = {
      variants: report.robustness.variants.map((v) => ({
        label: v.alternative.label,
        metric: v.alternative.metric,
        threshold: v.alternative.threshold,
        ranks: v.ranks,
        changed: v.changed,
      })),
      stable: report.robustness.stable,
    };
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** CSV: one row per method; with --robustness one extra column of ranks per alternative. */
export function rankCsv(report: RankReport): string {
  const labels = report.robustness?.variants.map((v) => v.alternative.label) ?? [];
  const lines = [['rank', 'method', 'mean', 'std', 'cases', ...labels].join(',')];
  for (const m of report.ranking.methods) {
    const extra = report.robustness?.variants.map((v) => String(v.ranks[m.name])) ?? [];
    lines.push([String(m.rank), csvField(m.name), String(m.mean), String(m.std), String(m.caseScores.length), ...extra].join(','));
  }
  return `${lines.join('\n')}\n`;
}
