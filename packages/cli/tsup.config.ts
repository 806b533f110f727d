import { defineConfig } from 'tsup';
import { pedsegTsup } from '../../tsup.shared';

// The evaluate worker is its own entry: worker threads load it by path next to main.js / index.js.
export const config = defineConfig(pedsegTsup(['src/index.ts', 'src/main.ts', 'src/evaluate/worker.ts']));
export default config;
