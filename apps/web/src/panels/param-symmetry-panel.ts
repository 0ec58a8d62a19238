// param-symmetry panel: the Noether charges of a small network's training (@noether/param-symmetry), named
// with readable formulas, and gradient flow integrated by four methods: the Gauss–Legendre ones keep every
// quadratic charge to round-off, explicit Runge–Kutta drifts.
import {
  defineDenseChain,
  gradientFlow,
  initWeights64,
  noetherCharges,
  regressionData,
  type GradientFlowResult,
} from '@noether/param-symmetry';
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, nextFrame, select } from '../ui';

const METHODS = ['implicitMidpoint', 'gaussLegendre4', 'rk4', 'euler'] as const;
const NETS = {
  'linear 3-4-2 (GL(4) charge)': { units: 4, activation: 'linear' },
  'ReLU 3-8-2 (rescaling charges)': { units: 8, activation: 'relu' },
} as const;

const lineSpec = (title: string, y: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 380,
  height: 220,
  title,
  mark: { type: 'line', clip: true },
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'flow time t' },
    y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: y },
    color: { field: 'method', type: 'nominal', sort: METHODS },
  },
});

/** max over charges and components of |Q(t) - Q(0)| / mass(0), per record. */
function driftSeries(r: GradientFlowResult<readonly Float64Array[]>): number[] {
  const first = r.charges[0];
  return r.charges.map((record) => {
    let worst = 0;
    record.forEach((c, i) => {
      for (let j = 0; j < c.value.length; j++) {
        const scale = Math.max(first[i].mass[j], 1e-300);
        worst = Math.max(worst, Math.abs(c.value[j] - first[i].value[j]) / scale);
      }
    });
    return worst;
  });
}

export function mount(root: HTMLElement, _context: PanelContext): void {
  const net = select('psym-net', Object.keys(NETS), Object.keys(NETS)[0]);
  const dt = select('psym-dt', ['0.05', '0.02', '0.01'], '0.05');
  const steps = select('psym-steps', ['200', '400', '1000'], '400');
  const run = el('button', { 'data-testid': 'psym-run', class: 'run', text: 'Train by gradient flow' });
  const progress = el('p', { 'data-testid': 'psym-progress', class: 'progress', text: 'Ready.' });
  const formulas = el('ul', { 'data-testid': 'psym-formulas', class: 'note' });
  const tbody = el('tbody');
  const table = el('table', { 'data-testid': 'psym-results', class: 'table' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        ['method', 'status', 'final loss', 'max charge drift |Q(t) − Q(0)| / scale'].map((h) =>
          el('th', { text: h }),
        ),
      ),
    ]),
    tbody,
  ]);
  const lossHost = el('div', { class: 'chart' });
  const driftHost = el('div', { class: 'chart' });
  root.append(
    el('h2', { text: 'param-symmetry: Noether charges of training' }),
    el('p', {
      class: 'lead',
      text:
        'A weight-space symmetry of the loss gives a conserved quantity of gradient flow dθ/dt = −∇L. ' +
        '@noether/param-symmetry finds the charges of a network (formulas below) and integrates the flow with ' +
        '@noether/integrators: implicit midpoint and Gauss–Legendre keep every quadratic charge to round-off; ' +
        'rk4 and Euler drift. Regression on 32 seeded samples, float64.',
    }),
    el('div', { class: 'controls' }, [field('network', net), field('dt', dt), field('steps', steps), run]),
    formulas,
    progress,
    table,
    el('div', { class: 'row' }, [lossHost, driftHost]),
  );
  const lossChart = createChart(lossHost, lineSpec('training loss', 'loss (log)') as never);
  const driftChart = createChart(driftHost, lineSpec('charge drift', 'max relative drift (log)') as never);

  run.addEventListener('click', async () => {
    run.disabled = true;
    tbody.replaceChildren();
    try {
      const arch = NETS[net.value as keyof typeof NETS];
      const chain = defineDenseChain({
        inputDim: 3,
        layers: [{ units: arch.units, activation: arch.activation }, { units: 2 }],
      });
      const set = noetherCharges(chain);
      formulas.replaceChildren(...set.charges.map((c) => el('li', { text: `${c.name}: ${c.formula}` })));
      const data = regressionData(32, { input: 3, output: 2, seed: 1 });
      const w0 = initWeights64(chain, { seed: 0 });
      const losses: object[] = [];
      const drifts: object[] = [];
      for (const method of METHODS) {
        progress.textContent = `integrating with ${method}…`;
        await nextFrame();
        const r = gradientFlow(set, w0, {
          data,
          method,
          dt: Number(dt.value),
          steps: Number(steps.value),
          sampleEvery: Math.max(1, Number(steps.value) / 100),
        });
        const drift = driftSeries(r);
        r.t.forEach((t, k) => {
          losses.push({ method, t, value: r.losses[k] });
          if (k > 0) drifts.push({ method, t, value: Math.max(drift[k], 1e-17) });
        });
        lossChart.update(losses);
        driftChart.update(drifts);
        const worst = Math.max(...drift);
        tbody.append(
          el(
            'tr',
            {
              'data-method': method,
              'data-status': r.status,
              'data-drift': worst,
              'data-loss': r.losses.at(-1),
            },
            [
              el('td', { text: method }),
              el('td', { text: r.status }),
              el('td', { text: fmt(r.losses.at(-1) ?? NaN) }),
              el('td', { text: fmt(worst) }),
            ],
          ),
        );
      }
      await Promise.all([lossChart.drawn(), driftChart.drawn()]);
      progress.textContent = `Done: ${METHODS.length} methods, ${steps.value} steps of dt = ${dt.value}.`;
    } catch (error) {
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      run.disabled = false;
    }
  });
}
