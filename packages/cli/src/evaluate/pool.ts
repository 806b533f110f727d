import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EvaluationJson } from '@pedseg/metrics';
import type { CohortCase } from './cohort-files.js';
import { evaluatePair } from './evaluate-pair.js';
import type { PairOptions } from './evaluate-pair.js';
import type { PairOutcome, PairTask } from './worker-protocol.js';
import { builtWorkerPath } from './worker-path.js';

async function inProcess(cases: readonly CohortCase[], options: PairOptions): Promise<EvaluationJson[]> {
  const out: EvaluationJson[] = [];
  for (const c of cases) {
    try {
      out.push(await evaluatePair(c.reference, c.prediction, options));
    } catch (error) {
      throw new Error(`case ${c.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return out;
}

/**
 * Scores every case, on up to `jobs` worker threads (default: the available cores). The first failing
 * case rejects with its message, prefixed by the case id.
 */
export async function evaluateCases(cases: readonly CohortCase[], options: PairOptions, jobs?: number): Promise<EvaluationJson[]> {
  const workerPath = builtWorkerPath();
  const threads = Math.min(jobs ?? availableParallelism(), cases.length);
  if (workerPath === null || threads <= 1) return inProcess(cases, options);
  const results: EvaluationJson[] = new Array(cases.length);
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const feed = (worker: Worker): void => {
        if (next >= cases.length) return;
        const c = cases[next]!;
        const task: PairTask = { index: next++, reference: c.reference, prediction: c.prediction, options };
        worker.postMessage(task);
      };
      for (let w = 0; w < threads; w++) {
        const worker = new Worker(workerPath);
        workers.push(worker);
        worker.on('message', (outcome: PairOutcome) => {
          if (!outcome.ok) {
            reject(new Error(`case ${cases[outcome.index]!.id}: ${outcome.message}`));
            return;
          }
          results[outcome.index] = outcome.result;
          done++;
          if (done === cases.length) resolve();
          else feed(worker);
        });
        worker.on('error', (error) => reject(error));
        worker.on('exit', (code) => {
          if (code !== 0 && done < cases.length) reject(new Error(`an evaluation worker stopped with exit code ${code}`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
