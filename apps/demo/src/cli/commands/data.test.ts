import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dataGenerateCommand, dataInfoCommand, dataListCommand } from './data';

const dir = mkdtempSync(join(tmpdir(), 'noether-data-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noether data commands', () => {
  it('list, generate (same seed, same bytes) and info work end to end', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await dataListCommand.run([])).toBe(0);
      expect(log.mock.calls.some((c) => String(c[0]).startsWith('three-body'))).toBe(true);
      const gen = (out: string) =>
        dataGenerateCommand.run([
          'three-body',
          '--count',
          '2',
          '--samples',
          '4',
          '--seed',
          '4',
          '--out',
          join(dir, out),
        ]);
      expect(await gen('a')).toBe(0);
      expect(await gen('b')).toBe(0);
      const a = readFileSync(join(dir, 'a', 'three-body-train.npz'));
      expect(a.equals(readFileSync(join(dir, 'b', 'three-body-train.npz')))).toBe(true);
      log.mockClear();
      expect(await dataInfoCommand.run([join(dir, 'a', 'three-body-train.npz')])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/x\s+float64\s+\[2, 4, 12\]/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });

  it('info names a truncated file and exits non-zero; generate rejects unknown names', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bad = join(dir, 'bad.npz');
      writeFileSync(bad, 'PK\u0003\u0004 truncated');
      expect(await dataInfoCommand.run([bad])).toBe(1);
      expect(String(error.mock.calls[0][0])).toContain(`'${bad}'`);
      await expect(dataGenerateCommand.run(['nope', '--out', dir])).rejects.toThrow(/unknown dataset 'nope'/);
      await expect(dataGenerateCommand.run(['ho', '--count', 'x', '--out', dir])).rejects.toThrow(/--count/);
    } finally {
      error.mockRestore();
    }
  });
});
