import { writeFileAtomic } from '../io/atomic.js';

/** Writes an SVG (or any text figure) atomically, creating parent directories. */
export async function writeFigure(path: string, svg: string): Promise<void> {
  await writeFileAtomic(path, svg);
}
