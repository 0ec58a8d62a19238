import { describe, expect, it } from 'vitest';
import { createRng } from '@noether/autodiff';
import {
  checkInvariance,
  defineDenseChain,
  fit64,
  flipSigns,
  hungarian,
  initWeights64,
  lossBarrier,
  noetherCharges,
  permuteNeurons,
  regressionData,
  weightMatch,
} from './index';

function bruteForce(score: Float64Array, n: number): number {
  let best = -Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const rec = (k: number): void => {
    if (k === n) {
      best = Math.max(
        best,
        perm.reduce((s, j, i) => s + score[i * n + j], 0),
      );
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      rec(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  rec(0);
  return best;
}

describe('hungarian and weightMatch', () => {
  it('the Hungarian assignment equals brute force for every n <= 7 (random, integer-tied and negative scores)', () => {
    const rng = createRng(42);
    const rand = (): number => rng.uniform();
    for (let n = 1; n <= 7; n++)
      for (let trial = 0; trial < 20; trial++) {
        const score = Float64Array.from({ length: n * n }, () =>
          trial % 2 ? Math.floor(rand() * 4) - 2 : rand() * 10 - 5,
        );
        const p = hungarian(score, n);
        expect([...p].sort()).toEqual(Array.from({ length: n }, (_, i) => i));
        const value = [...p].reduce((s, j, i) => s + score[i * n + j], 0);
        expect(Math.abs(value - bruteForce(score, n))).toBeLessThan(1e-12);
      }
    expect(() => hungarian([1, 2, 3], 2)).toThrow(/hungarian\(\): argument 'score'/);
  });

  it('recovers the permutations (and signs, for tanh) of a shuffled copy exactly, for five random networks', () => {
    const chain = defineDenseChain({
      inputDim: 3,
      layers: [{ units: 6, activation: 'tanh' }, { units: 5, activation: 'tanh' }, { units: 2 }],
    });
    const set = noetherCharges(chain);
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = initWeights64(chain, { seed });
      let b = permuteNeurons(chain, a, { layer: 0, permutation: [5, 3, 1, 0, 2, 4] });
      b = permuteNeurons(chain, b, { layer: 1, permutation: [2, 4, 0, 1, 3] });
      b = flipSigns(chain, b, { layer: 0, signs: [1, -1, 1, -1, -1, 1] });
      const r = weightMatch(set, { a, b });
      expect(r.status).toBe('ok');
      r.weights.forEach((arr, i) => arr.forEach((v, j) => expect(Math.abs(v - a[i][j])).toBeLessThan(1e-15)));
      const data = regressionData(10, { input: 3, output: 2, seed: 3 });
      expect(checkInvariance(chain, { before: b, after: r.weights }, data).status).toBe('pass');
    }
  });

  it('weight matching lowers the loss barrier between two independently trained MLPs', () => {
    const chain = defineDenseChain({
      inputDim: 2,
      layers: [{ units: 16, activation: 'relu' }, { units: 1 }],
    });
    const set = noetherCharges(chain);
    const data = regressionData(64, { input: 2, output: 1, seed: 5 });
    const a = fit64(chain, initWeights64(chain, { seed: 10 }), { data, maxIterations: 300 }).weights;
    const b = fit64(chain, initWeights64(chain, { seed: 20 }), { data, maxIterations: 300 }).weights;
    const before = lossBarrier(chain, { a, b }, { data }).barrier;
    const matched = weightMatch(set, { a, b });
    const after = lossBarrier(chain, { a, b: matched.weights }, { data }).barrier;
    expect(checkInvariance(chain, { before: b, after: matched.weights }, data).status).toBe('pass');
    expect(matched.similarityAfter).toBeGreaterThan(matched.similarityBefore);
    expect(after).toBeLessThan(before);
    console.log(`barrier ${before.toExponential(3)} -> ${after.toExponential(3)}`);
  });
});
