import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '@noether/test-utils';
import { runReport } from './report';
import type { ReportPlan } from './report';
import { defaultSettings, runCase, runId } from './train';
import type { RunSettings } from './train';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
});
const dir = mkdtempSync(join(tmpdir(), 'pinn-lambda0-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny: RunSettings = {
  ...defaultSettings,
  case: 'kdv',
  constraint: 'joint',
  variant: 'penalty',
  lambda: 0,
  iterations: 3,
  points: 200,
  levels: 10,
};

describe('the penalty baseline at lambda = 0', () => {
  it('trains bit for bit like plain PINN (same losses, prediction and parameters)', async () => {
    const penalty = await runCase(tiny);
    const pinn = await runCase({ ...tiny, variant: 'pinn', constraint: 'linear', lambda: 10 });
    expect(penalty.iterations).toBe(3);
    expect(penalty.losses).toEqual(pinn.losses);
    expect(penalty.prediction).toBe(pinn.prediction);
    expect(penalty.params).toBe(pinn.params);
    // the penalty term was computed (and is not zero): only its weight is
    expect(penalty.terms.penalty).toBeGreaterThan(0);
  });

  it('is read from the plain PINN run in a report, with its own conservation error, not trained', async () => {
    const plan: ReportPlan = {
      cases: ['advection'],
      constraints: ['joint'],
      points: 200,
      levels: 10,
      iterations: 2,
      seed: 0,
      lambdas: [0, 1],
    };
    const { results } = await runReport(plan, { outDir: dir });
    const pinn = defined(results.find((r) => r.settings.variant === 'pinn'));
    const zero = defined(results.find((r) => r.settings.variant === 'penalty' && r.settings.lambda === 0));
    const one = defined(results.find((r) => r.settings.variant === 'penalty' && r.settings.lambda === 1));
    expect(zero.id).toBe(runId(zero.settings));
    expect(zero.settings.constraint).toBe('joint');
    expect(zero.relL2).toBe(pinn.relL2);
    expect(zero.prediction).toBe(pinn.prediction);
    expect(zero.conservation).toBeCloseTo(pinn.linearSum + pinn.quadraticSum, 12);
    expect(zero.seconds).toBe(0);
    expect(zero.message).toContain(pinn.id);
    expect(existsSync(join(dir, 'runs', `${zero.id}.json`))).toBe(false);
    expect(existsSync(join(dir, 'runs', `${one.id}.json`))).toBe(true);
    expect(one.relL2).not.toBe(pinn.relL2);
  });
});
