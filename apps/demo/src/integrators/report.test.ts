import { describe, expect, it } from 'vitest';
import { keplerExact, keplerX0 } from './kepler';
import { quickPlan, renderMarkdown, renderPlot, reportWork, runIntegratorsReport } from './report';

describe('integrators report', () => {
  it('the exact Kepler solution starts at the pericentre state and returns to it after one period', () => {
    const x0 = keplerX0(0.6);
    const a = keplerExact(0, 0.6);
    const b = keplerExact(2 * Math.PI, 0.6);
    for (let i = 0; i < 4; i++) {
      expect(a[i]).toBeCloseTo(x0[i], 14);
      expect(b[i]).toBeCloseTo(x0[i], 12);
    }
  });

  it('a small run fills one row per method with energy errors, the nominal order and a plot', () => {
    const plan = {
      ...quickPlan,
      steps: 2000,
      methods: quickPlan.methods.slice(0, 3),
      plotMethods: ['leapfrog', 'rk4'] as const,
    };
    const ticks: string[] = [];
    const result = runIntegratorsReport({ ...plan, plotMethods: [...plan.plotMethods] }, (info) => {
      ticks.push(info.label);
      expect([info.step, info.total]).toEqual([ticks.length, reportWork({ ...plan, plotMethods: [] }) + 2]);
    });
    expect(result.rows.map((r) => r.method)).toEqual(['leapfrog', 'forestRuth', 'yoshida6']);
    for (const row of result.rows) {
      expect(row.maxEnergyError).toHaveLength(plan.dts.length);
      // smaller dt, smaller energy error, at the method's rate
      const rate =
        Math.log(row.maxEnergyError[0] / row.maxEnergyError[1]) / Math.log(plan.dts[0] / plan.dts[1]);
      expect(Math.abs(rate - row.nominalOrder)).toBeLessThan(0.5);
      expect(Math.abs(row.measuredOrder - row.nominalOrder)).toBeLessThan(0.3);
    }
    expect(ticks).toHaveLength(3 * (plan.dts.length + 1) + 2);
    const md = renderMarkdown(result, { ...plan, plotMethods: [...plan.plotMethods] });
    expect(md).toMatch(/\| leapfrog \| 2 \| yes \| 1 \|/);
    expect(md).toContain('energy-error.svg');
    const svg = renderPlot(result, { ...plan, plotMethods: [...plan.plotMethods] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('rk4');
  });
});
