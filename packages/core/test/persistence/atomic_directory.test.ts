import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDirectoryAtomically } from '@pedseg/core';

describe('writeDirectoryAtomically', () => {
  it('creates, replaces, and on a failed fill keeps the previous directory and leaves no temporary', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pedseg-atomic-'));
    const target = join(root, 'model');
    await writeDirectoryAtomically(target, (temp) => writeFile(join(temp, 'a.txt'), 'first'));
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('first');

    await writeDirectoryAtomically(target, (temp) => writeFile(join(temp, 'b.txt'), 'second'));
    expect(await readdir(target)).toEqual(['b.txt']);

    await expect(
      writeDirectoryAtomically(target, async (temp) => {
        await writeFile(join(temp, 'c.txt'), 'partial');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(target)).toEqual(['b.txt']);
    expect(await readdir(root)).toEqual(['model']);
  });
});
