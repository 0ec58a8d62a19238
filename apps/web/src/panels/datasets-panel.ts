// datasets panel: @noether/datasets' float64 PDE reference solvers run in the browser, their conserved
// integrals over time, and the solution written as a numpy-readable .npy (and read back) without a server.
import {
  decodeNpy,
  encodeNpy,
  pinnProjPresets,
  solvePinnProjPreset,
  type PdeSolution,
  type PinnProjPresetName,
} from '@noether/datasets';
import { heatmapRows, heatmapSpec } from '../heatmap';
import type { PanelContext } from '../panel';
import { createChart } from '../plot';
import { el, field, fmt, nextFrame, select } from '../ui';

const PRESETS: readonly PinnProjPresetName[] = ['advection', 'wave', 'kdv', 'reactionDiffusion'];

/**
 * What I(t)/I(0) should be, from the PDE and the preset's walls: mass stays constant for advection and wave
 * (zero-flux walls) and grows as e^{0.5 t} for reaction–diffusion (d/dt ∫u = 0.5 ∫u when no flux leaves);
 * KdV's preset has Neumann walls through which mass leaves with the flow, so nothing is asserted there.
 */
function expectedRatio(preset: PinnProjPresetName, integral: string, t: number): number | null {
  if (integral === 'massScaled') return 1; // e^{-0.5 t} ∫u (reaction–diffusion) is conserved
  if (integral !== 'mass' || preset === 'kdv') return null;
  return preset === 'reactionDiffusion' ? Math.exp(0.5 * t) : 1;
}

function expectationText(preset: PinnProjPresetName, integral: string): string {
  if (expectedRatio(preset, integral, 0) !== null)
    return preset === 'reactionDiffusion' && integral === 'mass' ? 'I(0) e^{0.5 t}' : 'I(0)';
  return preset === 'kdv' && integral === 'mass' ? 'leaves through the Neumann walls' : 'no expectation';
}

const driftSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 420,
  height: 220,
  title: 'integrals over time: |I(t)/I(0) − expected(t)|',
  mark: { type: 'line', point: { size: 8 }, clip: true },
  encoding: {
    x: { field: 't', type: 'quantitative' },
    y: { field: 'deviation', type: 'quantitative', scale: { type: 'log' }, title: 'deviation (log)' },
    color: { field: 'integral', type: 'nominal' },
  },
};

/** The solution u `[100, 256]` as float64 .npy bytes, and whether decoding them gives back every bit. */
function npyRoundTrip(s: PdeSolution): { bytes: Uint8Array; exact: boolean } {
  const bytes = encodeNpy({ data: s.u, shape: s.shape });
  const back = decodeNpy(bytes, 'u.npy');
  const exact =
    back.shape.join() === s.shape.join() &&
    back.data.length === s.u.length &&
    s.u.every((v, i) => Object.is(v, back.data[i]));
  return { bytes, exact };
}

export function mount(root: HTMLElement, _context: PanelContext): void {
  const preset = select('pde-preset', PRESETS, 'reactionDiffusion');
  const run = el('button', { 'data-testid': 'pde-run', class: 'run', text: 'Solve (float64)' });
  const progress = el('p', { 'data-testid': 'pde-progress', class: 'progress', text: 'Ready.' });
  const scheme = el('p', { class: 'note' });
  const tbody = el('tbody');
  const table = el('table', { 'data-testid': 'pde-integrals', class: 'table' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        ['integral', 'I(0)', 'expected', 'max |I(t)/I(0) − expected|'].map((h) => el('th', { text: h })),
      ),
    ]),
    tbody,
  ]);
  const download = el('a', { 'data-testid': 'pde-download', text: '', download: 'u.npy' });
  const heatHost = el('div', { class: 'chart' });
  const driftHost = el('div', { class: 'chart' });
  root.append(
    el('h2', { text: 'datasets: float64 PDE references in the browser' }),
    el('p', {
      class: 'lead',
      text:
        'The reference solvers of @noether/datasets (the PINN-Proj setups: finite volumes on 256 cells, 100 output ' +
        'levels) run here in float64, with their conserved integrals checked over time; the solution is written as ' +
        'a .npy that numpy opens (encodeNpy), decoded again (decodeNpy) and compared bit for bit.',
    }),
    el('div', { class: 'controls' }, [field('PDE', preset), run]),
    progress,
    scheme,
    table,
    download,
    el('div', { class: 'row' }, [heatHost, driftHost]),
  );
  const heat = createChart(heatHost, heatmapSpec(['solution']) as never);
  const drift = createChart(driftHost, driftSpec as never);

  run.addEventListener('click', async () => {
    run.disabled = true;
    tbody.replaceChildren();
    try {
      const name = preset.value as PinnProjPresetName;
      progress.textContent = `solving ${name}…`;
      await nextFrame();
      const started = performance.now();
      const s = solvePinnProjPreset(name);
      const seconds = (performance.now() - started) / 1000;
      scheme.textContent = `${pinnProjPresets[name].equation} — ${s.scheme}`;
      const points: object[] = [];
      for (const [integral, values] of Object.entries(s.conserved)) {
        let worst = 0;
        const expected = (t: number) => expectedRatio(name, integral, t);
        for (let k = 1; k < s.t.length; k++) {
          const e = expected(s.t[k]);
          const deviation = Math.abs(values[k] / values[0] - (e ?? 1));
          if (e !== null) worst = Math.max(worst, deviation);
          points.push({
            integral: e === null ? `${integral} (no expectation)` : integral,
            t: s.t[k],
            deviation: Math.max(deviation, 1e-17),
          });
        }
        const e = expected(1);
        tbody.append(
          el('tr', { 'data-integral': integral, 'data-deviation': e === null ? '' : worst }, [
            el('td', { text: integral }),
            el('td', { text: fmt(values[0], 6) }),
            el('td', {
              text: expectationText(name, integral),
            }),
            el('td', { text: e === null ? '–' : fmt(worst) }),
          ]),
        );
      }
      heat.update(heatmapRows('solution', s.u, s));
      drift.update(points);
      const { bytes, exact } = npyRoundTrip(s);
      URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
      download.textContent = `download u of ${name} as .npy (${(bytes.length / 1e6).toFixed(2)} MB; read back ${exact ? 'bit-identical' : 'DIFFERENT'})`;
      download.setAttribute('download', `${name}-u.npy`);
      download.dataset.exact = String(exact);
      await Promise.all([heat.drawn(), drift.drawn()]);
      progress.textContent = `Done: ${name}, ${s.steps} steps, status ${s.status}, solved in ${seconds.toFixed(2)} s.`;
      progress.dataset.status = s.status;
    } catch (error) {
      progress.textContent = `Error: ${(error as Error).message}`;
    } finally {
      run.disabled = false;
    }
  });
}
