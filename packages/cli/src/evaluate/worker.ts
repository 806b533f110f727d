import { parentPort } from 'node:worker_threads';
import { evaluatePair } from './evaluate-pair.js';
import type { PairOutcome, PairTask } from './worker-protocol.js';

// Worker-thread entry of `pedseg evaluate --reference-dir`: scores one pair per message.
const port = parentPort;
if (port !== null) {
  port.on('message', (task: PairTask) => {
    evaluatePair(task.reference, task.prediction, task.options).then(
      (result) => port.postMessage({ index: task.index, ok: true, result } satisfies PairOutcome),
      (error: unknown) =>
        port.postMessage({ index: task.index, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies PairOutcome),
    );
  });
}
