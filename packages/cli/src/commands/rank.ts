import type { Command } from '../command.js';

/** `pedseg rank`: not built yet. */
export const rankCommand: Command = {
  name: 'rank',
  summary: '(not yet available)',
  async run(_argv, io) {
    io.stderr('pedseg rank: not yet available\n');
    return 1;
  },
};
