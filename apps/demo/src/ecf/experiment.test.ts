import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findEcfCase } from './cases';
import { quickEcfSettings, runEcfCase } from './experiment';
import { evaluateTargets, writeEcfReport } from './report';
import { ecfCommand } from '../cli/commands/ecf';

beforeAll(async () => {
  // the smoke run trains real-size models: wasm is ~25x faster than cpu
  await tf.setBackend('wasm');
});

describe('ECF experiment (smoke)', () => {
  it('runs a case end to end: ECF rows conserve at the float32 floor, plain rows do not, the report is written', async () => {
    const c = defined(findEcfCase('advection'));
    const r = await runEcfCase(
      c,
      {
        ...quickEcfSettings,
        trainTrajectories: 2,
        testTrajectories: 1,
        samples: 6,
        steps: 2,
        batchSize: 4,
        backbones: ['fno'],
      },
      { backend: 'wasm' },
    );
    expect(r.rows.map((x) => x.mode)).toEqual(['plain', 'staged', 'staged+q', 'integrated', 'integrated+q']);
    const plain = r.rows[0];
    for (const x of r.rows.slice(1)) {
      expect(x.conservationLinear).toBeLessThan(1e-6);
      expect(x.errorCurve).toHaveLength(5);
    }
    expect(defined(r.rows.find((x) => x.mode === 'staged+q')).conservationQuadratic).toBeLessThan(1e-6);
    expect(plain.conservationLinear).toBeGreaterThan(1e-4);
    // staged linear ECF on a uniform grid can only lower the one-step error (Pythagoras)
    expect(r.rows[1].oneStep).toBeLessThanOrEqual(plain.oneStep * (1 + 1e-6));
    const dir = mkdtempSync(join(tmpdir(), 'ecf-report-'));
    try {
      const { targets } = writeEcfReport([r], { outDir: dir });
      expect(targets).toEqual(evaluateTargets([r]));
      expect(targets.ecfConservationMax).toBeLessThan(1e-6);
      const md = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(md).toContain('| fno | staged+q |');
      expect(readFileSync(join(dir, 'advection-error.svg'), 'utf8')).toMatch(/^<svg/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CLI mistakes print one line and exit 2', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await ecfCommand.run(['no-such-case'])).toBe(2);
      expect(await ecfCommand.run(['heat', '--steps', 'x'])).toBe(2);
      expect(await ecfCommand.run(['heat', '--backbone', 'mlp'])).toBe(2);
      expect(await ecfCommand.run([])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(4);
    for (const e of errors) expect(e.split('\n')).toHaveLength(1);
    expect(errors[0]).toMatch(/unknown case 'no-such-case'/);
  });
});
