/**
 * Shape priors based adversarial regularization (SPAR) — Table 1 of the SPAR paper: UNet × {base,
 * adversarial, shape priors, SPAR} on shoulder (at paper scale, ankle and shoulder) phantoms or the user's
 * datasets; and Fig. 3: the convergence of the predicted masks towards the ground truth in the latent
 * shape space over the epochs (t-SNE of the frozen shape encoder's codes) for shape priors and SPAR.
 *
 *   pnpm example:spar -- --scale smoke [--folds N] [--epochs N] [--data DIR [--layout folders|msd]]
 *                        [--domains ankle,shoulder] [--backend wasm] [--out DIR]
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProgressBar, runExperiment, trainingPreset, writeFigure } from '@pedseg/train';
import type { ExperimentConfig, ExperimentMethod } from '@pedseg/train';
import { dataDescription, experimentData, exampleDomains, firstFolds, parseExampleArgs, startBackend } from '../_shared/cli.js';
import { svgGrid } from '../_shared/figures.js';
import { methodRows, rankingTable, tableHeader, wilcoxonTable, writeMarkdown } from '../_shared/tables.js';

const args = parseExampleArgs('spar');
const backend = await startBackend(args);
const started = performance.now();

// Paper scale: §3.2 (UNet: Adam 1e-4, batch 32, 10 epochs, λ = 0.01; auto-encoder Adam 1e-2, 10 epochs).
// Smoke: shoulder (its two large bones are learnt in minutes; the ankle's talus and tibia are not —
// `--domains ankle` shows it), 64×64 phantoms of 24 slices, 4 cases (2 training, 1 validation, 1 test
// per fold), batch-norm momentum 0.9 (Keras' 0.99 leaves the moving statistics near their initial
// values after a few hundred steps), 15 epochs.
const preset = trainingPreset('spar/unet');
const paper = args.scale === 'paper';
const joints = exampleDomains(args, paper ? ['ankle', 'shoulder'] : ['shoulder']);
const scale = paper
  ? { cases: 10, shape: undefined, inputSize: [256, 256] as [number, number], depth: 4, filters: 32, momentum: 0.99, batchSize: preset.batchSize, epochs: preset.epochs, learningRate: preset.learningRate, aeEpochs: trainingPreset('spar/auto-encoder').epochs, codeDistance: 'sum' as const }
  : { cases: 4, shape: [64, 64, 24] as [number, number, number], inputSize: [64, 64] as [number, number], depth: 2, filters: 8, momentum: 0.9, batchSize: 6, epochs: 15, learningRate: 5e-3, aeEpochs: 3, codeDistance: 'mean' as const };
const epochs = args.epochs ?? scale.epochs;
const folds = firstFolds(args.folds ?? (paper ? null : 1));
const phantoms = { cases: scale.cases, shape: scale.shape };
// Fig. 3 shows epochs 1–5 and 10 of a 10-epoch schedule; smoke shows a few epochs of its own.
const FIGURE_EPOCHS = (paper ? [1, 2, 3, 4, 5] : [1, 3, 6, 10]).filter((e) => e < epochs);

const METHODS: readonly (ExperimentMethod & { label: string })[] = [
  { name: 'base', label: 'Base UNet', procedure: 'baseline' },
  // Adversarial regularization and shape priors alone are the two terms of the combined procedure.
  { name: 'adversarial', label: 'Adv. Reg.', procedure: 'combined-regularization', lambda1: 0, lambda2: 0.01 },
  { name: 'shape-priors', label: 'Sh. Reg.', procedure: 'combined-regularization', lambda1: 0.1, lambda2: 0 },
  { name: 'spar', label: 'SPAR', procedure: 'spar', lambda: preset.lambdas['lambda'] ?? 0.01 },
];
const CONVERGENCE = ['shape-priors', 'spar'];

const lines = [
  '# SPAR (UNet) — Table 1 layout and Fig. 3',
  '',
  `Scale \`${args.scale}\`, backend \`${backend}\`, ${epochs} epochs, ${folds === undefined ? 'all' : folds.length} leave-one-out fold(s), ` +
    `${dataDescription(args, phantoms)}, ${scale.inputSize.join('×')} slices. The paper's values are quoted in examples/spar/README.md;`,
  'phantom results show the pipeline, not the paper\'s findings. "(k ∞)" counts bones predicted empty.',
  '',
];
for (const joint of joints) {
  console.log(`\n== ${joint}`);
  const { methods: _m, ...base }: ExperimentConfig = {
    name: `spar-${joint}`,
    outputDir: join(args.out, joint),
    seed: 5,
    data: experimentData(args, { domain: joint }, phantoms),
    network: { inputSize: scale.inputSize, depth: scale.depth, filters: scale.filters, attention: false, momentum: scale.momentum },
    learningRate: scale.learningRate,
    batchSize: scale.batchSize,
    epochs,
    autoEncoderEpochs: scale.aeEpochs,
    codeDistance: scale.codeDistance,
    ...(folds !== undefined ? { folds } : {}),
  };
  // Fig. 3: train shape priors and SPAR in stages into the very folders the comparison below uses; each
  // stage resumes from the previous one's last checkpoint and writes the fold's shape-code t-SNE (best
  // weights so far), which is kept per epoch. The comparison then resumes them to the full schedule.
  const convergenceDir = join(args.out, joint, 'latent-over-epochs');
  const stages: Record<string, string[]> = {};
  for (const name of CONVERGENCE) {
    const { label: _label, ...method } = METHODS.find((m) => m.name === name) as ExperimentMethod & { label: string };
    stages[name] = [];
    for (const e of FIGURE_EPOCHS) {
      console.log(`\n== ${joint}: ${name}, epoch ${e}`);
      const outputDir = join(base.outputDir, name);
      await runExperiment({ ...base, ...method, outputDir, epochs: e }, { callbacks: [new ProgressBar()] });
      const fold = folds?.[0] ?? 0;
      const figure = join(outputDir, `fold-${fold}`, 'figures', 'tsne-shape-codes.svg');
      const kept = join(convergenceDir, `${name}-epoch-${e}.svg`);
      await mkdir(convergenceDir, { recursive: true });
      const copied = await copyFile(figure, kept).then(
        () => true,
        () => false,
      );
      if (copied) stages[name]?.push(kept);
    }
  }
  const report = await runExperiment({ ...base, methods: METHODS.map(({ label: _label, ...m }) => m) }, { callbacks: [new ProgressBar()] });
  lines.push(
    `## ${joint}`,
    '',
    ...tableHeader('method'),
    ...methodRows(METHODS.map((m) => ({ name: m.name, label: m.label })), report.methods ?? {}, () => true),
    '',
    ...rankingTable(report),
    '',
    ...wilcoxonTable(report),
    '',
  );
  // The final epoch's figure, written by the comparison run.
  const rows: string[][] = [];
  for (const name of CONVERGENCE) {
    const final = join(base.outputDir, name, `fold-${folds?.[0] ?? 0}`, 'figures', 'tsne-shape-codes.svg');
    const figures = [...(stages[name] ?? []), final];
    const svgs = (await Promise.all(figures.map((f) => readFile(f, 'utf8').catch(() => null)))).filter((s): s is string => s !== null);
    if (svgs.length > 0) rows.push(svgs);
  }
  if (rows.length > 0) {
    await writeFigure(join(convergenceDir, 'convergence.svg'), svgGrid(rows, CONVERGENCE.map((n) => METHODS.find((m) => m.name === n)?.label ?? n)));
    lines.push(
      `### Fig. 3 layout: convergence in the latent shape space (${joint})`,
      '',
      `Rows: ${CONVERGENCE.map((n) => METHODS.find((m) => m.name === n)?.label ?? n).join(', ')}; columns: after epochs ${[...FIGURE_EPOCHS, epochs].join(', ')}`,
      '(best-on-validation weights up to that epoch). Each point is one 2D bone mask of the test case — circles ground truth,',
      "crosses prediction — projected by the frozen shape encoder, global-max-pooled and embedded by t-SNE; predictions",
      'converging on the ground-truth clusters is what the paper shows.',
      '',
      `![convergence in latent shape space](${joint}/latent-over-epochs/convergence.svg)`,
      '',
    );
  } else {
    lines.push(`(No shape-code t-SNE was written for ${joint}: the runner writes \`figures/tsne-shape-codes.svg\` only when a test mask is non-empty.)`, '');
  }
}
const seconds = (performance.now() - started) / 1000;
lines.push(`Run time ${seconds.toFixed(0)} s.`);
await writeMarkdown(join(args.out, 'RESULTS.md'), lines);
console.log(`done in ${seconds.toFixed(0)} s`);
