import type { Command } from '../command.js';

/** `pedseg postprocess`: not built yet. */
export const postprocessCommand: Command = {
  name: 'postprocess',
  summary: '(not yet available)',
  async run(_argv, io) {
    io.stderr('pedseg postprocess: not yet available\n');
    return 1;
  },
};
