import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@pedseg/cli';

const root = mkdtempSync(join(tmpdir(), 'pedseg-rank-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Metrics {
  dice: number;
  sensitivity: number;
  mssd: number | null;
  assd: number | null;
  ravd: number | null;
}

/** Writes DIR/cases.json in the shape `pedseg evaluate --out DIR` writes it. */
function writeMethod(name: string, cases: Record<string, Record<string, Metrics>>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const table = {
    surface: 'voxel',
    tolerance: 1,
    percentile: 95,
    cases: Object.fromEntries(
      Object.entries(cases).map(([id, labels]) => [
        id,
        {
          reference: `ref/${id}.nii.gz`,
          prediction: `pred/${id}.nii.gz`,
          spacing: [1, 1, 1],
          labels: Object.fromEntries(Object.entries(labels).map(([l, m]) => [l, { ...m, specificity: 0.999, hd95: 1, empty: m.mssd === null }])),
        },
      ]),
    ),
  };
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(table));
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const good = { dice: 0.9, sensitivity: 0.95, mssd: 6, assd: 1, ravd: 0.02 }; // 50, 75, 80, 75, 80 → 72
const perfect = { dice: 1, sensitivity: 1, mssd: 0, assd: 0, ravd: 0 }; // 100
const empty = { dice: 0, sensitivity: 0, mssd: null, assd: null, ravd: 1 }; // 0
const a = writeMethod('A', { c1: { '1': good, '2': perfect }, c2: { '1': perfect, '2': perfect } }); // 86, 100
const b = writeMethod('B', { c1: { '1': good, '2': good }, c2: { '1': empty, '2': good } }); // 72, 36
const copy = writeMethod('Acopy', { c1: { '1': good, '2': perfect }, c2: { '1': perfect, '2': perfect } });

describe('pedseg rank', () => {
  it('ranks methods from cases.json with the Table 1 rules (json)', async () => {
    const r = await run(['rank', '--method', `A=${a}`, '--method', `B=${b}`, '--format', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.methods.map((m: { name: string; rank: number }) => [m.name, m.rank])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(json.methods[0].mean).toBeCloseTo(93, 10);
    expect(json.methods[0].std).toBeCloseTo(7, 10);
    expect(json.methods[1].caseScores.c1).toBeCloseTo(72, 10);
    expect(json.methods[1].caseScores.c2).toBeCloseTo(36, 10);
    expect(json.rules.mssd).toEqual({ best: 0, threshold: 30 });
  });

  it('prints a table, ties identical methods, and reads the JSON file path too', async () => {
    const r = await run(['rank', '--method', `A=${a}`, '--method', `B=${join(b, 'cases.json')}`, '--method', `Acopy=${copy}`]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^rank\s+method\s+score mean ± std\s+cases$/);
    expect(lines[1]).toMatch(/^1\s+A\s+93\.0 ± 7\.0\s+2$/);
    expect(lines[2]).toMatch(/^1\s+Acopy\s+93\.0 ± 7\.0\s+2$/);
    expect(lines[3]).toMatch(/^3\s+B\s+54\.0 ± 18\.0\s+2$/);
  });

  it('--robustness adds one column per Table S2 threshold (csv)', async () => {
    const r = await run(['rank', '--method', `A=${a}`, '--method', `B=${b}`, '--format', 'csv', '--robustness']);
    expect(r.code).toBe(0);
    const [header, first] = r.out.trim().split('\n');
    expect(header).toBe('rank,method,mean,std,cases,Dice75,Dice85,Sens75,Sens85,MSSD20,MSSD40,ASSD3,ASSD5,RAVD5,RAVD15');
    expect(first!.startsWith('1,A,')).toBe(true);
    expect(first!.endsWith(',1,1,1,1,1,1,1,1,1,1')).toBe(true);
  });

  it('--thresholds replaces the rule set and can bring its own alternatives', async () => {
    const file = join(root, 'thresholds.json');
    writeFileSync(file, JSON.stringify({ rules: { dice: 0.5 }, alternatives: [{ metric: 'dice', threshold: 0.8, label: 'Dice80' }] }));
    const r = await run(['rank', '--method', `A=${a}`, '--method', `B=${b}`, '--thresholds', file, '--format', 'json', '--robustness']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json.rules)).toEqual(['dice']);
    // A: c1 (80 + 100)/2 = 90, c2 100 → 95
    expect(json.methods[0].mean).toBeCloseTo(95, 10);
    expect(json.robustness.variants.map((v: { label: string }) => v.label)).toEqual(['Dice80']);
  });

  it('warns when methods were evaluated on different cases', async () => {
    const c = writeMethod('C', { c1: { '1': good } });
    const r = await run(['rank', '--method', `A=${a}`, '--method', `C=${c}`]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/different cases/);
  });

  it('usage errors exit 2, unreadable tables exit 1', async () => {
    expect((await run(['rank'])).code).toBe(2);
    expect((await run(['rank', '--method', 'A'])).code).toBe(2);
    expect((await run(['rank', '--method', `A=${a}`, '--method', `A=${b}`])).code).toBe(2);
    expect((await run(['rank', '--method', `A=${a}`, '--format', 'xml'])).code).toBe(2);
    const missing = await run(['rank', '--method', `A=${join(root, 'nope')}`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope/);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'cases.json'), JSON.stringify({ cases: { c1: { labels: { '1': { dice: 0.9 } } } } }));
    const incomplete = await run(['rank', '--method', `Bad=${bad}`]);
    expect(incomplete.code).toBe(1);
    expect(incomplete.err).toMatch(/sensitivity is missing/);
    const help = await run(['rank', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Table 1/);
  });
});
