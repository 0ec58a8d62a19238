// razor panel: Noether's Razor (@noether/razor) learns which quadratic quantities a system conserves from
// one-step transitions, live: the singular values of the learned generators and the laws they span, read as
// formulas, update as it trains. One oscillator finds its energy; two find the four-dimensional u(2).
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, select } from '../ui';
import { createRazorRun, razorRunSettings, type Oscillators, type RazorSnapshot } from './razor-run';

const SYSTEMS = {
  '1 oscillator (its energy)': 1,
  '2 oscillators (the u(2) algebra)': 2,
} as const satisfies Record<string, Oscillators>;
/** Step choices per system; the defaults are the CLI's measured schedules (`noether razor ho` / `nho`). */
const STEP_CHOICES: Record<Oscillators, { options: string[]; value: string }> = {
  1: { options: ['100', '200', '300', '600'], value: '300' },
  2: { options: ['100', '300', '1000', '2000'], value: '1000' },
};
/** Diagnostics every this many steps (float64 SVD of the K generators: cheap next to a step). */
const TRACE_EVERY: Record<Oscillators, number> = { 1: 10, 2: 20 };
/** How many singular values the trace plots. */
const SHOWN = 8;

const traceSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 320,
  height: 230,
  title: 'singular values of the learned generators',
  mark: { type: 'line', clip: true, point: false },
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'training step', axis: { tickCount: 5 } },
    y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'singular value (log)' },
    color: { field: 'name', type: 'nominal', title: null, sort: { field: 'index' } },
  },
};
const barsSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 200,
  height: 230,
  title: { text: 'current singular values', subtitle: 'blue: above 5% of s1 (counted)' },
  mark: { type: 'bar', clip: true },
  encoding: {
    x: { field: 'name', type: 'ordinal', sort: { field: 'index' }, title: null, axis: { labelAngle: 0 } },
    // Bars on a log axis need a finite base: they start at 1e-4.
    y: {
      field: 'value',
      type: 'quantitative',
      scale: { type: 'log', domain: [1e-4, 10] },
      title: 'singular value (log)',
    },
    y2: { datum: 1e-4 },
    color: {
      field: 'kept',
      type: 'nominal',
      legend: null,
      scale: { domain: ['yes', 'no'], range: ['#1f5fbf', '#bbb'] },
    },
  },
};
const lossSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 240,
  height: 230,
  title: 'loss terms (mean per trace interval)',
  mark: { type: 'line', clip: true },
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'training step', axis: { tickCount: 5 } },
    y: { field: 'value', type: 'quantitative', title: 'value' },
    color: { field: 'term', type: 'nominal', title: null },
  },
};

