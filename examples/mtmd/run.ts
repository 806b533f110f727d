/**
 * Multi-task, multi-domain learning with multi-scale contrastive regularization (MSC) and multi-joint
 * anatomical priors (MJAP) — the Att-UNet learning schemes of Table 2 of the MTMD paper, on ankle,
 * knee and shoulder phantoms (or the user's datasets); then the analysis of the learnt shared
 * representations (Table 5: intra-/inter-domain cosine similarity; Fig. 8: t-SNE of every embedding
 * scale) and the attention maps of the proposed scheme (Fig. 7).
 *
 *   pnpm example:mtmd -- --scale smoke [--folds N] [--epochs N] [--data DIR [--layout folders|msd]]
 *                        [--domains ankle,knee,shoulder] [--backend wasm] [--out DIR]
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProgressBar, runExperiment, trainingPreset } from '@pedseg/train';
import type { ExperimentConfig, ExperimentMethod, ExperimentReport, ExperimentTransfer } from '@pedseg/train';
import type { CosineSimilarityAnalysis } from '@pedseg/metrics';
import { dataDescription, experimentData, exampleDomains, firstFolds, parseExampleArgs, startBackend } from '../_shared/cli.js';
import { methodRows, paperRow, rankingTable, tableHeader, wilcoxonTable, writeMarkdown } from '../_shared/tables.js';
import type { PaperRow } from '../_shared/tables.js';
import { methodEmbeddings, similarityByScale, writeScaleTsne } from './representations.js';
import type { ScaleEmbeddings } from './representations.js';

const args = parseExampleArgs('mtmd');
const backend = await startBackend(args);
const started = performance.now();
const JOINTS = exampleDomains(args, ['ankle', 'knee', 'shoulder'], 2);

// Paper scale: Table 1 of the paper (Att-UNet: Adam 5e-4, batch 18, 6 epochs, λ2 = 0.5, λ3 = 0.1).
const preset = trainingPreset('mtmd/att-unet');
// Smoke: 48×48 phantoms of 16 slices, 4 cases per joint (2 training, 1 validation, 1 test per fold),
// batch-norm momentum 0.9 (the Keras default 0.99 leaves the moving statistics near their initial
// values after a few hundred steps), 10 epochs for each of the 16 trainings: enough for the large
// bones, not for the small ones. MJAP on the mean squared code difference: Eq. 7's sum over the code map
// is hundreds of times the cross-entropy at this size (paper scale keeps the sum).
const scale =
  args.scale === 'paper'
    ? { cases: 10, shape: undefined, inputSize: [256, 256] as [number, number], depth: 4, filters: 32, momentum: 0.99, batchSize: preset.batchSize, epochs: preset.epochs, learningRate: preset.learningRate, aeEpochs: trainingPreset('mtmd/auto-encoder').epochs, pairs: 100_000, codeDistance: 'sum' as const }
    : { cases: 4, shape: [48, 48, 16] as [number, number, number], inputSize: [48, 48] as [number, number], depth: 2, filters: 8, momentum: 0.9, batchSize: 6, epochs: 10, learningRate: 5e-3, aeEpochs: 2, pairs: 10_000, codeDistance: 'mean' as const };
const epochs = args.epochs ?? scale.epochs;
const folds = firstFolds(args.folds ?? (args.scale === 'smoke' ? 1 : null));
const phantoms = { cases: scale.cases, shape: scale.shape };

/** Table 2 of the paper (Att-UNet), per joint. */
const PAPER: Record<string, Partial<Record<string, PaperRow>>> = {
  individual: { ankle: paperRow('88.2 ± 1.9 88.1 ± 5.4 99.8 ± 0.1 17.9 ± 10.8 1.9 ± 1.1 14.1 ± 4.6'), knee: paperRow('91.1 ± 3.6 88.9 ± 5.5 99.9 ± 0.1 16.5 ± 12.1 1.6 ± 1.5 10.7 ± 6.1'), shoulder: paperRow('80.9 ± 10.1 77.7 ± 14.9 99.9 ± 0.1 26.9 ± 14.1 2.4 ± 1.8 15.2 ± 16.7') },
  'transfer-ankle': { knee: paperRow('92.8 ± 2.9 91.1 ± 3.3 99.9 ± 0.1 12.4 ± 10.3 1.0 ± 0.9 7.6 ± 5.4'), shoulder: paperRow('82.6 ± 8.8 79.8 ± 12.5 99.9 ± 0.1 26.9 ± 17.2 2.2 ± 1.8 17.0 ± 10.1') },
  'transfer-knee': { ankle: paperRow('89.5 ± 5.7 88.3 ± 6.0 99.9 ± 0.1 12.6 ± 10.2 1.6 ± 1.7 14.0 ± 10.9'), shoulder: paperRow('83.3 ± 10.1 80.5 ± 12.5 99.9 ± 0.1 24.0 ± 14.3 2.1 ± 2.4 13.7 ± 13.2') },
  'transfer-shoulder': { ankle: paperRow('89.3 ± 4.2 87.5 ± 6.5 99.9 ± 0.1 11.6 ± 5.0 1.3 ± 0.6 12.9 ± 8.6'), knee: paperRow('92.5 ± 2.4 90.7 ± 4.0 99.9 ± 0.1 13.1 ± 11.3 1.0 ± 0.8 7.8 ± 4.5') },
  shared: { ankle: paperRow('88.8 ± 2.5 87.6 ± 6.3 99.9 ± 0.1 13.4 ± 8.1 1.5 ± 0.8 12.5 ± 7.0'), knee: paperRow('91.7 ± 3.2 88.5 ± 4.8 99.9 ± 0.1 12.5 ± 9.0 1.4 ± 1.4 9.5 ± 6.0'), shoulder: paperRow('80.1 ± 9.6 76.6 ± 12.9 99.9 ± 0.1 28.1 ± 12.2 2.7 ± 1.8 18.3 ± 12.4') },
  'shared-mjap': { ankle: paperRow('89.6 ± 1.6 90.6 ± 5.3 99.8 ± 0.1 13.4 ± 4.2 1.3 ± 0.3 13.1 ± 4.9'), knee: paperRow('93.6 ± 1.8 91.9 ± 3.1 99.9 ± 0.1 7.9 ± 8.4 0.8 ± 0.9 6.4 ± 3.1'), shoulder: paperRow('80.7 ± 9.0 79.2 ± 12.3 99.9 ± 0.1 25.0 ± 15.6 2.3 ± 1.8 19.4 ± 12.0') },
  dsl: { ankle: paperRow('90.6 ± 2.3 88.5 ± 4.6 99.9 ± 0.1 11.0 ± 7.4 1.2 ± 0.8 10.9 ± 5.6'), knee: paperRow('93.3 ± 2.5 92.8 ± 3.5 99.9 ± 0.1 12.8 ± 12.1 1.1 ± 1.3 6.0 ± 4.0'), shoulder: paperRow('80.9 ± 7.3 77.6 ± 11.6 99.9 ± 0.1 34.4 ± 19.1 3.3 ± 2.3 19.4 ± 12.2') },
  'dsl-mjap': { ankle: paperRow('90.9 ± 1.9 89.1 ± 4.6 99.9 ± 0.1 12.7 ± 9.2 1.3 ± 1.2 10.5 ± 4.4'), knee: paperRow('93.8 ± 2.5 93.0 ± 4.2 99.9 ± 0.1 9.4 ± 5.9 0.7 ± 0.4 6.8 ± 4.1'), shoulder: paperRow('81.4 ± 9.0 79.2 ± 14.3 99.9 ± 0.1 31.0 ± 18.5 2.5 ± 2.2 15.7 ± 12.2') },
  'dsl-ssc': { ankle: paperRow('90.6 ± 2.1 87.7 ± 4.9 99.9 ± 0.1 9.0 ± 3.0 1.0 ± 0.3 11.3 ± 4.7'), knee: paperRow('93.7 ± 1.6 92.8 ± 2.3 99.9 ± 0.1 11.3 ± 8.9 1.1 ± 1.2 6.4 ± 3.7'), shoulder: paperRow('81.3 ± 9.1 78.1 ± 12.2 99.9 ± 0.1 25.4 ± 13.7 2.7 ± 2.7 17.1 ± 13.3') },
  'dsl-msc': { ankle: paperRow('91.5 ± 2.0 90.7 ± 4.7 99.9 ± 0.1 9.7 ± 3.7 1.0 ± 0.3 9.6 ± 4.2'), knee: paperRow('94.3 ± 2.0 93.2 ± 3.9 99.9 ± 0.1 8.9 ± 9.7 0.8 ± 0.7 5.5 ± 4.0'), shoulder: paperRow('82.1 ± 8.0 79.8 ± 9.1 99.9 ± 0.1 27.5 ± 11.6 2.7 ± 1.8 15.6 ± 13.1') },
  'dsl-msc-mjap': { ankle: paperRow('91.8 ± 1.8 90.7 ± 4.8 99.9 ± 0.1 9.0 ± 2.9 0.9 ± 0.3 8.8 ± 4.7'), knee: paperRow('94.3 ± 1.4 92.5 ± 2.5 99.9 ± 0.1 5.6 ± 2.1 0.5 ± 0.2 5.9 ± 3.0'), shoulder: paperRow('84.9 ± 6.3 82.9 ± 9.2 99.9 ± 0.1 17.6 ± 8.0 1.5 ± 1.1 13.5 ± 10.5') },
};

