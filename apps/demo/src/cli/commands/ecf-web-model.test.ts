import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveBurgers1d } from '@noether/datasets';
import { loadOperator, operatorFiles } from '@noether/operators';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../run-cli';
import type { WebModelResult } from '../../ecf/web-model';

const dir = mkdtempSync(join(tmpdir(), 'noether-ecf-web-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const err: string[] = [];
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((t: unknown) => void logged.push(String(t)));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const cerr = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await runCli(argv, { version: '0', env: {}, out: () => {}, err: (t) => err.push(t) });
    return { code, err: err.join('\n'), logged };
  } finally {
    log.mockRestore();
    stderr.mockRestore();
    cerr.mockRestore();
  }
}

describe('noether ecf-web-model', () => {
  it('refuses bad options with one line and exit 2, leaving no output folder behind', async () => {
    const out = join(dir, 'never');
    for (const [argv, pattern] of [
      [['--steps', '0'], /option '--steps' must be an integer >= 1, got "0"/],
      [['--modes', '40'], /option '--modes' must be an integer >= 1 and <= 33, got "40"/],
      [['--width', 'wide'], /option '--width' must be an integer/],
      [['--bogus'], /Unknown option '--bogus'/],
    ] as Array<[string[], RegExp]>) {
      const r = await cli(['ecf-web-model', ...argv, '--out', out]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('trains, saves a model that loads back with the same outputs, and measures ECF against plain', async () => {
    const out = join(dir, 'model');
    const before = tf.memory().numTensors;
    const args = ['--steps', '5', '--train', '2', '--test', '2', '--width', '4', '--modes', '4'];
    const r = await cli(['ecf-web-model', ...args, '--layers', '1', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const printed = JSON.parse(r.logged.at(-1) ?? '{}') as Omit<WebModelResult, 'initialConditions'>;
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as WebModelResult;
    expect(printed.training.steps).toBe(5);
    expect(printed).not.toHaveProperty('initialConditions');
    expect(meta.model.parameters).toBe(printed.model.parameters);
    expect(meta.reloadMaxDifference).toBe(0);
    expect(existsSync(join(out, 'weights.bin')) && existsSync(join(out, 'model.json'))).toBe(true);
    // The decoder holds the mass to float32 rounding over the whole rollout; an untrained FNO does not.
    expect(meta.heldOut.ecf.conservation).toBeLessThan(1e-6);
    expect(meta.heldOut.plain.conservation).toBeGreaterThan(1e-4);
    // The saved files are the tfjs layout: they load through @noether/operators into the same architecture.
    const model = await loadOperator(operatorFiles(out));
    try {
      expect(model.config).toMatchObject({ kind: 'fno1d', width: 4, modes: 4, layers: 1, residual: true });
      expect(model.variables.reduce((a, v) => a + v.size, 0)).toBe(meta.model.parameters);
    } finally {
      model.dispose();
    }
    // The initial conditions the page offers are the held-out data: re-solving one with the recorded PDE
    // settings (what the page does) reproduces a finite Burgers trajectory that conserves its mass.
    expect(meta.initialConditions).toHaveLength(2);
    const u0 = meta.initialConditions[0].u;
    expect(u0).toHaveLength(meta.pde.points);
    const ref = solveBurgers1d(u0, {
      viscosity: meta.pde.viscosity,
      domain: meta.pde.domain,
      points: meta.pde.points,
      boundary: meta.pde.boundary,
      times: [0, 10 * meta.pde.sampleDt],
    });
    expect(ref.status).toBe('ok');
    expect(Array.from(ref.u.subarray(0, meta.pde.points))).toEqual(u0);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
