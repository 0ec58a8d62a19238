import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as datasets from '@noether/datasets';

// The last split fails, as kepler's testMoved did before its sampler was fixed.
vi.mock('@noether/datasets', async (importOriginal) => {
  const original = await importOriginal<typeof datasets>();
  return {
    ...original,
    buildDataset: (name: string, options: Parameters<typeof original.buildDataset>[1]) => {
      if (options?.split === 'testMoved') throw new Error('simulated failure of the last split');
      return original.buildDataset(name, options);
    },
  };
});

const { dataGenerateCommand } = await import('./data');
const dir = mkdtempSync(join(tmpdir(), 'noether-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noether data generate --split all', () => {
  it('writes all files or none: a failing split leaves no file (and no staging folder) behind', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = join(dir, 'existing');
      expect(await dataGenerateCommand.run(['ho', '--count', '2', '--steps', '3', '--out', out])).toBe(0);
      const before = readdirSync(out);
      await expect(
        dataGenerateCommand.run(['ho', '--split', 'all', '--count', '2', '--steps', '3', '--out', out]),
      ).rejects.toThrow(/simulated failure/);
      expect(readdirSync(out)).toEqual(before);
      const fresh = join(dir, 'fresh');
      await expect(
        dataGenerateCommand.run(['ho', '--split', 'all', '--count', '2', '--steps', '3', '--out', fresh]),
      ).rejects.toThrow(/simulated failure/);
      expect(existsSync(fresh)).toBe(false);
    } finally {
      stderr.mockRestore();
    }
  });
});
