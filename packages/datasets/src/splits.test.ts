import { describe, expect, it } from 'vitest';
import { buildDataset, datasetCatalog } from './catalog';
import type { Trajectories } from './generate-trajectories';
import { razorSplits } from './systems/physical-system';

const splits = Object.keys(razorSplits) as (keyof typeof razorSplits)[];
const entries = datasetCatalog.filter((e) => e.kind === 'trajectories');

/** Statistics of the initial states x[:, 0, :] of a dataset: mean and RMS spread of q and of p. */
function initialStats(d: Trajectories) {
  const [count, nt, dim] = d.shape;
  const dof = dim / 2;
  const part = (offset: number) => {
    const mean = new Float64Array(dof);
    for (let i = 0; i < count; i++)
      for (let j = 0; j < dof; j++) mean[j]! += d.clean[i * nt * dim + offset + j]! / count;
    let ss = 0;
    for (let i = 0; i < count; i++)
      for (let j = 0; j < dof; j++) ss += (d.clean[i * nt * dim + offset + j]! - mean[j]!) ** 2;
    return { mean: mean.reduce((a, b) => a + b, 0) / dof, spread: Math.sqrt(ss / (count * dof)) };
  };
  return { q: part(0), p: part(dof) };
}

describe("the Noether's Razor splits of every catalogue system (default seed and size)", () => {
  const built = new Map<string, Record<string, Trajectories>>();
  const get = (name: string) => {
    if (!built.has(name))
      built.set(
        name,
        Object.fromEntries(splits.map((s) => [s, buildDataset(name, { split: s }) as Trajectories])),
      );
    return built.get(name)!;
  };

  it.each(entries.map((e) => e.name))('%s: every split generates, finite, energy error <= 1e-10', (name) => {
    for (const s of splits) {
      const d = get(name)[s]!;
      expect(d.x.every(Number.isFinite), `${name} ${s}`).toBe(true);
      expect(d.maxEnergyError, `${name} ${s}`).toBeLessThanOrEqual(1e-10);
    }
  });

  it.each(entries.map((e) => e.name))('%s: the splits differ as documented (scale, shift)', (name) => {
    const d = get(name);
    // No two splits are the same data.
    for (const a of splits)
      for (const b of splits)
        if (a < b)
          expect(Buffer.from(d[a]!.x.buffer).equals(Buffer.from(d[b]!.x.buffer)), `${a} = ${b}`).toBe(false);
    const st = Object.fromEntries(splits.map((s) => [s, initialStats(d[s]!)]));
    const { train, test, testWider, testMoved } = st as Record<
      (typeof splits)[number],
      ReturnType<typeof initialStats>
    >;
    // testWider: q drawn 3x wider (qScale 3 against 1).
    expect(testWider.q.spread / test.q.spread).toBeGreaterThan(2.7);
    expect(testWider.q.spread / test.q.spread).toBeLessThan(3.3);
    // testMoved: q shifted by +1 in every coordinate, same spread.
    expect(testMoved.q.mean - test.q.mean).toBeGreaterThan(0.8);
    expect(testMoved.q.mean - test.q.mean).toBeLessThan(1.2);
    expect(testMoved.q.spread / test.q.spread).toBeGreaterThan(0.8);
    expect(testMoved.q.spread / test.q.spread).toBeLessThan(1.2);
    // test: the momentum scale 0.2 against train's 0.5.
    if (name === 'kepler') {
      // Kepler's sampler scales the tangential speed's deviation from circular: |v / v_circ - 1| <= 0.4 pScale.
      const deviation = (t: Trajectories) => {
        const [count, nt, dim] = t.shape;
        let max = 0;
        for (let i = 0; i < count; i++) {
          const [qx, qy, px, py] = t.clean.subarray(i * nt * dim, i * nt * dim + 4);
          max = Math.max(max, Math.abs(Math.hypot(px!, py!) * Math.sqrt(Math.hypot(qx!, qy!)) - 1));
        }
        return max;
      };
      expect(deviation(d.test!)).toBeLessThanOrEqual(0.08 + 1e-12);
      expect(deviation(d.train!)).toBeGreaterThan(0.1);
      expect(deviation(d.train!)).toBeLessThanOrEqual(0.2 + 1e-12);
    } else {
      expect(test.p.spread / train.p.spread).toBeGreaterThan(0.35);
      expect(test.p.spread / train.p.spread).toBeLessThan(0.45);
    }
  });
});
