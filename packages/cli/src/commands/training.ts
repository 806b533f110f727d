import type * as Training from '@pedseg/train';
import type { Command, CommandIo } from '../command.js';

type TrainModule = typeof Training;
type TrainCommandName = 'trainCommand' | 'predictCommand' | 'reportCommand';

// tfjs and the training stack are loaded only when one of these commands runs, so that
// `pedseg evaluate` and `pedseg postprocess` start as fast as a tfjs-free process.
async function loadTraining(io: CommandIo, needsBackend: boolean): Promise<TrainModule> {
  if (needsBackend) {
    const { initBackend } = await import('@pedseg/core');
    const chosen = await initBackend();
    io.stderr(`pedseg: backend ${chosen.backend} (${chosen.reason})\n`);
  }
  return import('@pedseg/train');
}

function lazyCommand(name: string, summary: string, key: TrainCommandName, needsBackend: boolean): Command {
  return {
    name,
    summary,
    async run(argv, io) {
      const training = await loadTraining(io, needsBackend);
      return training[key].run(argv, io);
    },
  };
}

/** `pedseg train --config FILE [--fold I] [--output DIR] [--data DIR]`: runs a leave-one-out experiment (`--data` sets `data.dir`, on-disk datasets). */
export const trainCommand: Command = lazyCommand(
  'train',
  'run a leave-one-out experiment from a JSON config (one fold with --fold I)',
  'trainCommand',
  true,
);

/** `pedseg predict --model DIR --input IMAGE --output LABELS [--domain NAME]`: segments a NIfTI image. */
export const predictCommand: Command = lazyCommand(
  'predict',
  'predict a 3D label map from a NIfTI image with a saved model',
  'predictCommand',
  true,
);

/** `pedseg report RUN_DIR`: merges fold outputs into per-case and summary tables. */
export const reportCommand: Command = lazyCommand(
  'report',
  'merge the fold outputs of a run directory into per-case and summary tables',
  'reportCommand',
  false,
);