export function mount(root: HTMLElement, _context: PanelContext): void {
  const system = select('razor-system', Object.keys(SYSTEMS), Object.keys(SYSTEMS)[0]);
  const steps = select('razor-steps', STEP_CHOICES[1].options, STEP_CHOICES[1].value);
  const seed = select('razor-seed', ['0', '1', '2', '3'], '0');
  const run = el('button', { 'data-testid': 'razor-run', class: 'run', text: 'Train' });
  const stop = el('button', { 'data-testid': 'razor-stop', text: 'Stop', disabled: true });
  const progress = el('p', { 'data-testid': 'razor-progress', class: 'progress', text: 'Ready.' });
  const summary = el('table', { 'data-testid': 'razor-summary', class: 'table' });
  const laws = el('div', { 'data-testid': 'razor-laws', class: 'note' });
  const traceHost = el('div', { class: 'chart' });
  const barsHost = el('div', { class: 'chart' });
  const lossHost = el('div', { class: 'chart' });
  system.addEventListener('change', () => {
    const choice = STEP_CHOICES[SYSTEMS[system.value as keyof typeof SYSTEMS]];
    steps.replaceChildren(...choice.options.map((o) => el('option', { value: o, text: o })));
    steps.value = choice.value;
  });
  root.append(
    el('h2', { text: "razor: Noether's Razor learns what a system conserves" }),
    el('p', {
      class: 'lead',
      text:
        'A variational Hamiltonian network, averaged over the flows of K learnable quadratic quantities ' +
        'C_k(x) = xᵀA_k x/2 + b_kᵀx, is trained on one-step transitions (Δt = 0.2) by the ELBO; the marginal ' +
        'likelihood keeps the quantities the data conserve and shrinks the rest. The number of clearly non-zero ' +
        'singular values of the learned generators is the dimension of the symmetry found; their directions, ' +
        'reduced to a canonical basis and rounded, print as formulas. One oscillator (7 × 4 transitions, 2 slots): ' +
        'the energy q1² + p1² in ~300 steps. Two oscillators (200 × 50 transitions, 30 slots, 64 × 64 network): ' +
        'the full u(2) (q1² + p1², q2² + p2², q1 q2 + p1 p2, q1 p2 − q2 p1) needs ~1,000 steps for a clean ' +
        'gap (all three criteria: exactly 4 above 5% of s1, gap s4/s5 ≥ 10, parallelness ≥ 0.999; ' +
        'noether razor nho --n 2 trains 2,000): about 4 minutes on wasm in headless Chromium on a shared ' +
        '2-core machine (1,000 steps in 250 s; all three criteria held from step 620).',
    }),
    el('div', { class: 'controls' }, [
      field('system', system),
      field('steps', steps),
      field('seed', seed),
      run,
      stop,
    ]),
    progress,
    summary,
    laws,
    el('div', { class: 'row' }, [traceHost, barsHost, lossHost]),
  );
  const traceChart = createChart(traceHost, traceSpec as never);
  const barsChart = createChart(barsHost, barsSpec as never);
  const lossChart = createChart(lossHost, lossSpec as never);
  let stopRequested = false;
  stop.addEventListener('click', () => (stopRequested = true));

  const show = (snap: RazorSnapshot, trueLaws: string[], series: { trace: object[]; losses: object[] }) => {
    const { trace, losses } = series;
    const d = snap.diagnostics;
    const s1 = d.singularValues[0] ?? 0;
    d.singularValues.slice(0, SHOWN).forEach((value, i) => {
      trace.push({ step: snap.step, index: i, name: `s${i + 1}`, value: Math.max(value, 1e-8) });
    });
    traceChart.update(trace);
    barsChart.update(
      d.singularValues.slice(0, Math.min(d.singularValues.length, 10)).map((value, i) => ({
        index: i,
        name: `s${i + 1}`,
        value: Math.max(value, 1e-4),
        kept: value > 0.05 * s1 ? 'yes' : 'no',
      })),
    );
    losses.push(
      { step: snap.step, term: 'NLL', value: snap.nll },
      { step: snap.step, term: 'KL / N', value: snap.kl },
    );
    lossChart.update(losses);
    const L = d.trueDimension;
    const minPar = d.parallelness.length ? Math.min(...d.parallelness) : NaN;
    const rows: Array<[string, string]> = [
      ['training step', String(snap.step)],
      [
        'singular values',
        d.singularValues
          .slice(0, L + 2)
          .map((v) => fmt(v, 3))
          .join(', ') + ' …',
      ],
      [`non-zero (> 5% of s1; true dimension ${L})`, String(d.countRelative)],
      [`gap s${L}/s${L + 1}`, fmt(d.gap, 3)],
      [`min parallelness of the top ${L} to the true span`, minPar.toFixed(5)],
    ];
    if (snap.energy)
      rows.push([
        'leading C against the energy H: C ≈ a·H + c, relative residual',
        `a = ${fmt(snap.energy.scale, 3)}, residual ${fmt(snap.energy.relativeResidual, 2)}`,
      ]);
    summary.replaceChildren(
      el(
        'tbody',
        {},
        rows.map(([k, v]) => el('tr', {}, [el('th', { text: k }), el('td', { text: v })])),
      ),
    );
    summary.dataset.step = String(snap.step);
    summary.dataset.countRelative = String(d.countRelative);
    summary.dataset.trueDimension = String(L);
    summary.dataset.gap = String(d.gap);
    summary.dataset.parallelnessMin = String(minPar);
    summary.dataset.singularValues = JSON.stringify(d.singularValues);
    if (snap.energy) {
      summary.dataset.energyResidual = String(snap.energy.relativeResidual);
      summary.dataset.energyScale = String(snap.energy.scale);
    }
    laws.replaceChildren(
      el('strong', {
        text: `Learned law${L > 1 ? 's' : ''} (leading ${L} direction${L > 1 ? 's' : ''}, rounded; rounding residual): `,
      }),
      ...snap.laws.map((l, i) =>
        el('code', {
          'data-testid': 'razor-law',
          'data-formula': l.formula,
          'data-residual': l.residual,
          text: `${i ? ', ' : ''}${l.formula} (${fmt(l.residual, 2)})`,
        }),
      ),
      el('span', { text: ` — true: ${trueLaws.join(', ')}` }),
    );
  };

  run.addEventListener('click', async () => {
    run.disabled = true;
    stop.disabled = false;
    stopRequested = false;
    delete progress.dataset.status;
    const oscillators = SYSTEMS[system.value as keyof typeof SYSTEMS];
    const total = Number(steps.value);
    const settings = razorRunSettings(oscillators, total, Number(seed.value));
    const every = TRACE_EVERY[oscillators];
    progress.textContent = 'Generating transitions and building the model…';
    const trace: object[] = [];
    const losses: object[] = [];
    let razor: ReturnType<typeof createRazorRun> | null = null;
    const started = performance.now();
    try {
      await new Promise((r) => setTimeout(r, 0));
      razor = createRazorRun(settings);
      let lastYield = performance.now();
      let loss = NaN;
      let status = 'ok';
      let trainMs = 0;
      while (razor.trainer.step < total) {
        const t0 = performance.now();
        loss = razor.step();
        trainMs += performance.now() - t0;
        if (!Number.isFinite(loss)) {
          status = 'non-finite';
          break;
        }
        const k = razor.trainer.step;
        if (k % every === 0 || k === total) {
          show(razor.diagnose(), razor.trueLaws, { trace, losses });
          progress.textContent = `step ${k} / ${total}, −ELBO/N ${fmt(loss, 3)}, ${(trainMs / k).toFixed(0)} ms per step`;
        }
        // Let the page paint and take clicks about every 60 ms of work.
        if (performance.now() - lastYield > 60) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = performance.now();
        }
        if (stopRequested) {
          status = 'stopped';
          break;
        }
      }
      const k = razor.trainer.step;
      if (k % every !== 0 && k !== total) show(razor.diagnose(), razor.trueLaws, { trace, losses });
      await Promise.all([traceChart.drawn(), barsChart.drawn(), lossChart.drawn()]);
      const seconds = (performance.now() - started) / 1000;
      progress.dataset.status = status;
      progress.dataset.steps = String(k);
      progress.dataset.seconds = String(seconds);
      progress.dataset.msPerStep = String(trainMs / Math.max(1, k));
      progress.textContent =
        `${status === 'ok' ? 'Done' : status === 'stopped' ? 'Stopped' : 'Failed (non-finite loss)'}: ` +
        `${k} steps in ${seconds.toFixed(1)} s (${(trainMs / Math.max(1, k)).toFixed(0)} ms per step), ` +
        `−ELBO/N ${fmt(loss, 3)}.`;
    } catch (error) {
      progress.dataset.status = 'error';
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      razor?.dispose();
      run.disabled = false;
      stop.disabled = true;
    }
  });
}
