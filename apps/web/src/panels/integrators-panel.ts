// integrators panel: a Kepler orbit integrated in float64 by the chosen method and by rk4, with the energy
// error on a log axis (a symplectic method keeps it bounded, rk4 drifts) and the position error against the
// exact orbit (Kepler's equation).
import { kepler, keplerOrbit } from '@noether/datasets';
import { integrate, methods, type MethodName } from '@noether/integrators';
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, nextFrame, select, slider } from '../ui';

const METHOD_CHOICES: readonly MethodName[] = [
  'leapfrog',
  'symplecticEulerA',
  'ruth3',
  'forestRuth',
  'mclachlan4',
  'blanesMoan4',
  'yoshida6',
  'kahanLi8',
  'implicitMidpoint',
  'gaussLegendre4',
  'euler',
  'heun',
  'rk4',
];

/** Energy error and position error of one method along the orbit. */
interface Track {
  method: string;
  t: number[];
  energyError: number[];
  q: Array<[number, number]>;
  positionError: number;
  firstHalfMax: number;
  secondHalfMax: number;
}

/** Kepler energy H = |p|^2/2 - 1/|q| (written out here, independent of the package's system). */
const energyOf = (x: ArrayLike<number>) => 0.5 * (x[2] * x[2] + x[3] * x[3]) - 1 / Math.hypot(x[0], x[1]);

const energySpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 460,
  height: 260,
  title: 'relative energy error |H(t) - H(0)| / |H(0)|',
  mark: { type: 'line', strokeWidth: 1.2, clip: true },
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'time (periods)', scale: { nice: false } },
    y: { field: 'error', type: 'quantitative', scale: { type: 'log' }, title: 'energy error (log)' },
    color: { field: 'method', type: 'nominal' },
  },
};
const orbitSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 300,
  height: 300,
  title: 'orbit q = (x, y)',
  mark: { type: 'line', strokeWidth: 0.8, clip: true },
  encoding: {
    x: { field: 'x', type: 'quantitative', scale: { domain: [-2, 1] } },
    y: { field: 'y', type: 'quantitative', scale: { domain: [-1.5, 1.5] } },
    color: { field: 'method', type: 'nominal' },
    order: { field: 'i', type: 'quantitative' },
    detail: { field: 'method' },
  },
};

