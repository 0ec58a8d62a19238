import type { PdeSolution } from '@noether/datasets';

/**
 * A faceted Vega-Lite heat map of fields u(x, t) on a 1D grid (one facet per `field` value, in `order`).
 * Cells are explicit rectangles (x0..x1, t0..t1), stroked in their fill colour so no seams show.
 */
export function heatmapSpec(order: readonly string[], title = 'u(x, t)'): object {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    facet: { field: 'field', type: 'nominal', sort: order, title: null },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'rect', strokeWidth: 0.6 },
      encoding: {
        stroke: { field: 'u', type: 'quantitative', scale: { scheme: 'viridis' }, legend: null },
        x: { field: 'x0', type: 'quantitative', title: 'x', scale: { nice: false, zero: false } },
        x2: { field: 'x1' },
        y: { field: 't0', type: 'quantitative', title: 't', scale: { nice: false, zero: false } },
        y2: { field: 't1' },
        color: { field: 'u', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'u' },
      },
    },
  };
}

/** Heat-map rows of a level-major `[t.length, x.length]` field, every 2nd node and level. */
export function heatmapRows(name: string, u: ArrayLike<number>, grid: Pick<PdeSolution, 'x' | 't'>) {
  const stride = 2;
  const n = grid.x.length;
  const dx = stride * (grid.x[1] - grid.x[0]);
  const dt = stride * (grid.t[1] - grid.t[0]);
  const rows: object[] = [];
  for (let k = 0; k < grid.t.length; k += stride)
    for (let j = 0; j < n; j += stride) {
      const x = grid.x[j] + (dx * (stride - 1)) / (2 * stride);
      const t = grid.t[k] + (dt * (stride - 1)) / (2 * stride);
      rows.push({
        field: name,
        x0: x - dx / 2,
        x1: x + dx / 2,
        t0: t - dt / 2,
        t1: t + dt / 2,
        u: u[k * n + j],
      });
    }
  return rows;
}
