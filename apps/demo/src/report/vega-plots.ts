/**
 * Report plots as Vega-Lite specifications, rendered to SVG in Node by Vega's headless SVG renderer (no
 * browser, no canvas). Why Vega-Lite: a declarative JSON grammar (the same spec can drive the web page later),
 * a well-kept renderer with a real layout engine (axes, log scales, legends placed outside the data), and
 * pure-JS SVG output. Heat maps are one embedded PNG image (encoded here, see {@link encodePng}) instead of a
 * rectangle per cell, with Vega's own colour scheme for both the pixels and the legend.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from '@noether/datasets';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** One line of a line plot. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; defaults to the scheme's entry. */
  color?: string;
}

/** Options of a line plot. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (non-positive values are dropped). Default false. */
  logY?: boolean;
  /** Logarithmic x axis (non-positive values are dropped). Default false. */
  logX?: boolean;
  /** Width of the plot area in px (the legend and axes come on top). Default 560. */
  width?: number;
  /** Height of the plot area in px. Default 320. */
  height?: number;
}

/** Options of a heat map. */
export interface HeatmapOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Axis extents [min, max]. Default: index ranges. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Colour range; default the data's finite min and max. */
  vmin?: number;
  vmax?: number;
  /** Diverging colour map (blue-white-red, symmetric about 0). Default false (viridis). */
  diverging?: boolean;
  /** Width of the plot area in px. Default 420. */
  width?: number;
  /** Height of the plot area in px. Default 280. */
  height?: number;
}

/** The parts of Vega's scenegraph that {@link attachImages} touches. */
interface SceneNode {
  marktype?: string;
  items?: SceneNode[];
  url?: string;
  image?: unknown;
}

/**
 * Gives every image item its (data URL) image up front. The SVG renderer writes `xlink:href` from
 * `item.image.src`, which Vega's loader fills asynchronously; rendering synchronously, a data URL needs no
 * loading, so it is attached here (an empty href would make the image the document itself).
 */
function attachImages(node: SceneNode): void {
  if (node.marktype === 'image') {
    for (const item of node.items ?? []) {
      if (item.url?.startsWith('data:')) item.image = { complete: true, src: item.url, url: item.url };
    }
  }
  for (const child of node.items ?? []) attachImages(child);
}

/** Renders a Vega-Lite spec to an SVG document, synchronously (Vega's headless SVG string renderer). */
export function renderVegaLite(spec: TopLevelSpec): string {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  view.run();
  // What view.toSVG() does, without its await: size and origin as vega-view computes them.
  const internal = view as unknown as { _viewWidth: number; _viewHeight: number; _origin: [number, number] };
  const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
  // SVGStringRenderer is exported by vega (from vega-scenegraph) but missing from its type declarations.
  const { SVGStringRenderer } = vega as unknown as {
    SVGStringRenderer: new (loader: unknown) => {
      initialize(
        el: null,
        w: number,
        h: number,
        origin: [number, number],
        scale: number,
      ): {
        background(color: unknown): unknown;
      };
      render(scene: unknown): unknown;
      svg(): string;
    };
  };
  const renderer = new SVGStringRenderer(view.loader());
  renderer
    .initialize(
      null,
      internal._viewWidth + pad.left + pad.right,
      internal._viewHeight + pad.top + pad.bottom,
      [pad.left + internal._origin[0], pad.top + internal._origin[1]],
      1,
    )
    .background(view.background());
  const root = (view.scenegraph() as unknown as { root: SceneNode }).root;
  attachImages(root);
  renderer.render(root);
  const svg = renderer.svg();
  view.finalize();
  if (!svg || !svg.startsWith('<svg')) throw new Error('renderVegaLite(): Vega produced no SVG');
  return svg;
}

const FONT = { font: 'sans-serif', labelFontSize: 11, titleFontSize: 12 };

/** The Vega-Lite spec of a line plot: one colour per series, the legend to the right of the plot area. */
export function linePlotSpec(series: Series[], options: LinePlotOptions = {}): TopLevelSpec {
  const ok = (v: number, log?: boolean) => Number.isFinite(v) && (!log || v > 0);
  const rows: { x: number; y: number; series: string; order: number }[] = [];
  series.forEach((s) => {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (ok(x, options.logX) && ok(y, options.logY)) rows.push({ x, y, series: s.label, order: i });
    }
  });
  const labels = series.map((s) => s.label);
  const custom = series.some((s) => s.color !== undefined);
  const tableau = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 560,
    height: options.height ?? 320,
    background: 'white',
    ...(options.title ? { title: { text: options.title, fontSize: 14, font: 'sans-serif' } } : {}),
    config: { axis: FONT, legend: { ...FONT, orient: 'right', labelLimit: 400 }, view: { stroke: '#888' } },
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: options.xLabel ?? 'x',
        scale: options.logX ? { type: 'log' } : { zero: false, nice: false },
        axis: options.logX ? { format: '.0e' } : {},
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yLabel ?? 'y',
        scale: options.logY ? { type: 'log' } : { zero: false },
        axis: options.logY ? { format: '.0e' } : {},
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: labels,
        scale: {
          domain: labels,
          range: series.map((s, k) => (custom && s.color ? s.color : tableau[k % tableau.length]!)),
        },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** A 256-entry RGB lookup table of a Vega colour scheme (`reverse` flips it). */
