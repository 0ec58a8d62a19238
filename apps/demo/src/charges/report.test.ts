import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chargesReportCommand } from '../cli/commands/charges-report';
import { quickPlan, renderMarkdown, renderPlots, runChargesReport, targets } from './report';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('charges report', () => {
  it('a small run measures every quantity, meets the targets and renders markdown and three plots', () => {
    const plan = {
      ...quickPlan,
      lawSteps: 200,
      lrs: [0.02],
      flowSteps: 60,
      teleportSteps: 60,
      teleportEvery: 20,
      barrierIterations: 60,
    };
    const parts: string[] = [];
    const r = runChargesReport(plan, (p) => parts.push(p));
    expect(parts.length).toBe(6 + plan.lrs.length);
    expect(r.discreteLawResidual).toBeLessThan(1e-6);
    expect(r.discreteLawResidual64).toBeLessThan(1e-12);
    expect(r.implicitMidpointDrift).toBeLessThan(1e-5);
    expect(r.rk4Drift).toBeGreaterThan(100 * r.implicitMidpointDrift);
    expect(r.sharpnessError).toBeLessThan(1e-3);
    expect(r.driftTable.map((d) => d.method)).toEqual(['gd', 'momentum', 'adam', 'implicitMidpoint']);
    expect(targets(r).every((t) => t.met)).toBe(true);
    expect(renderMarkdown(r)).toContain('| discrete law, float32 GD |');
    const plots = renderPlots(r);
    expect(Object.keys(plots).sort()).toEqual(['barrier.svg', 'drift-vs-lr.svg', 'teleport.svg']);
    for (const svg of Object.values(plots)) expect(svg.startsWith('<svg')).toBe(true);
  });

  it('a user mistake prints one line and exits 2', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await chargesReportCommand.run(['--seed', 'abc'])).toBe(2);
      expect(await chargesReportCommand.run(['--bogus'])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/option '--seed' must be an integer/);
    for (const e of errors) expect(e.split('\n')).toHaveLength(1);
  });
});
