/**
 * Multi-task, multi-domain learning with domain-specific layers and contrastive regularization — Tables
 * 1 and 2 of the DSL + contrastive paper: UNet and Att-UNet × {base (one network per joint), joint (one
 * shared network), DSL}, and UNet DSL + contrastive, on ankle and shoulder phantoms; two-sample
 * Kolmogorov–Smirnov tests of the 2D slice Dice of the proposed model against every other.
 *
 *   pnpm example:dsl-contrastive -- --scale smoke [--folds N] [--epochs N] [--data DIR [--layout folders]]
 *                                   [--domains ankle,shoulder] [--backend wasm] [--out DIR]
 */
import { join } from 'node:path';
import { ksTwoSample } from '@pedseg/metrics';
import { ProgressBar, runExperiment, trainingPreset } from '@pedseg/train';
import type { ExperimentConfig, ExperimentReport } from '@pedseg/train';
import { dataDescription, experimentData, exampleDomains, firstFolds, parseExampleArgs, startBackend } from '../_shared/cli.js';
import { methodRows, tableHeader, writeMarkdown } from '../_shared/tables.js';

const args = parseExampleArgs('dsl-contrastive');
const backend = await startBackend(args);
const started = performance.now();

// Paper scale: §3.2 (UNet DSL: Adam 1e-4, batch 32, 30 epochs, λ = 0.1, τ = 0.1).
const preset = trainingPreset('dsl-contrastive/unet');
const paper = args.scale === 'paper';
const JOINTS = exampleDomains(args, ['ankle', 'shoulder'], 2);
// Smoke: 48×48 phantoms of 16 slices, 4 cases per joint (2 training, 1 validation, 1 test per fold),
// batch-norm momentum 0.9 (Keras' 0.99 leaves the moving statistics near their initial values after a
// few hundred steps), 12 epochs.
const scale = paper
  ? { cases: 10, shape: undefined, inputSize: [256, 256] as [number, number], depth: 4, filters: 32, momentum: 0.99, batchSize: preset.batchSize, epochs: preset.epochs, learningRate: preset.learningRate }
  : { cases: 4, shape: [48, 48, 16] as [number, number, number], inputSize: [48, 48] as [number, number], depth: 2, filters: 8, momentum: 0.9, batchSize: 6, epochs: 12, learningRate: 5e-3 };
const phantoms = { cases: scale.cases, shape: scale.shape };
const epochs = args.epochs ?? scale.epochs;
const folds = firstFolds(args.folds ?? (paper ? null : 1));
const callbacks = [new ProgressBar()];
const common = { seed: 13, learningRate: scale.learningRate, epochs, ...(folds !== undefined ? { folds } : {}) };

