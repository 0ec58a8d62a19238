/**
 * The report plots as SVG strings: line plots (linear or log axes) and heat maps. A thin adapter over the
 * Vega-Lite specs of `vega-plots.ts`, rendered by Vega's headless SVG renderer; the signatures and option
 * names are those of the former hand-written plots, so callers keep working. Pure functions that return SVG
 * text; writing files is the caller's job.
 */
import {
  heatmapSpec,
  linePlotSpec,
  renderVegaLite,
  type HeatmapOptions,
  type LinePlotOptions,
  type Series,
} from './vega-plots';

export type { HeatmapOptions, LinePlotOptions, Series };

/**
 * A line plot of one or more series as an SVG document; the legend sits to the right of the plot area.
 * @example writeFileSync('energy.svg', linePlot([{ label: 'leapfrog', x: t, y: err }], { logY: true }));
 */
export function linePlot(series: Series[], options: LinePlotOptions = {}): string {
  return renderVegaLite(linePlotSpec(series, options));
}

/**
 * A heat map of `values` laid out row-major as `[rows, cols]` (row 0 at the bottom), as an SVG document with
 * the field embedded as one PNG image. Typical use: `rows` = time levels, `cols` = grid points.
 */
export function heatmap(
  values: ArrayLike<number>,
  shape: [number, number],
  options: HeatmapOptions = {},
): string {
  return renderVegaLite(heatmapSpec(values, shape, options));
}
