// ECF panel: a small pretrained FNO (shipped with the page, made by `noether ecf-web-model`) rolls viscous
// Burgers forward, plain and wrapped by @noether/ecf's conservation decoder (`withConservation`, mass); the
// reference is re-solved in the page by @noether/datasets' float64 solver.
import { solveBurgers1d } from '@noether/datasets';
import { conservedRollout, withConservation } from '@noether/ecf';
import { loadOperator, rollout, type NeuralOperator } from '@noether/operators';
import * as tf from '@tensorflow/tfjs';
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, nextFrame, select } from '../ui';

/** Where the build serves the shipped model (apps/web/public/models/burgers-fno). */
const MODEL_DIR = 'models/burgers-fno/';

/** The part of meta.json (written by `noether ecf-web-model`) the panel reads. */
interface WebModelMeta {
  pde: {
    equation: string;
    viscosity: number;
    domain: [number, number];
    points: number;
    boundary: 'periodic';
    sampleDt: number;
    scheme: string;
  };
  settings: { steps: number; train: number; samples: number; modes: number; width: number; layers: number };
  model: { parameters: number; weightBytes: number };
  heldOut: {
    oneStepRelL2: number;
    rollSteps: number;
    plain: { relL2Last: number; conservation: number };
    ecf: { relL2Last: number; conservation: number };
  };
  initialConditions: Array<{ name: string; u: number[] }>;
}

/** An initial condition outside the training distribution (whose draws have zero mean): mass 0.2. */
const SHIFTED = '0.2 + 0.4 sin(2πx) (not in the training distribution)';

/** One variant's rollout, measured in float64 against the reference. */
interface Track {
  variant: 'plain' | 'ecf';
  label: string;
  /** States after each step `[steps, n]`. */
  u: Float32Array;
  /** |Σ w u_k − Σ w u_0| / Σ w |u_0| per step k = 1..steps. */
  conservation: number[];
  /** ‖u_k − u_ref(t_k)‖ / ‖u_ref(t_k)‖ per step. */
  relL2: number[];
  ms: number;
}

const uSpec = (n: number) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'u(x) at four steps: reference (float64 solver), FNO, FNO + ECF',
  facet: { column: { field: 'stepLabel', type: 'nominal', title: null, sort: { field: 'step' } } },
  spec: {
    width: Math.min(230, 16 * n),
    height: 180,
    mark: { type: 'line', strokeWidth: 1.4, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] } },
      y: { field: 'u', type: 'quantitative', title: 'u' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['reference', 'FNO', 'FNO + ECF'], range: ['#222', '#d62728', '#1f77b4'] },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        legend: null,
        scale: {
          domain: ['reference', 'FNO', 'FNO + ECF'],
          range: [
            [1, 0],
            [5, 3],
            [1, 0],
          ],
        },
      },
    },
  },
});
const logSpec = (title: string, y: string, format?: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 360,
  height: 230,
  title,
  mark: { type: 'line', clip: true },
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'rollout step' },
    y: {
      field: 'value',
      type: 'quantitative',
      scale: { type: 'log' },
      title: y,
      ...(format ? { axis: { format } } : {}),
    },
    color: {
      field: 'series',
      type: 'nominal',
      title: null,
      scale: { domain: ['FNO', 'FNO + ECF'], range: ['#d62728', '#1f77b4'] },
    },
  },
});

/** Σ w v over one state (float64 accumulation of float32 or float64 values). */
function weighted(v: ArrayLike<number>, w: ArrayLike<number>, offset = 0): { sum: number; abs: number } {
  let sum = 0;
  let abs = 0;
  for (let j = 0; j < w.length; j++) {
    sum += w[j] * v[offset + j];
    abs += w[j] * Math.abs(v[offset + j]);
  }
  return { sum, abs };
}

/** ‖a − ref‖ / ‖ref‖ over `n` values, `a` from `at[0]` and `ref` from `at[1]`. */
function relL2(
  a: ArrayLike<number>,
  ref: ArrayLike<number>,
  [offset, refOffset, n]: [number, number, number],
) {
  let num = 0;
  let den = 0;
  for (let j = 0; j < n; j++) {
    const r = ref[refOffset + j];
    num += (a[offset + j] - r) ** 2;
    den += r * r;
  }
  return Math.sqrt(num / den);
}

