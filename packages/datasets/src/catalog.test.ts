import { describe, expect, it } from 'vitest';
import { buildDataset, datasetCatalog, type PdeBatch } from './catalog';
import type { Trajectories } from './generate-trajectories';
import type { PdeSolution } from './pde/pde-solution';

describe('dataset catalogue', () => {
  it.each(datasetCatalog.filter((e) => e.kind !== 'pde').map((e) => [e.name, e.kind] as const))(
    '%s builds a small finite %s dataset',
    (name, kind) => {
      const d = buildDataset(name, { count: 2, samples: 4, points: 64, seed: 4 });
      if (kind === 'trajectories') {
        const t = d as Trajectories;
        expect(t.shape[0]).toBe(2);
        expect(t.shape[1]).toBe(4);
        expect(t.maxEnergyError).toBeLessThan(1e-9);
        expect(t.x.every(Number.isFinite)).toBe(true);
      } else {
        const b = d as PdeBatch;
        expect(b.shape).toEqual([2, 4, 64]);
        expect(b.tensor.every(Number.isFinite)).toBe(true);
      }
    },
  );

  it('builds the PINN-Proj references with their grids', () => {
    const s = buildDataset('pinn-advection2d') as PdeSolution;
    expect(s.shape).toEqual([100, 32, 32]);
  });

  it('names the known datasets when the name is unknown', () => {
    expect(() => buildDataset('nope')).toThrow(/unknown dataset 'nope' \(known: ho, nho/);
  });
});
