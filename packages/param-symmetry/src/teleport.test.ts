import { describe, expect, it } from 'vitest';
import { defineDenseChain, initWeights64, noetherCharges, regressionData, teleport, train64 } from './index';
import { expm } from './teleport';

const data = regressionData(32, { input: 2, output: 1, seed: 2 });

describe('teleport', () => {
  it('expm matches the closed form of a rotation generator and of a diagonal', () => {
    const E = expm([0, -1.3, 1.3, 0], 2);
    expect(Math.abs(E[0] - Math.cos(1.3))).toBeLessThan(1e-14);
    expect(Math.abs(E[2] - Math.sin(1.3))).toBeLessThan(1e-14);
    const D = expm([3, 0, 0, -2], 2);
    expect(Math.abs(D[0] - Math.exp(3)) / Math.exp(3)).toBeLessThan(1e-13);
  });

  for (const [name, chain] of [
    [
      'ReLU (rescaling)',
      defineDenseChain({ inputDim: 2, layers: [{ units: 8, activation: 'relu' }, { units: 1 }] }),
    ],
    ['linear (GL)', defineDenseChain({ inputDim: 2, layers: [{ units: 4 }, { units: 3 }, { units: 1 }] })],
  ] as const) {
    it(`raises the gradient norm along the orbit of a ${name} net with the loss unchanged to round-off, capped`, () => {
      const set = noetherCharges(chain);
      const w = initWeights64(chain, { seed: 4 });
      const r = teleport(set, w, { data, steps: 20, stepSize: 0.1, maxGradNormRatio: 3 });
      expect(r.gradNormAfter).toBeGreaterThan(1.2 * r.gradNormBefore);
      expect(r.gradNormAfter).toBeLessThanOrEqual(3 * r.gradNormBefore);
      expect(Math.abs(r.lossAfter - r.lossBefore) / r.lossBefore).toBeLessThan(1e-12);
      expect(r.chargeJump).toBeGreaterThan(1e-3);
    });
  }

  it('train64 with teleport resets the optimiser state and logs each teleport; plain GD keeps charges O(lr)', () => {
    const chain = defineDenseChain({ inputDim: 2, layers: [{ units: 8, activation: 'relu' }, { units: 1 }] });
    const set = noetherCharges(chain);
    const w = initWeights64(chain, { seed: 4 });
    const plain = train64(set, w, { data, lr: 0.01, steps: 200 });
    const tele = train64(set, w, { data, lr: 0.01, steps: 200, teleport: { every: 50, steps: 5 } });
    expect(tele.teleports).toHaveLength(3);
    for (const t of tele.teleports) expect(t.lossChange).toBeLessThan(1e-12);
    expect(plain.losses).toHaveLength(201);
    const small = train64(set, w, { data, lr: 0.005, steps: 400 });
    // Fixed training time, half the step: the drift halves (O(lr)).
    expect(small.chargeDrift / plain.chargeDrift).toBeGreaterThan(0.35);
    expect(small.chargeDrift / plain.chargeDrift).toBeLessThan(0.65);
  });
});
