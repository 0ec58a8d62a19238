import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { heatmap, linePlot } from './svg-plot';
import { encodePng, heatmapSpec, linePlotSpec } from './vega-plots';

/** The PNG embedded in a heat map's SVG, decoded (8-bit RGB, filter 0 rows, as encodePng writes it). */
function embeddedPng(svg: string) {
  const b64 = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(svg)?.[1];
  if (!b64) throw new Error('no embedded PNG');
  const png = Buffer.from(b64, 'base64');
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idatLength = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const pixel = (r: number, c: number) => [...raw.subarray(r * (3 * width + 1) + 1 + 3 * c).subarray(0, 3)];
  return { width, height, pixel };
}

describe('report plots (Vega-Lite, headless SVG)', () => {
  it('linePlot renders one line per series, with the legend outside the plot area', () => {
    const svg = linePlot(
      [
        { label: 'a', x: [1, 2, 3], y: [1e-3, 1e-2, 0] },
        { label: 'b<c', x: [1, 2, 3], y: [1, 2, 3] },
      ],
      { logY: true, title: 'energy error', width: 400, height: 250 },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('energy error');
    expect(svg).toContain('b&lt;c');
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    // The legend group starts right of the 400 px plot area: it cannot cover a curve.
    const legend = /class="mark-group role-legend"[^]*?transform="translate\(([\d.]+),/.exec(svg);
    expect(Number(legend?.[1])).toBeGreaterThan(400);
  });

  it('linePlot drops non-positive values on a log axis', () => {
    const spec = linePlotSpec([{ label: 'a', x: [1, 2, 3], y: [1e-3, 0, -1] }], { logY: true });
    expect((spec as { data: { values: unknown[] } }).data.values).toEqual([
      { x: 1, y: 1e-3, series: 'a', order: 0 },
    ]);
  });

  it('heatmap embeds the field as one PNG (row 0 at the bottom, the scheme ends at vmin and vmax)', () => {
    const values = [0, 0, 0, 1, 1, 1]; // row 0 low, row 1 high
    const svg = heatmap(values, [2, 3], { title: 'u' });
    expect(svg.match(/<image [^>]*xlink:href="data:image\/png;base64,/g)).toHaveLength(1);
    expect((svg.match(/<rect /g) ?? []).length).toBeLessThan(10); // no rect per cell
    const png = embeddedPng(svg);
    expect([png.width, png.height]).toEqual([3, 2]);
    expect(png.pixel(1, 0)).toEqual([68, 1, 84]); // bottom row: viridis(0)
    expect(png.pixel(0, 2)).toEqual([253, 231, 37]); // top row: viridis(1)
    expect(() => heatmap([1, 2, 3], [2, 2])).toThrow(
      /heatmap\(\): argument 'values' must have 2\*2 entries, got 3/,
    );
  });

  it('a 100 x 256 heat map is small (one image, not a rect per cell)', () => {
    const values = Float64Array.from({ length: 100 * 256 }, (_, i) => Math.sin(i / 300) * Math.cos(i % 256));
    const svg = heatmap(values, [100, 256], { xRange: [0, 2], yRange: [0, 0.99] });
    expect(svg.length).toBeLessThan(250_000);
    const spec = heatmapSpec(values, [100, 256], { diverging: true });
    expect(JSON.stringify(spec)).toContain('"scheme":"redblue"');
  });

  it('encodePng validates its arguments', () => {
    expect(() => encodePng(new Uint8Array(5), 1, 2)).toThrow(/must hold 6 bytes, got 5/);
    expect(() => encodePng(new Uint8Array(0), 0, 1)).toThrow(/positive integers/);
  });
});
