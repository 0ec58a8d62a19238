import { describe, expect, it } from 'vitest';
import { heatmap, linePlot, niceTicks } from './svg-plot';

describe('svg plots', () => {
  it('niceTicks covers the range with round steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2, 0, 2, 4, 6]);
  });

  it('linePlot draws one path per series and drops non-positive values on a log axis', () => {
    const svg = linePlot(
      [
        { label: 'a', x: [1, 2, 3], y: [1e-3, 1e-2, 0] },
        { label: 'b<c', x: [1, 2, 3], y: [1, 2, 3] },
      ],
      { logY: true, title: 'energy error' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('b&lt;c');
    const firstPath = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(firstPath.split('L')).toHaveLength(2); // the zero was dropped
  });

  it('heatmap draws rows x cols cells and rejects a mismatched shape', () => {
    const svg = heatmap([0, 1, 2, 3, 4, 5], [2, 3]);
    expect(svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="rgb/g)?.length).toBe(
      6 + 50,
    );
    expect(() => heatmap([1, 2, 3], [2, 2])).toThrow(
      /heatmap\(\): argument 'values' must have 2\*2 entries, got 3/,
    );
  });
});
