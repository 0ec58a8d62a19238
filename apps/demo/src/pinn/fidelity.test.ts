import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCase, referenceOf, targetsOf } from './cases';
import { runsOf } from './report';
import { seedGroups, summarize } from './seed-stats';
import { constraintOf, defaultSettings, runCase } from './train';
import type { RunResult, RunSettings } from './train';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
});

describe('PINN-Proj fidelity: targets, seeds and the exact time derivative', () => {
  it('targets the reference c(t) where the reference does not conserve the box integral (whole-line KdV)', () => {
    const c = getCase('kdv');
    expect(c.conserved).toBe(false);
    const ref = referenceOf(c);
    const { c1, c2 } = targetsOf(c, ref);
    expect(c1[99] / c1[0]).toBeLessThan(0.88); // mass leaves the box through x = 2
    expect(c2[99]).toBe(ref.conserved.l2[99]);
    const k = constraintOf(c, 'joint');
    expect(k.type === 'joint' && typeof k.c1 === 'function' && k.c1(0.5)).toBeCloseTo(
      ref.conserved.mass[50],
      12,
    );
    // Burgers: the mass stays 0 (constant target), the integral of u^2 decays (callback)
    const b = constraintOf(getCase('burgers'), 'joint');
    expect(b.type === 'joint' && typeof b.c1).toBe('number');
    expect(b.type === 'joint' && typeof b.c2).toBe('function');
    // periodic KdV conserves both
    const p = constraintOf(getCase('kdv-periodic'), 'joint');
    expect(p.type === 'joint' && typeof p.c1 === 'number' && typeof p.c2 === 'number').toBe(true);
  });

  it('summarises over seeds with the sample standard deviation and plans seeds x lambdas runs', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 14);
    const runs = runsOf({
      cases: ['kdv', 'wave'],
      constraints: ['joint'],
      points: 100,
      levels: 10,
      iterations: 1,
      seed: 3,
      seeds: 2,
      lambdas: [0, 10],
    });
    // per seed and case: PINN + 2 penalty + PINN-Proj
    expect(runs.length).toBe(2 * 2 * 4);
    expect(new Set(runs.map((r) => r.seed))).toEqual(new Set([3, 4]));
    const fake = (seed: number, variant: RunSettings['variant'], relL2: number): RunResult =>
      ({
        settings: { ...defaultSettings, case: 'kdv', constraint: 'joint', variant, seed },
        relL2,
        conservation: 1,
        linearSum: 0.25,
        quadraticSum: 0.5,
      }) as RunResult;
    const g = seedGroups([fake(0, 'pinn', 0.1), fake(1, 'pinn', 0.3), fake(0, 'proj', 0.2)], ['joint']);
    const pinn = defined(g.find((x) => x.variant === 'pinn'));
    expect(pinn.relL2.mean).toBeCloseTo(0.2, 14);
    expect(pinn.conservation.mean).toBe(0.75); // joint: linear + quadratic of the plain PINN
    expect(pinn.seeds).toEqual([0, 1]);
  });

  it('trains PINN-Proj with the exact time derivative: a different objective, the same conservation floor', async () => {
    const base: RunSettings = {
      ...defaultSettings,
      case: 'advection-periodic',
      constraint: 'linear',
      variant: 'proj',
      iterations: 0,
      points: 30,
      levels: 3,
      dataPoints: 10,
      hidden: 1,
      width: 4,
    };
    const detached = await runCase(base);
    const exact = await runCase({ ...base, timeDerivative: 'exact' });
    // another run: its own id (the setting is in the hash, and named at the end)
    expect(exact.id).toMatch(/-exact$/);
    expect(exact.id.replace(/-exact$/, '')).not.toBe(detached.id);
    // untrained: the same values of u~ (data term), another time derivative (residual term)
    expect(exact.terms.data).toBeCloseTo(detached.terms.data, 5);
    expect(Math.abs(exact.terms.residual / detached.terms.residual - 1)).toBeGreaterThan(1e-3);
    expect(exact.conservation).toBeLessThan(1e-5);
  });
});
