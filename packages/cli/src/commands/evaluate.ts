import type { Command } from '../command.js';

/** `pedseg evaluate`: not built yet. */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: '(not yet available)',
  async run(_argv, io) {
    io.stderr('pedseg evaluate: not yet available\n');
    return 1;
  },
};
