import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RankingMetricValues } from '@pedseg/metrics';

/**
 * The per-case table `pedseg rank` reads: `cases.json` as written by `pedseg evaluate --reference-dir
 * … --prediction-dir … --out DIR`. Per case id, per structure label, the metric values — overlaps and
 * `ravd` as fractions, distances (`mssd`, `assd`, …) in mm, `null` where a distance is undefined
 * because one mask is empty. Other fields (settings, file names, spacing, further metrics) are ignored.
 */
export interface RankCaseTable {
  readonly cases: Readonly<
    Record<
      string,
      {
        readonly labels: Readonly<Record<string, RankingMetricValues>>;
      }
    >
  >;
}

/** One case as the ranking sees it: its id and one metric record per structure. */
export interface RankedCaseInput {
  readonly id: string;
  readonly structures: readonly RankingMetricValues[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Resolves `DIR` to `DIR/cases.json`, or accepts a path to a JSON file. */
async function tablePath(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`cannot read ${path}: no such file or directory`);
  }
  return info.isDirectory() ? join(path, 'cases.json') : path;
}

/**
 * Reads and checks a case table.
 *
 * @param path - Directory written by `pedseg evaluate --out`, or its `cases.json`.
 * @param method - Method name, for error messages.
 * @throws Error naming the file and the problem (unreadable, not JSON, no cases, a case without labels,
 *   a metric value that is neither a number nor null).
 */
export async function readCaseTable(path: string, method: string): Promise<RankedCaseInput[]> {
  const file = await tablePath(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`method ${method}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`method ${method}: ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(data) || !isRecord(data.cases)) {
    throw new Error(`method ${method}: ${file} has no "cases" object; expected the cases.json of pedseg evaluate --out`);
  }
  const ids = Object.keys(data.cases).sort();
  if (ids.length === 0) throw new Error(`method ${method}: ${file} lists no cases`);
  return ids.map((id) => {
    const entry = (data.cases as Record<string, unknown>)[id];
    if (!isRecord(entry) || !isRecord(entry.labels) || Object.keys(entry.labels).length === 0) {
      throw new Error(`method ${method}: case ${id} in ${file} has no "labels" with metric values`);
    }
    const labels = entry.labels;
    const structures = Object.keys(labels)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((label) => {
        const metrics = labels[label];
        if (!isRecord(metrics)) throw new Error(`method ${method}: case ${id}, label ${label} in ${file} is not an object`);
        const values: Record<string, number | null> = {};
        for (const [name, value] of Object.entries(metrics)) {
          if (typeof value === 'number' || value === null) values[name] = value;
        }
        return values;
      });
    return { id, structures };
  });
}
