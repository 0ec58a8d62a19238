// autodiff panel: the nested-gradient op table of @noether/autodiff, run on this browser's tfjs backend.
import { verifyOrderSafety, type OrderSafetyRow } from '@noether/autodiff';
import * as tf from '@tensorflow/tfjs';
import { WEB_BACKENDS, onBackend, webglPrecision, type WebBackend } from '../backend';
import { useAccurateWebglTrig } from '../webgl-precision';
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, nextFrame, select } from '../ui';

const errorFloor = 1e-9;

function chartSpec(tol: number, ops: number) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520,
    height: 14 * ops,
    layer: [
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y: { field: 'op', type: 'nominal', sort: null, title: null },
          x: {
            field: 'shown',
            type: 'quantitative',
            scale: { type: 'log', domain: [errorFloor, 10] },
            title: `max relative error (floored at ${errorFloor}; non-finite/thrown shown at 10)`,
          },
          color: { field: 'order', type: 'nominal', title: 'order' },
          shape: { field: 'result', type: 'nominal', title: 'result' },
          tooltip: [{ field: 'op' }, { field: 'order' }, { field: 'maxError' }, { field: 'result' }],
        },
      },
      { mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] }, encoding: { x: { datum: tol } } },
    ],
  } as const;
}

export function mount(root: HTMLElement, context: PanelContext): void {
  const backendChoices = [
    `page (${context.backend.name})`,
    ...WEB_BACKENDS.filter((b) => b !== context.backend.name),
  ];
  const backendSelect = select('autodiff-backend', backendChoices, backendChoices[0]);
  const trig = select(
    'autodiff-webgl-trig',
    ['accurate (page kernels)', 'built-in (browser GLSL)'],
    'accurate (page kernels)',
  );
  const run = el('button', { 'data-testid': 'autodiff-run', class: 'run', text: 'Run op table' });
  const precision = el('p', { 'data-testid': 'autodiff-webgl-precision', class: 'note' });
  const progress = el('p', { 'data-testid': 'autodiff-progress', class: 'progress', text: 'Ready.' });
  const summary = el('p', { 'data-testid': 'autodiff-summary', class: 'summary' });
  const chartHost = el('div', { class: 'chart' });
  const tbody = el('tbody');
  const table = el('table', { 'data-testid': 'autodiff-table', class: 'table' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        ['op', 'order', 'max rel. error', 'tol', 'reference', 'result'].map((h) => el('th', { text: h })),
      ),
    ]),
    tbody,
  ]);
  root.append(
    el('h2', { text: 'autodiff: nested gradients on this browser’s backend' }),
    el('p', {
      class: 'lead',
      text:
        'Every op the project relies on, differentiated 1, 2 and 3 times with nested tf.grad and compared with analytic ' +
        'derivatives (or float64 Richardson finite differences). Raw tfjs 4.22 throws or is wrong for several ops at ' +
        'order 2 (tanh, sigmoid, exp, elu, softmax, ...); importing @noether/autodiff, as this page does, fixes its ' +
        'gradient registry. First order 1 for every op, then orders 2 and 3 op by op.',
    }),
    el('div', { class: 'controls' }, [field('backend', backendSelect), field('WebGL sin/cos', trig), run]),
    precision,
    progress,
    summary,
    el('div', { class: 'row' }, [chartHost, el('div', { class: 'scroll' }, [table])]),
  );
  const tol = 1e-4;
  let chart: ReturnType<typeof createChart> | null = null;

  run.addEventListener('click', async () => {
    run.disabled = true;
    tbody.replaceChildren();
    summary.textContent = '';
    const choice = backendSelect.value.startsWith('page')
      ? context.backend.name
      : (backendSelect.value as WebBackend);
    const rows: OrderSafetyRow[] = [];
    const started = performance.now();
    try {
      await onBackend(choice, async () => {
        const report = webglPrecision();
        if (choice === 'webgl' && report) {
          const accurate = useAccurateWebglTrig(trig.value.startsWith('accurate'));
          precision.textContent =
            `WebGL precision: the browser's GLSL sin/cos are off by up to ${report.before.sin.toExponential(1)} / ` +
            `${report.before.cos.toExponential(1)} on [-20, 20] (float32 level is ~1e-7); the page's accurate kernels: ` +
            `${report.after.sin.toExponential(1)} / ${report.after.cos.toExponential(1)}. This run uses the ` +
            `${accurate ? 'accurate' : 'built-in'} kernels.`;
        } else precision.textContent = '';
        try {
          // Order 1 for the whole catalogue (which also names its ops), then orders 2 and 3 op by op.
          progress.textContent = `${tf.getBackend()}: order 1, every op`;
          await nextFrame();
          const first = verifyOrderSafety({ orders: [1], tol });
          chart ??= createChart(chartHost, chartSpec(tol, first.length) as never);
          const show = (got: OrderSafetyRow[]) => {
            rows.push(...got);
            for (const r of got) tbody.append(rowOf(r));
            chart?.update(rows.map(pointOf));
          };
          show(first);
          for (const [i, { op }] of first.entries()) {
            progress.textContent = `${tf.getBackend()}: ${op}, orders 2 and 3 (${i + 1}/${first.length})`;
            await nextFrame();
            show(verifyOrderSafety({ ops: [op], orders: [2, 3], tol }));
          }
        } finally {
          if (choice === 'webgl') useAccurateWebglTrig(webglPrecision()?.fixed === true);
        }
      });
      await chart?.drawn();
      const passed = rows.filter((r) => r.status === 'pass').length;
      const finite = rows.filter((r) => Number.isFinite(r.maxError)).map((r) => r.maxError);
      const worst = finite.length ? Math.max(...finite) : NaN;
      const variant = [choice === 'webgl' && trig.value.startsWith('built') ? 'built-in sin/cos' : '']
        .filter(Boolean)
        .join(', ');
      summary.textContent = `${choice}${variant ? ` (${variant})` : ''}: ${passed}/${rows.length} pass, max error ${fmt(worst)} (tol ${tol})`;
      summary.dataset.passed = String(passed);
      summary.dataset.total = String(rows.length);
      summary.dataset.maxError = String(worst);
      summary.dataset.backend = choice;
      progress.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    } catch (error) {
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      run.disabled = false;
    }
  });
}

function pointOf(r: OrderSafetyRow) {
  const finite = Number.isFinite(r.maxError);
  return {
    op: r.op,
    order: r.order,
    maxError: finite ? r.maxError : String(r.error ?? 'non-finite'),
    shown: finite ? Math.max(r.maxError, errorFloor) : 10,
    result: r.status === 'pass' ? 'pass' : 'FAIL',
  };
}

function rowOf(r: OrderSafetyRow): HTMLTableRowElement {
  const error = Number.isNaN(r.maxError) ? (r.error ? 'threw' : 'n/a') : r.maxError.toExponential(2);
  return el(
    'tr',
    {
      'data-op': r.op,
      'data-order': r.order,
      'data-error': r.maxError,
      'data-pass': r.status === 'pass',
      class: r.status === 'pass' ? 'pass' : 'fail',
    },
    [
      el('td', { text: r.op }),
      el('td', { text: r.order }),
      el('td', { text: error, title: r.error }),
      el('td', { text: r.tol.toExponential(0) }),
      el('td', { text: r.reference }),
      el('td', { text: r.status === 'pass' ? 'pass' : 'FAIL' }),
    ],
  );
}