export function mount(root: HTMLElement, _context: PanelContext): void {
  const ecc = slider('kepler-e', { min: 0, max: 0.9, step: 0.05, value: 0.6 });
  const method = select('kepler-method', METHOD_CHOICES, 'leapfrog');
  const dt = select('kepler-dt', ['0.05', '0.02', '0.01', '0.005'], '0.01');
  const periods = select('kepler-periods', ['10', '50', '100', '500'], '100');
  const run = el('button', { 'data-testid': 'kepler-run', class: 'run', text: 'Integrate' });
  const progress = el('p', { 'data-testid': 'kepler-progress', class: 'progress', text: 'Ready.' });
  const tbody = el('tbody');
  const results = el('table', { 'data-testid': 'kepler-results', class: 'table' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        [
          'method',
          'symplectic',
          'max energy error',
          '1st half max',
          '2nd half max',
          'growth (2nd/1st)',
          'final position error',
        ].map((h) => el('th', { text: h })),
      ),
    ]),
    tbody,
  ]);
  const energyHost = el('div', { class: 'chart' });
  const orbitHost = el('div', { class: 'chart' });
  root.append(
    el('h2', { text: 'integrators: Kepler orbit, symplectic vs rk4' }),
    el('p', {
      class: 'lead',
      text:
        'H = |p|²/2 − 1/|q| from pericentre of the orbit with semi-major axis 1 (period 2π), integrated in float64 by ' +
        '@noether/integrators. A symplectic method keeps the energy error bounded for all time; rk4 is more accurate ' +
        'per step but its energy drifts. Position error is against the exact orbit (Kepler’s equation).',
    }),
    el('div', { class: 'controls' }, [
      field('eccentricity', ecc.node),
      field('method', method),
      field('dt', dt),
      field('periods', periods),
      run,
    ]),
    progress,
    results,
    el('div', { class: 'row' }, [energyHost, orbitHost]),
  );
  const energyChart = createChart(energyHost, energySpec as never);
  const orbitChart = createChart(orbitHost, orbitSpec as never);

  const draw = (tracks: Track[]) => {
    energyChart.update(
      // t = 0 has error 0 by definition (no point on a log axis).
      tracks.flatMap((tr) =>
        tr.t
          .slice(1)
          .map((t, i) => ({ method: tr.method, t, error: Math.max(tr.energyError[i + 1], 1e-17) })),
      ),
    );
    orbitChart.update(
      tracks.flatMap((tr) => {
        const stride = Math.max(1, Math.floor(tr.q.length / 1500));
        return tr.q.filter((_, i) => i % stride === 0).map(([x, y], i) => ({ method: tr.method, x, y, i }));
      }),
    );
  };

  run.addEventListener('click', async () => {
    run.disabled = true;
    tbody.replaceChildren();
    const started = performance.now();
    try {
      const e = Number(ecc.input.value);
      const h = Number(dt.value);
      const T = 2 * Math.PI * Number(periods.value);
      const steps = Math.round(T / h);
      const chosen = method.value as MethodName;
      const names = chosen === 'rk4' ? ['rk4'] : [chosen, 'rk4'];
      const orbit = keplerOrbit(e);
      const system = kepler().integratorSystem;
      const H0 = energyOf(orbit.x0);
      const saveEvery = Math.max(1, Math.floor(steps / 2000));
      const chunk = saveEvery * 100;
      const tracks: Track[] = [];
      for (const name of names) {
        const track: Track = {
          method: name,
          t: [0],
          energyError: [0],
          q: [[orbit.x0[0], orbit.x0[1]]],
          positionError: NaN,
          firstHalfMax: 0,
          secondHalfMax: 0,
        };
        tracks.push(track);
        let x = Float64Array.from(orbit.x0);
        let done = 0;
        while (done < steps) {
          const n = Math.min(chunk, steps - done);
          const res = integrate(name as MethodName, system, {
            x0: x,
            dt: h,
            t0: done * h,
            steps: n,
            saveEvery,
            throwOnFailure: false,
          });
          if (res.status !== 'ok') throw new Error(`${name}: ${res.status} ${res.message ?? ''}`);
          const rows = res.t.length;
          for (let i = 1; i < rows; i++) {
            const state = [0, 1, 2, 3].map((j) => res.x.get(i, j) as number);
            track.t.push(res.t[i] / (2 * Math.PI));
            track.energyError.push(Math.abs(energyOf(state) - H0) / Math.abs(H0));
            track.q.push([state[0], state[1]]);
          }
          x = Float64Array.from(res.final);
          done += n;
          progress.textContent = `${name}: step ${done} / ${steps}`;
          draw(tracks);
          await nextFrame();
        }
        const exact = orbit.at(steps * h);
        track.positionError = Math.hypot(x[0] - exact[0], x[1] - exact[1]);
        const half = track.t.length >> 1;
        track.firstHalfMax = Math.max(...track.energyError.slice(1, half));
        track.secondHalfMax = Math.max(...track.energyError.slice(half));
        tbody.append(resultRow(track));
      }
      draw(tracks);
      await Promise.all([energyChart.drawn(), orbitChart.drawn()]);
      progress.textContent = `Done: ${steps} steps per method, e = ${e}, dt = ${h}, in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    } catch (error) {
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      run.disabled = false;
    }
  });
}

function resultRow(tr: Track): HTMLTableRowElement {
  const max = Math.max(tr.firstHalfMax, tr.secondHalfMax);
  const growth = tr.secondHalfMax / tr.firstHalfMax;
  const symplectic = (methods as Record<string, { symplectic?: boolean }>)[tr.method]?.symplectic === true;
  return el(
    'tr',
    {
      'data-method': tr.method,
      'data-max-error': max,
      'data-growth': growth,
      'data-position-error': tr.positionError,
      'data-symplectic': symplectic,
    },
    [
      el('td', { text: tr.method }),
      el('td', { text: symplectic ? 'yes' : 'no' }),
      el('td', { text: fmt(max) }),
      el('td', { text: fmt(tr.firstHalfMax) }),
      el('td', { text: fmt(tr.secondHalfMax) }),
      el('td', { text: growth.toFixed(2) }),
      el('td', { text: fmt(tr.positionError) }),
    ],
  );
}
