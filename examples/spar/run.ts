/**
 * Shape priors based adversarial regularization (SPAR) — Table 1 of the SPAR paper: UNet × {base,
 * adversarial, shape priors, SPAR} on ankle (and, at paper scale, shoulder) phantoms.
 *
 *   pnpm example:spar -- --scale smoke [--folds N] [--epochs N] [--backend wasm] [--out DIR]
 */
import { join } from 'node:path';
import type { PhantomDomain } from '@pedseg/data';
import { ProgressBar, runExperiment, trainingPreset } from '@pedseg/train';
import type { ExperimentMethod } from '@pedseg/train';
import { firstFolds, parseExampleArgs, rejectUserData, startBackend } from '../_shared/cli.js';
import { methodRows, rankingTable, tableHeader, wilcoxonTable, writeMarkdown } from '../_shared/tables.js';

const args = parseExampleArgs('spar');
rejectUserData(args);
const backend = await startBackend(args);
const started = performance.now();

// Paper scale: §3.2 (UNet: Adam 1e-4, batch 32, 10 epochs, λ = 0.01; auto-encoder Adam 1e-2, 10 epochs).
const preset = trainingPreset('spar/unet');
const paper = args.scale === 'paper';
const joints: readonly PhantomDomain[] = paper ? ['ankle', 'shoulder'] : ['ankle'];
const scale = paper
  ? { cases: 10, shape: undefined, inputSize: [256, 256] as [number, number], depth: 4, filters: 32, batchSize: preset.batchSize, epochs: preset.epochs, learningRate: preset.learningRate, aeEpochs: trainingPreset('spar/auto-encoder').epochs }
  : { cases: 3, shape: [48, 48, 16] as [number, number, number], inputSize: [32, 32] as [number, number], depth: 2, filters: 8, batchSize: 4, epochs: 4, learningRate: 5e-3, aeEpochs: 1 };
const epochs = args.epochs ?? scale.epochs;
const folds = firstFolds(args.folds ?? (paper ? null : 1));

const METHODS: readonly (ExperimentMethod & { label: string })[] = [
  { name: 'base', label: 'Base UNet', procedure: 'baseline' },
  // Adversarial regularization and shape priors alone are the two terms of the combined procedure.
  { name: 'adversarial', label: 'Adv. Reg.', procedure: 'combined-regularization', lambda1: 0, lambda2: 0.01 },
  { name: 'shape-priors', label: 'Sh. Reg.', procedure: 'combined-regularization', lambda1: 0.1, lambda2: 0 },
  { name: 'spar', label: 'SPAR', procedure: 'spar', lambda: preset.lambdas['lambda'] ?? 0.01 },
];

const lines = [
  '# SPAR (UNet) on phantoms — Table 1 layout',
  '',
  `Scale \`${args.scale}\`, backend \`${backend}\`, ${epochs} epochs, ${folds === undefined ? 'all' : folds.length} leave-one-out fold(s), ` +
    `${scale.cases} phantom cases, ${scale.inputSize.join('×')} slices. The paper's values are quoted in examples/spar/README.md;`,
  'phantom results show the pipeline, not the paper\'s findings. "(k ∞)" counts bones predicted empty.',
  '',
];
for (const joint of joints) {
  console.log(`\n== ${joint}`);
  const report = await runExperiment(
    {
      name: `spar-${joint}`,
      outputDir: join(args.out, joint),
      seed: 5,
      data: { domain: joint, cases: scale.cases, ...(scale.shape !== undefined ? { shape: scale.shape } : {}) },
      network: { inputSize: scale.inputSize, depth: scale.depth, filters: scale.filters, attention: false },
      learningRate: scale.learningRate,
      batchSize: scale.batchSize,
      epochs,
      autoEncoderEpochs: scale.aeEpochs,
      ...(folds !== undefined ? { folds } : {}),
      methods: METHODS.map(({ label: _label, ...m }) => m),
    },
    { callbacks: [new ProgressBar()] },
  );
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
}
const seconds = (performance.now() - started) / 1000;
lines.push(`Run time ${seconds.toFixed(0)} s.`);
await writeMarkdown(join(args.out, 'RESULTS.md'), lines);