/** Every method's report, pooled over the joints as `joint/bone` structures. */
const results: Record<string, ExperimentReport[]> = {};
const labels: Record<string, string> = {};
for (const [net, attention] of [['UNet', false], ['Att-UNet', true]] as const) {
  const network = { inputSize: scale.inputSize, depth: scale.depth, filters: scale.filters, attention, momentum: scale.momentum };
  // Base: one network per joint.
  const base: ExperimentReport[] = [];
  for (const joint of JOINTS) {
    console.log(`\n== ${net} base ${joint}`);
    const config: ExperimentConfig = {
      ...common,
      name: `${net}-base-${joint}`,
      outputDir: join(args.out, `${net}-base`, joint),
      data: experimentData(args, { domain: joint }, phantoms),
      network,
      procedure: 'baseline',
      batchSize: Math.max(2, Math.round(scale.batchSize / JOINTS.length)),
    };
    const r = await runExperiment(config, { callbacks });
    // Name the structures `joint/bone` like the multi-domain runs.
    base.push({ ...r, cases: r.cases.map((c) => ({ ...c, structures: Object.fromEntries(Object.entries(c.structures).map(([s, v]) => [`${joint}/${s}`, v])), sliceDice: Object.fromEntries(Object.entries(c.sliceDice ?? {}).map(([s, v]) => [`${joint}/${s}`, v])) })) });
  }
  results[`${net}-base`] = base;
  labels[`${net}-base`] = `${net} Base`;
  console.log(`\n== ${net} joint / DSL${attention ? '' : ' / DSL + contrastive'}`);
  const multi = await runExperiment(
    {
      ...common,
      name: `${net}-multi`,
      outputDir: join(args.out, `${net}-multi`),
      data: experimentData(args, { domains: JOINTS }, phantoms),
      network,
      procedure: 'multi-task',
      batchSize: scale.batchSize - (scale.batchSize % JOINTS.length) || JOINTS.length,
      lambda3: 0,
      methods: [
        { name: 'joint', domainStrategy: 'shared', lambda2: 0 },
        { name: 'dsl', domainStrategy: 'dsl', lambda2: 0 },
        // The proposed model: single-scale contrastive term on the bottleneck (λ = 0.1).
        ...(attention ? [] : [{ name: 'dsl-contrastive', domainStrategy: 'dsl' as const, lambda2: preset.lambdas['lambda'] ?? 0.1, multiScale: false }]),
      ],
    },
    { callbacks },
  );
  for (const [name, r] of Object.entries(multi.methods ?? {})) {
    results[`${net}-${name}`] = [r];
    labels[`${net}-${name}`] = name === 'dsl-contrastive' ? 'Proposed (UNet DSL + contrastive)' : `${net} ${name === 'joint' ? 'Joint' : 'DSL'}`;
  }
}
const seconds = (performance.now() - started) / 1000;

const pooled: Record<string, ExperimentReport> = Object.fromEntries(
  Object.entries(results).map(([k, rs]) => [k, { cases: rs.flatMap((r) => r.cases), summary: {} }]),
);
const sliceDice = (r: ExperimentReport): number[] => r.cases.flatMap((c) => Object.values(c.sliceDice ?? {}).flat());
const proposed = pooled['UNet-dsl-contrastive'];
const lines = [
  '# DSL + contrastive on phantoms — Tables 1 and 2 layout',
  '',
  `Scale \`${args.scale}\`, backend \`${backend}\`, ${epochs} epochs, ${folds === undefined ? 'all' : folds.length} fold(s), ${dataDescription(args, phantoms)}, ` +
    `${scale.inputSize.join('×')} slices; ${seconds.toFixed(0)} s. The paper's values are quoted in examples/dsl-contrastive/README.md.`,
  'Phantom results show the pipeline, not the paper\'s findings. "(k ∞)" counts bones predicted empty.',
  '',
];
for (const joint of JOINTS) {
  lines.push(`## ${joint}`, '', ...tableHeader('method'), ...methodRows(Object.keys(pooled).map((k) => ({ name: k, label: labels[k] ?? k })), pooled, (s) => s.startsWith(`${joint}/`)), '');
}
if (proposed !== undefined) {
  const ours = sliceDice(proposed);
  lines.push('## Kolmogorov–Smirnov tests on 2D slice Dice (proposed vs each method, both joints pooled)', '', '| method | mean slice Dice (%) | slices | KS statistic | p-value |', '| --- | --- | --- | --- | --- |');
  for (const [k, r] of Object.entries(pooled)) {
    const theirs = sliceDice(r);
    const mean = theirs.length > 0 ? (100 * theirs.reduce((a, b) => a + b, 0)) / theirs.length : NaN;
    if (k === 'UNet-dsl-contrastive' || theirs.length === 0 || ours.length === 0) {
      lines.push(`| ${labels[k]} | ${mean.toFixed(1)} | ${theirs.length} | — | — |`);
      continue;
    }
    const ks = ksTwoSample(ours, theirs);
    lines.push(`| ${labels[k]} | ${mean.toFixed(1)} | ${theirs.length} | ${ks.statistic.toFixed(3)} | ${ks.pValue.toPrecision(3)} |`);
  }
  lines.push('');
}
await writeMarkdown(join(args.out, 'RESULTS.md'), lines);
