import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';

/** A chart that renders on its first data and then replaces its data on each update (live progress). */
export interface Chart {
  update(values: readonly object[]): void;
  /** Resolves when every update so far has been drawn. */
  drawn(): Promise<void>;
}

/** Name of the one data source every spec on the page uses, so live updates can replace it. */
const DATA = 'table';

/**
 * A Vega-Lite chart in `host` (vega-embed, loaded on first use so the first panel does not wait for the
 * plotting library). The spec's data is the named source {@link DATA}; the same kind of spec serves the Node
 * reports. Nothing is drawn until the first `update`, so empty charts never warn about empty domains.
 */
export function createChart(host: HTMLElement, spec: TopLevelSpec): Chart {
  let view: Promise<View> | null = null;
  let pending: Promise<void> = Promise.resolve();
  return {
    update(values) {
      const rows = values.slice();
      pending = pending.then(async () => {
        if (!view) {
          view = import('vega-embed').then(async ({ default: embed }) => {
            // resize: labels that arrive with later data (long op names) get room instead of being clipped.
            const full = {
              autosize: { type: 'pad', resize: true },
              ...spec,
              data: { name: DATA, values: rows },
            } as TopLevelSpec;
            return (await embed(host, full, { actions: false, renderer: 'canvas' })).view;
          });
          await view;
          return;
        }
        await (await view).data(DATA, rows).runAsync();
      });
    },
    drawn: () => pending,
  };
}