/** The multi-domain learning schemes (one network for the three joints). */
const MULTI: readonly (ExperimentMethod & { label: string })[] = [
  { name: 'shared', label: 'Shared', domainStrategy: 'shared', lambda2: 0, lambda3: 0 },
  { name: 'shared-mjap', label: 'Shared + MJAP', domainStrategy: 'shared', lambda2: 0 },
  { name: 'dsl', label: 'DSL', domainStrategy: 'dsl', lambda2: 0, lambda3: 0 },
  { name: 'dsl-mjap', label: 'DSL + MJAP', domainStrategy: 'dsl', lambda2: 0 },
  { name: 'dsl-ssc', label: 'DSL + SSC', domainStrategy: 'dsl', multiScale: false, lambda3: 0 },
  { name: 'dsl-msc', label: 'DSL + MSC', domainStrategy: 'dsl', multiScale: true, lambda3: 0 },
  { name: 'dsl-msc-mjap', label: 'DSL + MSC + MJAP', domainStrategy: 'dsl', multiScale: true },
];

const common = {
  seed: 11,
  network: { inputSize: scale.inputSize, depth: scale.depth, filters: scale.filters, attention: true, momentum: scale.momentum },
  learningRate: scale.learningRate,
  epochs,
  autoEncoderEpochs: scale.aeEpochs,
  codeDistance: scale.codeDistance,
  ...(folds !== undefined ? { folds } : {}),
};
const callbacks = [new ProgressBar()];
// Single-domain runs see a third of a multi-domain batch (the multi-domain batch holds every joint).
const singleBatch = Math.max(2, Math.round(scale.batchSize / JOINTS.length));

