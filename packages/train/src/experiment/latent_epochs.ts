import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFigure } from '../figures/write.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { TrainingCallback } from '../loop/types.js';
import { collectShapeCodes, embedLatent } from './latent_figures.js';
import type { LatentPoint, ShapeCodeTsneInput } from './latent_figures.js';
import { tsnePanelsSvg } from './tsne_panels.js';

/**
 * Folder of a fold holding the predictions' shape codes of each listed epoch (`epoch-<e>.json`). They
 * are kept on disk, not in memory, so a fold resumed after an interruption still has the epochs it
 * completed before.
 */
export const LATENT_EPOCHS_DIR = 'latent_codes';

/** One epoch's file in {@link LATENT_EPOCHS_DIR}. */
interface EpochCodes {
  readonly epoch: number;
  readonly codes: number[][];
  readonly points: Omit<LatentPoint, 'xy'>[];
}

/**
 * A training callback that, at the end of each listed 1-based epoch, encodes the network's current
 * predictions of the validation slices with the frozen shape encoder(s) (global max pooling, as
 * {@link collectShapeCodes}) and stores the codes in `DIR/latent_codes/epoch-<e>.json`.
 */
export function latentEpochsCallback(dir: string, input: Omit<ShapeCodeTsneInput, 'seed' | 'title'>, epochs: readonly number[]): TrainingCallback {
  return {
    async onEpochEnd({ record }) {
      const epoch = record.epoch + 1;
      if (!epochs.includes(epoch)) return;
      const { codes, points } = collectShapeCodes(input, ['prediction']);
      const file: EpochCodes = { epoch, codes, points: points.map((p) => ({ ...p, epoch })) };
      await writeFileAtomic(join(dir, LATENT_EPOCHS_DIR, `epoch-${epoch}.json`), JSON.stringify(file));
    },
  };
}

/**
 * The SPAR paper's Fig. 3 (convergence in latent shape space): the validation slices' ground-truth bone
 * masks (encoded once — the encoder is frozen) and the predictions stored by {@link latentEpochsCallback}
 * for each listed epoch, embedded together by one t-SNE (PCA to 50, perplexity 30, learning rate 200,
 * seeded; at most `TSNE_MAX_POINTS` codes, thinned evenly) so positions compare across epochs. Writes
 * `figures/tsne-shape-codes-epochs.svg` — one panel per epoch with the ground truth (circles) and that
 * epoch's predictions (crosses), one colour per bone — and every point as `.json` (predictions carry
 * their `epoch`). Epochs without a stored file (never reached) are left out.
 *
 * @returns the SVG path relative to `dir`, or null when no epoch was stored or there are fewer than 4 codes.
 */
export async function writeShapeCodeEpochsTsne(dir: string, input: ShapeCodeTsneInput, epochs: readonly number[]): Promise<string | null> {
  const truth = collectShapeCodes(input, ['truth']);
  const codes = [...truth.codes];
  const points = [...truth.points];
  const reached: number[] = [];
  for (const epoch of epochs) {
    let stored: EpochCodes;
    try {
      stored = JSON.parse(await readFile(join(dir, LATENT_EPOCHS_DIR, `epoch-${epoch}.json`), 'utf8')) as EpochCodes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    reached.push(epoch);
    codes.push(...stored.codes);
    points.push(...stored.points);
  }
  if (reached.length === 0) return null;
  const kept = embedLatent(codes, points, input.seed);
  if (kept === null) return null;
  const panels = reached.map((epoch) => ({ caption: `epoch ${epoch}`, points: kept.filter((p) => p.kind === 'truth' || p.epoch === epoch) }));
  const file = join('figures', 'tsne-shape-codes-epochs.svg');
  const svg = tsnePanelsSvg(panels, { title: `${input.title} — t-SNE of shape codes over epochs (○ truth, × prediction)`, shareAxes: true, crossKind: 'prediction' });
  await writeFigure(join(dir, file), svg);
  await writeFileAtomic(join(dir, 'figures', 'tsne-shape-codes-epochs.json'), JSON.stringify(kept));
  return file;
}
