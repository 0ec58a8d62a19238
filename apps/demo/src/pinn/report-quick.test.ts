import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCase, referenceOf } from './cases';
import { quickPlan, runsOf, writeReport, type ReportPlan } from './report';
import { runId, type RunResult } from './train';

const dir = mkdtempSync(join(tmpdir(), 'noether-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stored results for every run of a one-case plan: the reference itself as the prediction, made-up metrics. */
function fakeResults(plan: ReportPlan): RunResult[] {
  const ref = referenceOf(getCase('advection'));
  const prediction = Buffer.from(Float32Array.from(ref.u).buffer).toString('base64');
  return runsOf(plan).map((s, i) => ({
    id: runId(s),
    settings: s,
    relL2: 0.5 + i / 10,
    conservation: s.variant === 'proj' ? 1e-7 : 1,
    linearSum: s.variant === 'proj' ? 5e-8 : 0.5,
    quadraticSum: s.variant === 'proj' ? 5e-8 : 0.5,
    series: Array.from(ref.t, () => (s.variant === 'proj' ? 1e-9 : 1e-2)),
    status: 'completed',
    message: '',
    iterations: plan.iterations,
    evaluations: plan.iterations + 1,
    seconds: 1,
    loss: 0.1,
    terms: { residual: 0.05, data: 0.05 },
    losses: [0.2, 0.1],
    prediction,
  }));
}

describe('the PINN-Proj report', () => {
  it('a quick report says it is a smoke run, leaves out what it cannot judge or did not compute', () => {
    const plan: ReportPlan = { ...quickPlan, cases: ['advection'] };
    const md = writeReport(plan, fakeResults(plan), join(dir, 'quick'));
    expect(md).toMatch(/^# PINN-Proj reproduction: quick smoke run/);
    expect(md).toMatch(/smoke run of 8 L-BFGS iterations per network \(the full report trains 150\)/);
    expect(md).toContain('apps/demo/README-pinn-results.md');
    expect(md).not.toContain('cpu eval'); // no run was cross-checked: no all-NaN column
    expect(md).not.toContain('penalty / Proj');
    expect(md).not.toContain('target: >= 4 of 5');
    expect(md).toContain('Not judged in a smoke run');
    expect(md).toMatch(/conservation error <= 1e-5 \(summed over 100 levels\): 1 \/ 1/);
  });

  it('the full report keeps the ratio columns and every target', () => {
    const plan: ReportPlan = { ...quickPlan, quick: false, cases: ['advection'] };
    const md = writeReport(plan, fakeResults(plan), join(dir, 'full'));
    expect(md).toMatch(/^# PINN-Proj reproduction\n/);
    expect(md).toContain('penalty / Proj');
    expect(md).toContain('target: >= 4 of 5');
    expect(md).not.toContain('smoke run');
  });
});