function schemeTable(name: string, reverse: boolean): Uint8Array {
  const interpolate = vega.scheme(name) as unknown as (t: number) => string;
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = interpolate(reverse ? 1 - i / 255 : i / 255);
    const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(c) ?? /#(..)(..)(..)/.exec(c);
    if (!m) throw new Error(`vega scheme '${name}' gave an unexpected colour ${c}`);
    const base = c.startsWith('#') ? 16 : 10;
    for (let j = 0; j < 3; j++) lut[3 * i + j] = parseInt(m[j + 1]!, base);
  }
  return lut;
}

/**
 * Encodes 8-bit RGB pixels (row-major, top row first, `3 * width * height` bytes) as a PNG file: IHDR,
 * one zlib-compressed IDAT (filter type 0 on every row), IEND, each chunk with its CRC-32.
 * @see PNG specification (W3C, 2nd edition), sections 5 and 11.
 */
export function encodePng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new Error(`encodePng(): width and height must be positive integers, got ${width} x ${height}`);
  if (rgb.length !== 3 * width * height)
    throw new Error(`encodePng(): argument 'rgb' must hold ${3 * width * height} bytes, got ${rgb.length}`);
  const raw = new Uint8Array((3 * width + 1) * height);
  for (let r = 0; r < height; r++)
    raw.set(rgb.subarray(3 * width * r, 3 * width * (r + 1)), r * (3 * width + 1) + 1);
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, width);
  h.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const parts = [
    Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    png.set(p, o);
    o += p.length;
  }
  return png;
}

/**
 * The Vega-Lite spec of a heat map of `values` laid out row-major as `[rows, cols]` (row 0 at the bottom):
 * the field as one PNG image spanning the axes' extents, and a colour legend from the same scheme.
 */
export function heatmapSpec(
  values: ArrayLike<number>,
  shape: [number, number],
  options: HeatmapOptions = {},
): TopLevelSpec {
  const [rows, cols] = shape;
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0))
    throw new Error(`heatmap(): argument 'shape' must be two positive integers, got [${shape.join(', ')}]`);
  if (values.length !== rows * cols)
    throw new Error(`heatmap(): argument 'values' must have ${rows}*${cols} entries, got ${values.length}`);
  let lo = options.vmin ?? Infinity;
  let hi = options.vmax ?? -Infinity;
  if (options.vmin === undefined || options.vmax === undefined) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (options.vmin === undefined) lo = Math.min(lo, v);
      if (options.vmax === undefined) hi = Math.max(hi, v);
    }
  }
  if (options.diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  if (!Number.isFinite(lo)) lo = 0;
  if (!(hi > lo)) hi = lo + 1;
  // Vega's 'redblue' runs red -> blue; reversed it is blue (low) -> white -> red (high).
  const schemeName = options.diverging ? 'redblue' : 'viridis';
  const lut = schemeTable(schemeName, Boolean(options.diverging));
  const rgb = new Uint8Array(3 * rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rows - 1 - r) * cols; // PNG rows run top to bottom; data row 0 is at the bottom
    for (let c = 0; c < cols; c++) {
      const v = values[src + c]!;
      const o = 3 * (r * cols + c);
      if (!Number.isFinite(v)) {
        rgb.set([255, 0, 255], o); // magenta: a non-finite value
        continue;
      }
      const k = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
      rgb.set(lut.subarray(3 * k, 3 * k + 3), o);
    }
  }
  const url = `data:image/png;base64,${Buffer.from(encodePng(rgb, cols, rows)).toString('base64')}`;
  const [xa, xb] = options.xRange ?? [0, cols - 1];
  const [ya, yb] = options.yRange ?? [0, rows - 1];
  const axis = (field: 'x' | 'y', title: string | undefined, domain: [number, number]) => ({
    field,
    type: 'quantitative' as const,
    title: title ?? field,
    scale: { domain, nice: false, zero: false },
  });
  const x = axis('x', options.xLabel, [xa, xb]);
  const y = axis('y', options.yLabel, [ya, yb]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 420,
    height: options.height ?? 280,
    background: 'white',
    ...(options.title ? { title: { text: options.title, fontSize: 14, font: 'sans-serif' } } : {}),
    config: { axis: FONT, legend: { ...FONT, gradientLength: 200 }, view: { stroke: '#888' } },
    layer: [
      {
        data: { values: [{ x: xa, x2: xb, y: ya, y2: yb, url }] },
        mark: { type: 'image', aspect: false, aria: false },
        encoding: { x, x2: { field: 'x2' }, y, y2: { field: 'y2' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        // Carries the colour legend only (invisible points at the corner): the same scheme as the pixels.
        data: {
          values: [
            { x: xa, y: ya, v: lo },
            { x: xa, y: ya, v: hi },
          ],
        },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          x,
          y,
          color: {
            field: 'v',
            type: 'quantitative',
            title: null,
            scale: { scheme: schemeName, reverse: Boolean(options.diverging), domain: [lo, hi] },
          },
        },
      },
    ],
  };
}
