import { parentPort } from 'node:worker_threads';
import { directedSurfaceDistances } from '@pedseg/metrics';
import { evaluatePair, pairOptions } from './evaluate-pair.js';
import { loadNifti } from './load.js';
import type { DirectedOutcome, DirectedTask, PairOutcome, PairTask } from './worker-protocol.js';

// Worker-thread entry of `pedseg evaluate`: scores whole pairs for a cohort, or one direction of the
// surface distances of a single pair while the main thread computes the other.
const port = parentPort;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function directed(task: DirectedTask): Promise<void> {
  try {
    const [reference, prediction] = await Promise.all([loadNifti(task.reference), loadNifti(task.prediction)]);
    const distances = directedSurfaceDistances(reference, prediction, task.direction, pairOptions(task.options));
    const transfer = Object.values(distances).flatMap((d) => (d.areas === undefined ? [d.distances.buffer] : [d.distances.buffer, d.areas.buffer]));
    port!.postMessage({ index: task.index, ok: true, distances } satisfies DirectedOutcome, transfer as ArrayBuffer[]);
  } catch (error) {
    port!.postMessage({ index: task.index, ok: false, message: message(error) } satisfies DirectedOutcome);
  }
}

if (port !== null) {
  port.on('message', (task: PairTask | DirectedTask) => {
    if (task.kind === 'directed') {
      void directed(task);
      return;
    }
    evaluatePair(task.reference, task.prediction, task.options).then(
      (result) => port.postMessage({ index: task.index, ok: true, result } satisfies PairOutcome),
      (error: unknown) => port.postMessage({ index: task.index, ok: false, message: message(error) } satisfies PairOutcome),
    );
  });
}
