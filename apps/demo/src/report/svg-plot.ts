/**
 * Dependency-free SVG plots for reports: line plots (linear or log y) and heat maps. Pure functions that
 * return SVG text; writing files is the caller's job.
 */

/** One line of a {@link linePlot}. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; defaults to a palette entry. */
  color?: string;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (non-positive values are dropped). Default false. */
  logY?: boolean;
  /** Logarithmic x axis (non-positive values are dropped). Default false. */
  logX?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 70, right: 20, top: 34, bottom: 48 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** The title and axis labels shared by every plot, for a plot area of `plotW` x `plotH` inside MARGIN. */
function titleAndAxisLabels(
  options: { title?: string; xLabel?: string; yLabel?: string },
  box: { width: number; height: number; plotW: number; plotH: number },
): string[] {
  const out: string[] = [];
  if (options.title)
    out.push(
      `<text x="${box.width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    );
  if (options.xLabel)
    out.push(
      `<text x="${MARGIN.left + box.plotW / 2}" y="${box.height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    );
  if (options.yLabel)
    out.push(
      `<text transform="translate(16 ${MARGIN.top + box.plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    );
  return out;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-2 ? value.toExponential(0) : String(Number(value.toPrecision(3)));
}

/** "Nice" tick positions covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

/**
 * A line plot of one or more series as an SVG document.
 * @example writeFileSync('energy.svg', linePlot([{ label: 'leapfrog', x: t, y: err }], { logY: true }));
 */
export function linePlot(series: Series[], options: LinePlotOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const tx = (v: number) => (options.logX ? Math.log10(v) : v);
  const ty = (v: number) => (options.logY ? Math.log10(v) : v);
  const ok = (v: number, log?: boolean) => Number.isFinite(v) && (!log || v > 0);
  const points = series.map((s) => {
    const out: [number, number][] = [];
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      if (ok(s.x[i], options.logX) && ok(s.y[i], options.logY)) out.push([tx(s.x[i]), ty(s.y[i])]);
    }
    return out;
  });
  const [x0, x1] = extent(points.flat().map((p) => p[0]));
  let [y0, y1] = extent(points.flat().map((p) => p[1]));
  if (options.logY) [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * plotW;
  const py = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  );
  const xTicks = options.logX
    ? niceTicks(Math.floor(x0), Math.ceil(x1)).filter(Number.isInteger)
    : niceTicks(x0, x1);
  const yTicks = options.logY ? niceTicks(y0, y1).filter(Number.isInteger) : niceTicks(y0, y1);
  for (const t of xTicks.filter((t) => t >= x0 && t <= x1)) {
    const label = options.logX ? `1e${t}` : formatTick(t);
    parts.push(
      `<line x1="${px(t)}" y1="${MARGIN.top}" x2="${px(t)}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${px(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  for (const t of yTicks.filter((t) => t >= y0 && t <= y1)) {
    const label = options.logY ? `1e${t}` : formatTick(t);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${py(t)}" x2="${MARGIN.left + plotW}" y2="${py(t)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(t) + 4}" text-anchor="end">${label}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  const legendWidth = Math.min(plotW, 40 + 7 * Math.max(0, ...series.map((s) => s.label.length)));
  const legendX = MARGIN.left + plotW - legendWidth - 4;
  parts.push(
    `<rect x="${legendX}" y="${MARGIN.top + 4}" width="${legendWidth}" height="${16 * series.length + 6}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`,
  );
  points.forEach((pts, k) => {
    if (pts.length === 0) return;
    const color = series[k].color ?? PALETTE[k % PALETTE.length];
    const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(2)},${py(y).toFixed(2)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    const ly = MARGIN.top + 14 + 16 * k;
    parts.push(
      `<line x1="${legendX + 6}" y1="${ly - 4}" x2="${legendX + 26}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${legendX + 31}" y="${ly}">${escapeXml(series[k].label)}</text>`,
    );
  });
  parts.push(...titleAndAxisLabels(options, { width, height, plotW, plotH }), '</svg>');
  return parts.join('\n');
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Axis extents [min, max] for labels. Default: index ranges. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Colour range; default the data's min and max. */
  vmin?: number;
  vmax?: number;
  /** Diverging colour map (blue-white-red, symmetric about 0). Default false (viridis-like). */
  diverging?: boolean;
  width?: number;
  height?: number;
}

const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function colourAt(stops: [number, number, number][], s: number): string {
  const x = Math.min(1, Math.max(0, s)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, j) => Math.round(a + (stops[i + 1][j] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/**
 * A heat map of `values` laid out row-major as `[rows, cols]` (row 0 at the bottom), as an SVG document.
 * Typical use: `rows` = time levels, `cols` = grid points.
 */
export function heatmap(
  values: ArrayLike<number>,
  shape: [number, number],
  options: HeatmapOptions = {},
): string {
  const [rows, cols] = shape;
  if (values.length !== rows * cols) {
    throw new Error(`heatmap(): argument 'values' must have ${rows}*${cols} entries, got ${values.length}`);
  }
  const width = options.width ?? 560;
  const height = options.height ?? 360;
  const barW = 60;
  const plotW = width - MARGIN.left - MARGIN.right - barW;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  let lo = options.vmin ?? Infinity;
  let hi = options.vmax ?? -Infinity;
  if (options.vmin === undefined || options.vmax === undefined) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) continue;
      if (options.vmin === undefined) lo = Math.min(lo, values[i]);
      if (options.vmax === undefined) hi = Math.max(hi, values[i]);
    }
  }
  if (options.diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  if (!(hi > lo)) hi = lo + 1;
  const stops: [number, number, number][] = options.diverging
    ? [
        [33, 102, 172],
        [247, 247, 247],
        [178, 24, 43],
      ]
    : VIRIDIS;
  const cw = plotW / cols;
  const ch = plotH / rows;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<g shape-rendering="crispEdges">`,
  ];
  for (let r = 0; r < rows; r++) {
    const y = MARGIN.top + plotH - (r + 1) * ch;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const fill = Number.isFinite(v) ? colourAt(stops, (v - lo) / (hi - lo)) : '#f0f';
      parts.push(
        `<rect x="${(MARGIN.left + c * cw).toFixed(2)}" y="${y.toFixed(2)}" width="${(cw + 0.05).toFixed(2)}" height="${(ch + 0.05).toFixed(2)}" fill="${fill}"/>`,
      );
    }
  }
  parts.push('</g>');
  const bx = MARGIN.left + plotW + 16;
  for (let k = 0; k < 50; k++) {
    parts.push(
      `<rect x="${bx}" y="${(MARGIN.top + plotH - ((k + 1) * plotH) / 50).toFixed(2)}" width="14" height="${(plotH / 50 + 0.5).toFixed(2)}" fill="${colourAt(stops, (k + 0.5) / 50)}"/>`,
    );
  }
  parts.push(
    `<text x="${bx + 18}" y="${MARGIN.top + 10}">${formatTick(hi)}</text>`,
    `<text x="${bx + 18}" y="${MARGIN.top + plotH}">${formatTick(lo)}</text>`,
  );
  const [xa, xb] = options.xRange ?? [0, cols - 1];
  const [ya, yb] = options.yRange ?? [0, rows - 1];
  for (const t of niceTicks(xa, xb)) {
    const x = MARGIN.left + ((t - xa) / (xb - xa || 1)) * plotW;
    parts.push(`<text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  for (const t of niceTicks(ya, yb)) {
    const y = MARGIN.top + plotH - ((t - ya) / (yb - ya || 1)) * plotH;
    parts.push(`<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(t)}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  parts.push(...titleAndAxisLabels(options, { width, height, plotW, plotH }), '</svg>');
  return parts.join('\n');
}
