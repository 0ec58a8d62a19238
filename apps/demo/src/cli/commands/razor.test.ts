import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { razorCommand } from './razor';
import { razorReportCommand } from './razor-report';

const dir = mkdtempSync(join(tmpdir(), 'noether-razor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noether razor commands', () => {
  it('prints one line and exits 2 on user mistakes', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await razorCommand.run([])).toBe(2);
      expect(await razorCommand.run(['pendulum'])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(
        /<system> must be one of ho, nho, three-body, got "pendulum"/,
      );
      expect(await razorCommand.run(['nho', '--variant', 'magic'])).toBe(2);
      expect(await razorCommand.run(['nho', '--steps', 'ten'])).toBe(2);
      expect(await razorCommand.run(['nho', '--n', '0'])).toBe(2);
      expect(await razorCommand.run(['ho', '--bogus'])).toBe(2);
      expect(await razorReportCommand.run(['--dir', join(dir, 'empty')])).toBe(2);
      for (const call of err.mock.calls) expect(String(call[0]).split('\n')).toHaveLength(1);
    } finally {
      err.mockRestore();
    }
  });

  it('runs, checkpoints, resumes, prints one JSON object, and the report collects the run', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const bar = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = join(dir, 'runs');
      const args = ['ho', '--steps', '4', '--flows', '2', '--trace', '2', '--json', '--out', out];
      expect(await razorCommand.run(args)).toBe(0);
      const first = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
      for (const key of [
        'singularValues',
        'count',
        'countRelative',
        'gap',
        'parallelness',
        'laws',
        'testMse',
        'seconds',
      ])
        expect(first).toHaveProperty(key);
      expect(first.steps).toBe(4);
      expect(Object.keys(first.testMse).sort()).toEqual(['test', 'testMoved', 'testWider']);
      // the same command again resumes from the checkpoint (nothing left to do)
      expect(await razorCommand.run(args)).toBe(0);
      expect(JSON.parse(String(log.mock.calls.at(-1)?.[0])).resumedFrom).toBe(4);
      expect(await razorReportCommand.run(['--dir', out, '--json'])).toBe(0);
      const report = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
      expect(report.runs).toHaveLength(1);
      expect(report.files.some((f: string) => f.endsWith('report.md'))).toBe(true);
      expect(existsSync(join(out, 'report', 'report.md'))).toBe(true);
    } finally {
      log.mockRestore();
      bar.mockRestore();
    }
  }, 120_000);
});
