import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsHash } from '@noether/optim';
import { defaultSettings, runCase, runId } from './train';
import type { RunSettings } from './train';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
});
const dir = mkdtempSync(join(tmpdir(), 'pinn-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny: RunSettings = {
  ...defaultSettings,
  case: 'advection',
  constraint: 'linear',
  variant: 'penalty',
  iterations: 3,
  points: 200,
};

describe('PINN run identity', () => {
  it('gives every setting that changes the result its own run id (lambda included)', () => {
    const ids = new Set(
      [
        tiny,
        { ...tiny, lambda: 1 },
        { ...tiny, seed: 1 },
        { ...tiny, history: 10 },
        { ...tiny, dataPoints: 50 },
        { ...tiny, width: 10 },
        { ...tiny, hidden: 4 },
        { ...tiny, levels: 50 },
        { ...tiny, iterations: 4 },
        { ...tiny, points: 300 },
      ].map(runId),
    );
    expect(ids.size).toBe(10);
    expect(runId(tiny)).toMatch(/^advection-linear-penalty-[0-9a-f]{12}$/);
    expect(runId({ ...tiny })).toBe(runId(tiny));
  });

  it('puts the L-BFGS stopping rules and the kind of targets in the id (runs cached before they changed are retrained)', () => {
    const settingsOnly = (s: RunSettings) =>
      settingsHash(Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'timeDerivative'))).slice(
        0,
        12,
      );
    // The former id hashed the settings alone.
    expect(runId(tiny).endsWith(settingsOnly(tiny))).toBe(false);
    const wave = { ...tiny, case: 'wave' as const };
    expect(runId(wave).endsWith(settingsOnly(wave))).toBe(false);
  });

  it('refuses a checkpoint of another lambda planted under its id, naming lambda', async () => {
    const a = join(dir, 'a');
    await runCase({ ...tiny, lambda: 1 }, { checkpointDir: a });
    const b = join(dir, 'b');
    mkdirSync(b);
    copyFileSync(join(a, `${runId({ ...tiny, lambda: 1 })}.ckpt.json`), join(b, `${runId(tiny)}.ckpt.json`));
    await expect(runCase(tiny, { checkpointDir: b })).rejects.toThrow(/differing settings: lambda: 1 -> 10 /);
  });

  it('counts evaluations over the whole run when it resumes', async () => {
    const whole = await runCase(tiny, {});
    const c = join(dir, 'c');
    // an interrupted run: killed inside iteration 2 (after the checkpoint of iteration 1)
    const killed = runCase(tiny, {
      checkpointDir: c,
      checkpointEvery: 1,
      onProgress: ({ step }) => {
        if (step === 2) throw new Error('killed');
      },
    });
    await expect(killed).rejects.toThrow('killed');
    expect(readdirSync(c)).toHaveLength(1);
    const again = await runCase(tiny, { checkpointDir: c });
    expect(again.message).toBe('resumed from step 1');
    expect(again.prediction).toBe(whole.prediction);
    expect(again.evaluations).toBe(whole.evaluations);
    expect(whole.evaluations).toBeGreaterThanOrEqual(3);
  });
});
