import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

function sibling(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes a whole directory atomically: `fill` writes its files into a fresh temporary sibling of
 * `target`, which is then renamed into place (an existing directory at `target` is first moved aside and
 * removed once the new one is in place). A crash or an error in `fill` never leaves a half-written
 * directory at `target`; on error the temporary directory is removed and the error rethrown.
 *
 * @param target - The directory to create or replace.
 * @param fill - Writes the directory's contents into the temporary directory it is given.
 */
export async function writeDirectoryAtomically(target: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const path = resolve(target);
  await mkdir(dirname(path), { recursive: true });
  const temp = sibling(path, 'tmp');
  await mkdir(temp);
  try {
    await fill(temp);
    if (await isDirectory(path)) {
      const old = sibling(path, 'old');
      await rename(path, old);
      await rename(temp, path);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, path);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