// Individual: one Att-UNet per joint, trained on that joint only (CE, the papers' baseline).
const individual: Record<string, ExperimentReport> = {};
for (const joint of JOINTS) {
  console.log(`\n== individual ${joint}`);
  const config: ExperimentConfig = {
    ...common,
    name: `individual-${joint}`,
    outputDir: join(args.out, 'individual', joint),
    data: experimentData(args, { domain: joint }, phantoms),
    procedure: 'baseline',
    batchSize: singleBatch,
  };
  individual[joint] = await runExperiment(config, { callbacks });
}

// Transfer: pre-trained on another joint, fine-tuned on this one (`transfer` of runExperiment).
const transfer: Record<string, ExperimentReport> = {};
for (const joint of JOINTS) {
  for (const from of JOINTS.filter((j) => j !== joint)) {
    console.log(`\n== transfer ${from} → ${joint}`);
    transfer[`${from}->${joint}`] = await runExperiment(
      {
        ...common,
        name: `transfer-${from}-${joint}`,
        outputDir: join(args.out, 'transfer', `${from}-to-${joint}`),
        data: experimentData(args, { domain: joint }, phantoms),
        procedure: 'baseline',
        transfer: { from, to: joint } as ExperimentTransfer,
        batchSize: singleBatch,
      },
      { callbacks },
    );
  }
}

