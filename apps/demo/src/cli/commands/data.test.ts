import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readPdeBench } from '@noether/datasets';
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

  it('generate --format h5 writes the PDEBench layout and info shows its dtypes and attributes', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = join(dir, 'h5');
      expect(await dataGenerateCommand.run(['burgers', '--count', '2', '--format', 'h5', '--out', out])).toBe(
        0,
      );
      const d = await readPdeBench(join(out, 'burgers.h5'));
      expect(d.tensor.shape).toEqual([2, 101, 256]);
      expect(d.attributes).toMatchObject({ dataset: 'burgers', generator: '@noether/datasets' });
      log.mockClear();
      expect(await dataInfoCommand.run([join(out, 'burgers.h5')])).toBe(0);
      const text = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(text).toMatch(/tensor\s+float64\s+\[2, 101, 256\]/);
      expect(text).toMatch(/attributes: \{"dataset":"burgers"/);
      await expect(dataGenerateCommand.run(['ho', '--format', 'h5', '--out', out])).rejects.toThrow(
        /PDE sets only/,
      );
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });

  it('info names a truncated file; generate rejects unknown names and bad numbers', async () => {
    const bad = join(dir, 'bad.npz');
    writeFileSync(bad, 'PK\u0003\u0004 truncated');
    await expect(dataInfoCommand.run([bad])).rejects.toThrow(`'${bad}'`);
    await expect(dataGenerateCommand.run(['nope', '--out', dir])).rejects.toThrow(/unknown dataset 'nope'/);
    await expect(dataGenerateCommand.run(['ho', '--count', 'x', '--out', dir])).rejects.toThrow(/--count/);
  });
});

describe('noether data generate: strict arguments', () => {
  it('refuses --split __proto__, an empty --count= and a hex seed instead of writing data', async () => {
    const out = join(dir, 'strict');
    await expect(dataGenerateCommand.run(['ho', '--split', '__proto__', '--out', out])).rejects.toThrow(
      `noether data generate: option '--split' must be one of train, test, testWider, testMoved, all, got "__proto__"`,
    );
    await expect(dataGenerateCommand.run(['ho', '--count=', '--out', out])).rejects.toThrow(
      `option '--count' must be an integer >= 1, got ""`,
    );
    await expect(dataGenerateCommand.run(['ho', '--seed', '0x10', '--out', out])).rejects.toThrow(
      `option '--seed' must be an integer >= 0 and <= 9007199254740991, got "0x10"`,
    );
    expect(() => readFileSync(join(out, 'ho-train.npz'))).toThrow(/ENOENT/);
  });
});