export function mount(root: HTMLElement, _context: PanelContext): void {
  const initial = select('ecf-initial', [], '');
  const steps = select('ecf-steps', ['25', '50', '100', '200'], '100');
  const run = el('button', { 'data-testid': 'ecf-run', class: 'run', text: 'Roll out', disabled: true });
  const progress = el('p', {
    'data-testid': 'ecf-progress',
    class: 'progress',
    text: 'Loading the model card…',
  });
  const card = el('p', { 'data-testid': 'ecf-model', class: 'note' });
  const tbody = el('tbody');
  const table = el('table', { 'data-testid': 'ecf-results', class: 'table' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        [
          'variant',
          'max mass error over the rollout',
          'mass error at the last step',
          'rel. L2 vs reference at step 20',
          'rel. L2 at the last step',
          'rollout time',
        ].map((h) => el('th', { text: h })),
      ),
    ]),
    tbody,
  ]);
  const uHost = el('div', { class: 'chart' });
  const consHost = el('div', { class: 'chart' });
  const errHost = el('div', { class: 'chart' });
  root.append(
    el('h2', { text: 'ECF: an FNO rollout with and without the conservation decoder' }),
    el('p', {
      class: 'lead',
      text:
        'A small Fourier neural operator (@noether/operators), pretrained by the CLI on one step of viscous ' +
        'Burgers and shipped with this page, is rolled out autoregressively, as is and wrapped by ' +
        '@noether/ecf’s withConservation: the encoder reads the mass Σ w u of the initial condition and the ' +
        'decoder projects every prediction back onto it (on this uniform periodic grid: the paper’s zero-mode ' +
        'replacement). The reference is solved here by @noether/datasets’ float64 solver. Mass error: ' +
        '|Σ w u_k − Σ w u_0| / Σ w |u_0|, in float64 from the float32 states. Viscosity damps u toward its ' +
        'mean, so the relative L2 error grows late in a rollout even where the absolute error does not.',
    }),
    card,
    el('div', { class: 'controls' }, [field('initial condition', initial), field('steps', steps), run]),
    progress,
    table,
    uHost,
    el('div', { class: 'row' }, [consHost, errHost]),
  );
  const consChart = createChart(
    consHost,
    logSpec('mass error over the rollout', 'mass error (log)', '~e') as never,
  );
  const errChart = createChart(
    errHost,
    logSpec('relative L2 error vs the reference', 'rel. L2 (log)') as never,
  );
  let uChart: ReturnType<typeof createChart> | null = null;

  let meta: WebModelMeta | null = null;
  let model: Promise<NeuralOperator> | null = null;
  const base = new URL(MODEL_DIR, location.href).href;
  void fetch(`${base}meta.json`)
    .then(async (r) => {
      if (!r.ok) throw new Error(`${r.status} ${r.statusText} for ${MODEL_DIR}meta.json`);
      return (await r.json()) as WebModelMeta;
    })
    .then((m) => {
      meta = m;
      initial.replaceChildren(
        ...[...m.initialConditions.map((c) => c.name), SHIFTED].map((o) =>
          el('option', { value: o, text: o }),
        ),
      );
      initial.value = m.initialConditions[0]?.name ?? SHIFTED;
      const s = m.settings;
      card.textContent =
        `Model: FNO, ${s.layers} Fourier layers, width ${s.width}, ${s.modes} modes, ${m.model.parameters} ` +
        `parameters (${(m.model.weightBytes / 1000).toFixed(0)} kB float32), trained ${s.steps} Adam steps on ` +
        `${s.train} trajectories × ${s.samples - 1} steps of ${m.pde.equation} (periodic [0, 1), ${m.pde.points} ` +
        `cells, one step = Δt ${m.pde.sampleDt}). The CLI measured on held-out trajectories: one-step rel. L2 ` +
        `${fmt(m.heldOut.oneStepRelL2)}; after ${m.heldOut.rollSteps} steps rel. L2 ${fmt(m.heldOut.plain.relL2Last)} ` +
        `(FNO) / ${fmt(m.heldOut.ecf.relL2Last)} (FNO + ECF), mass error ${fmt(m.heldOut.plain.conservation)} / ` +
        `${fmt(m.heldOut.ecf.conservation)}. Regenerate: noether ecf-web-model.`;
      progress.textContent = 'Ready.';
      run.disabled = false;
    })
    .catch((error: Error) => {
      progress.textContent = `Error: could not load the model card: ${error.message}`;
      progress.dataset.status = 'error';
    });

  run.addEventListener('click', async () => {
    if (!meta) return;
    const m = meta;
    run.disabled = true;
    tbody.replaceChildren();
    delete progress.dataset.status;
    const started = performance.now();
    try {
      const n = m.pde.points;
      const N = Number(steps.value);
      const dt = m.pde.sampleDt;
      const chosen = m.initialConditions.find((c) => c.name === initial.value);
      // Cell averages are sampled at the cell centres (j + 1/2)/n, as the training data were.
      const u0 = chosen
        ? Float64Array.from(chosen.u)
        : Float64Array.from({ length: n }, (_, j) => 0.2 + 0.4 * Math.sin((2 * Math.PI * (j + 0.5)) / n));
      progress.textContent = 'Loading the pretrained FNO…';
      model ??= loadOperator(tf.io.http(`${base}model.json`));
      const fno = await model;
      progress.textContent = `Solving the reference (float64) for ${N} steps…`;
      await nextFrame();
      const ref = solveBurgers1d(u0, {
        viscosity: m.pde.viscosity,
        domain: m.pde.domain,
        points: n,
        boundary: m.pde.boundary,
        times: Float64Array.from({ length: N + 1 }, (_, k) => k * dt),
      });
      if (ref.status !== 'ok') throw new Error(`the reference solver returned ${ref.status}`);
      const w = ref.weights;
      const x0 = tf.tensor3d(Float32Array.from(u0), [1, n, 1]);
      const u0f = x0.dataSync();
      const mass0 = weighted(u0f, w);
      const tracks: Track[] = [];
      try {
        const ecf = withConservation(fno, { weights: w, invariants: ['linear'] });
        const variants = [
          {
            variant: 'plain' as const,
            label: 'FNO',
            go: () => rollout((u) => fno.apply(u), x0, { steps: N }),
          },
          { variant: 'ecf' as const, label: 'FNO + ECF', go: () => conservedRollout(ecf, x0, { steps: N }) },
        ];
        for (const v of variants) {
          progress.textContent = `Rolling out ${v.label} for ${N} steps…`;
          await nextFrame();
          const t0 = performance.now();
          const traj = v.go();
          const u = (await traj.data()) as Float32Array;
          const ms = performance.now() - t0;
          traj.dispose();
          const conservation: number[] = [];
          const errors: number[] = [];
          for (let k = 0; k < N; k++) {
            conservation.push(Math.abs(weighted(u, w, k * n).sum - mass0.sum) / mass0.abs);
            errors.push(relL2(u, ref.u, [k * n, (k + 1) * n, n]));
          }
          tracks.push({ variant: v.variant, label: v.label, u, conservation, relL2: errors, ms });
        }
      } finally {
        x0.dispose();
      }
      // Plots: u at four steps; mass error and rel. L2 per step on log axes (an exact 0 is drawn at 1e-12).
      const shown = [...new Set([0, Math.round(N / 4), Math.round(N / 2), N])];
      const rows: object[] = [];
      for (const k of shown) {
        const stepLabel = `step ${k} (t = ${(k * dt).toFixed(2)})`;
        for (let j = 0; j < n; j++) {
          const x = ref.x[j];
          rows.push({ step: k, stepLabel, x, series: 'reference', u: ref.u[k * n + j] });
          for (const tr of tracks)
            rows.push({
              step: k,
              stepLabel,
              x,
              series: tr.label,
              u: k === 0 ? u0f[j] : tr.u[(k - 1) * n + j],
            });
        }
      }
      uChart ??= createChart(uHost, uSpec(n) as never);
      uChart.update(rows);
      const series = (pick: (t: Track) => number[]) =>
        tracks.flatMap((tr) =>
          pick(tr).map((value, k) => ({ step: k + 1, series: tr.label, value: Math.max(value, 1e-12) })),
        );
      consChart.update(series((t) => t.conservation));
      errChart.update(series((t) => t.relL2));
      for (const tr of tracks) {
        const maxCons = Math.max(...tr.conservation);
        tbody.append(
          el(
            'tr',
            {
              'data-variant': tr.variant,
              'data-max-conservation': maxCons,
              'data-last-conservation': tr.conservation[N - 1],
              'data-rel-l2-20': tr.relL2[Math.min(20, N) - 1],
              'data-rel-l2-last': tr.relL2[N - 1],
              'data-ms': tr.ms,
            },
            [
              el('td', { text: tr.label }),
              el('td', { text: fmt(maxCons) }),
              el('td', { text: fmt(tr.conservation[N - 1]) }),
              el('td', { text: fmt(tr.relL2[Math.min(20, N) - 1]) }),
              el('td', { text: fmt(tr.relL2[N - 1]) }),
              el('td', { text: `${tr.ms.toFixed(0)} ms` }),
            ],
          ),
        );
      }
      await Promise.all([uChart.drawn(), consChart.drawn(), errChart.drawn()]);
      const seconds = (performance.now() - started) / 1000;
      progress.dataset.status = 'ok';
      progress.dataset.steps = String(N);
      progress.dataset.seconds = String(seconds);
      progress.textContent = `Done: ${N} steps from ${initial.value}, reference and both rollouts in ${seconds.toFixed(1)} s.`;
    } catch (error) {
      progress.dataset.status = 'error';
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      run.disabled = false;
    }
  });
}