console.log('\n== multi-domain schemes');
const multiConfig: ExperimentConfig = {
  ...common,
  name: 'mtmd',
  outputDir: join(args.out, 'multi-domain'),
  data: experimentData(args, { domains: JOINTS }, phantoms),
  procedure: 'multi-task',
  batchSize: scale.batchSize - (scale.batchSize % JOINTS.length) || JOINTS.length,
  lambda2: preset.lambdas['lambda2'] ?? 0.5,
  lambda3: preset.lambdas['lambda3'] ?? 0.1,
  methods: MULTI.map(({ label: _label, ...m }) => m),
};
const multi = await runExperiment(multiConfig, { callbacks });
const trained = (performance.now() - started) / 1000;

// Table 5 and Fig. 8: the shared representations of Shared, DSL, DSL + SSC and DSL + MSC (fold 0).
console.log('\n== learnt shared representations');
const ANALYSED = ['shared', 'dsl', 'dsl-ssc', 'dsl-msc'];
const analysed: { name: string; label: string; embeddings: ScaleEmbeddings; similarity: CosineSimilarityAnalysis[] }[] = [];
const multiReports = multi.methods ?? {};
const representationDir = join(args.out, 'representations');
if (folds === undefined || folds.includes(0)) {
  for (const name of ANALYSED) {
    const r = multiReports[name];
    if (r === undefined) continue;
    const embeddings = await methodEmbeddings(multiConfig, name, r);
    analysed.push({ name, label: MULTI.find((m) => m.name === name)?.label ?? name, embeddings, similarity: similarityByScale(embeddings, scale.pairs, 11) });
  }
}
const tsneGrid = analysed.length > 0 ? await writeScaleTsne(representationDir, analysed, 11) : null;
const seconds = (performance.now() - started) / 1000;

// Individual runs score structures as `bone`; multi-domain runs as `joint/bone`. The table pools each
// joint's bones.
const reports: Record<string, ExperimentReport> = { ...multiReports };
const lines = [
  '# MTMD (Att-UNet) — Table 2 layout, Table 5 and Figs. 7–8',
  '',
  `Scale \`${args.scale}\`, backend \`${backend}\`, ${epochs} epochs, ${folds === undefined ? 'all' : folds.length} lock-step leave-one-out fold(s), ` +
    `${dataDescription(args, phantoms)}, ${scale.inputSize.join('×')} slices; ${trained.toFixed(0)} s of training and evaluation, ${seconds.toFixed(0)} s in all.`,
  '',
  "Rows in italics are the paper's Table 2 (real pediatric MR, full-size Att-UNet, all folds). Ours come",
  'from the data above and, at smoke scale, a tiny network trained for minutes: compare the',
  'pipeline, not the numbers. "(k ∞)" counts bones with an empty prediction (infinite surface distance).',
  'Transfer rows: pre-trained on the named joint, then fine-tuned on this one (same epochs for both stages).',
  '',
];
for (const joint of JOINTS) {
  lines.push(`## ${joint}`, '', ...tableHeader('method'));
  const indiv = individual[joint];
  if (indiv !== undefined) lines.push(...methodRows([{ name: 'i', label: 'Individual', paper: PAPER['individual']?.[joint] }], { i: indiv }, () => true));
  for (const from of JOINTS.filter((j) => j !== joint)) {
    const t = transfer[`${from}->${joint}`];
    const name = `transfer-${from}`;
    if (t !== undefined) lines.push(...methodRows([{ name, label: `Transfer from ${from}`, paper: PAPER[name]?.[joint] }], { [name]: t }, () => true));
  }
  lines.push(
    ...methodRows(
      MULTI.map((m) => ({ name: m.name, label: m.label, paper: PAPER[m.name]?.[joint] })),
      reports,
      (s) => s.startsWith(`${joint}/`),
    ),
    '',
  );
}
lines.push('## Ranking of the multi-domain schemes', '', ...rankingTable(multi), '', '![radar](multi-domain/radar.svg)', '');
lines.push('## Wilcoxon signed-rank tests on 2D slice Dice', '', ...wilcoxonTable(multi), '');

if (analysed.length > 0) {
  const first = analysed[0] as (typeof analysed)[number];
  const scales = first.embeddings.vectors.length;
  // The paper's Table 5 scales: encoder first level, bottleneck, decoder last level.
  const shown = [0, (scales - 1) / 2, scales - 1];
  const within = first.similarity[0]?.within.map((w) => w.group) ?? [];
  const between = first.similarity[0]?.between.map((b) => `${b.groupA}–${b.groupB}`) ?? [];
  const cell = (v: { mean: number; std: number } | undefined): string => (v === undefined ? 'n/a' : `${v.mean.toFixed(2)} ± ${v.std.toFixed(2)}`);
  lines.push(
    '## Table 5 layout: cosine similarity of the learnt shared representations',
    '',
    `GAP embeddings z_s of the Att-UNet at scales s1 (encoder first level), s${(scales + 1) / 2} (bottleneck) and s${scales} (decoder last level),`,
    `on the ${first.embeddings.domains.length} non-empty training and validation slices of fold 0; mean ± std over ${scale.pairs.toLocaleString('en')} random pairs`,
    'within each domain (intra) and between two domains (inter). Every scale is in `representations/cosine-similarity.csv`.',
    '',
    `| scheme | scale | ${within.map((g) => `intra ${g}`).join(' | ')} | ${between.map((g) => `inter ${g}`).join(' | ')} |`,
    `| --- | --- | ${within.map(() => '---').join(' | ')} | ${between.map(() => '---').join(' | ')} |`,
  );
  const csv = ['scheme,scale,kind,groups,mean,std,pairs'];
  for (const a of analysed) {
    a.similarity.forEach((sim, s) => {
      for (const w of sim.within) csv.push(`${a.name},s${s + 1},intra,${w.group},${w.mean},${w.std},${w.pairs}`);
      for (const b of sim.between) csv.push(`${a.name},s${s + 1},inter,${b.groupA}-${b.groupB},${b.mean},${b.std},${b.pairs}`);
      if (!shown.includes(s)) return;
      lines.push(
        `| ${a.label} | s${s + 1} | ${within.map((g) => cell(sim.within.find((w) => w.group === g))).join(' | ')} | ` +
          `${between.map((g) => cell(sim.between.find((b) => `${b.groupA}–${b.groupB}` === g))).join(' | ')} |`,
      );
    });
  }
  await writeMarkdown(join(representationDir, 'cosine-similarity.csv'), csv);
  lines.push(
    '',
    "The paper's Table 5 (real MR, depth-4 Att-UNet, scales s1 / s5 / s9) is summarized in its text: with the shared",
    'scheme the inter-domain similarity is high (mean > 0.58, std > 0.06: entangled domains); MSC raises the',
    'intra-domain similarity at every scale (> 0.98) and lowers the inter-domain one (< 0.47; < 0.34 at s1 and s5,',
    '> 0.39 at s9); SSC separates the domains at the bottleneck only.',
    '',
    '## Fig. 8 layout: t-SNE of every embedding scale',
    '',
    `Rows: ${analysed.map((a) => a.label).join(', ')}; columns: z_s1 … z_s${scales} (PCA to 50 dimensions, perplexity 30 — less for few`,
    'slices — learning rate 200); one colour per domain, crosses for validation slices.',
    '',
    `![t-SNE of every scale](representations/${tsneGrid ?? ''})`,
    '',
  );
}

// Fig. 7: the finest attention gate of the proposed scheme on each joint's test slice.
const attentionFigures = await readdir(join(args.out, 'multi-domain', 'dsl-msc-mjap', 'fold-0', 'figures')).catch(() => [] as string[]);
const attention = attentionFigures.filter((f) => f.startsWith('attention-')).sort();
if (attention.length > 0) {
  lines.push(
    '## Fig. 7 layout: attention maps of DSL + MSC + MJAP',
    '',
    'Coefficients of the finest multi-domain attention gate, up-sampled to the slice, over the middle test slice of each joint (fold 0).',
    '',
    ...attention.map((f) => `![${f}](multi-domain/dsl-msc-mjap/fold-0/figures/${f})`),
    '',
  );
}
lines.push(
  '## Not reproduced here',
  '',
  '- the pre-trained Inception / Dense / Efficient-UNet backbones (Table 3; `network.backbone` of `runExperiment` builds them,',
  '  but without ImageNet weights on disk their encoders start random, which is not what the table measures);',
  "- the multi-joint auto-encoder's own t-SNE rows of Fig. 8 (the runner writes the auto-encoder codes' t-SNE of each MJAP",
  '  scheme into `multi-domain/<scheme>/fold-0/figures/`).',
  '',
);
await writeMarkdown(join(args.out, 'RESULTS.md'), lines);
console.log(`done in ${seconds.toFixed(0)} s`);
