import { describe, expect, it } from 'vitest';
import {
  balance,
  canonicalize,
  checkInvariance,
  defineDenseChain,
  evaluateCharges,
  flipSigns,
  initWeights64,
  noetherCharges,
  permuteNeurons,
  regressionData,
  rescaleNeurons,
  transformLinear,
} from './index';

const data = regressionData(50, { input: 3, output: 2, seed: 11 });
const input = { x: data.x, n: data.n };
const relu = defineDenseChain({
  inputDim: 3,
  layers: [{ units: 5, activation: 'relu' }, { units: 4, activation: 'relu' }, { units: 2 }],
});
const tanh = defineDenseChain({
  inputDim: 3,
  layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'tanh' }, { units: 2 }],
});
const linear = defineDenseChain({ inputDim: 3, layers: [{ units: 4 }, { units: 2 }] });
const cubic = defineDenseChain({
  inputDim: 3,
  layers: [{ units: 4, activation: { kind: 'homogeneous', degree: 3 } }, { units: 2 }],
});

describe('symmetry actions', () => {
  it('rescaling, permutation, sign flip and GL leave the network function unchanged (and a non-symmetry changes it)', () => {
    const w = initWeights64(relu, { seed: 1 });
    const factors = Float64Array.of(2, 0.3, 1.7, 5, 0.9);
    expect(
      checkInvariance(relu, { before: w, after: rescaleNeurons(relu, w, { layer: 0, factors }) }, input)
        .status,
    ).toBe('pass');
    expect(
      checkInvariance(
        relu,
        { before: w, after: permuteNeurons(relu, w, { layer: 1, permutation: [3, 1, 0, 2] }) },
        input,
      ).status,
    ).toBe('pass');
    const wc = initWeights64(cubic, { seed: 1 });
    expect(
      checkInvariance(
        cubic,
        { before: wc, after: rescaleNeurons(cubic, wc, { layer: 0, factors: [2, 0.5, 3, 1.1] }) },
        input,
      ).status,
    ).toBe('pass');
    const wt = initWeights64(tanh, { seed: 2 });
    expect(
      checkInvariance(
        tanh,
        { before: wt, after: flipSigns(tanh, wt, { layer: 0, signs: [1, -1, -1, 1, -1] }) },
        input,
      ).status,
    ).toBe('pass');
    const wl = initWeights64(linear, { seed: 3 });
    const A = [1, 2, 0, 0.5, 0, 1, 0, 0, 0.3, 0, 2, 1, 0, 0.1, 0, 1];
    expect(
      checkInvariance(
        linear,
        { before: wl, after: transformLinear(linear, wl, { layer: 0, matrix: A }) },
        input,
      ).status,
    ).toBe('pass');
    // Rescaling a tanh layer is not a symmetry: the check must fail.
    const bad = wt.map((a) => a.slice());
    bad[0][0] *= 2;
    expect(checkInvariance(tanh, { before: wt, after: bad }, input).status).toBe('fail');
    expect(() => rescaleNeurons(tanh, wt, { layer: 0, factors: [1, 1, 1, 1, 1] })).toThrow(
      /not positively homogeneous/,
    );
    expect(() => flipSigns(relu, w, { layer: 0, signs: [1, 1, 1, 1, 1] })).toThrow(/not odd/);
    expect(() => permuteNeurons(relu, w, { layer: 0, permutation: [0, 0, 1, 2, 3] })).toThrow(
      /permuteNeurons\(\): argument 'permutation'/,
    );
  });

  it('an orthogonal GL action rotates the GL charge, C -> A C A^T', () => {
    const w = initWeights64(linear, { seed: 3 });
    const set = noetherCharges(linear);
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    const A = [c, -s, 0, 0, s, c, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0];
    const C = evaluateCharges(set, w)[0].value;
    const C2 = evaluateCharges(set, transformLinear(linear, w, { layer: 0, matrix: A }))[0].value;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let r = 0;
        for (let k = 0; k < 4; k++)
          for (let l = 0; l < 4; l++) r += A[i * 4 + k] * C[k * 4 + l] * A[j * 4 + l];
        expect(Math.abs(C2[i * 4 + j] - r)).toBeLessThan(1e-12);
      }
    expect(C2.some((v, i) => Math.abs(v - C[i]) > 1e-3)).toBe(true);
  });

  it('balance sets every rescaling charge to zero without changing the function', () => {
    const set = noetherCharges(relu);
    const w = initWeights64(relu, { seed: 4 });
    const r = balance(set, w);
    expect(r.status).toBe('ok');
    for (const c of evaluateCharges(set, r.weights))
      c.value.forEach((v, i) => expect(Math.abs(v) / c.mass[i]).toBeLessThan(1e-12));
    expect(checkInvariance(relu, { before: w, after: r.weights }, input).status).toBe('pass');
  });

  it('initWeights64 sets a given imbalance on every neuron (and 0 = balanced), degree 3 included', () => {
    for (const chain of [relu, cubic]) {
      const set = noetherCharges(chain);
      const w = initWeights64(chain, { seed: 5, charge: 0.25 });
      for (const c of evaluateCharges(set, w))
        c.value.forEach((v) => expect(Math.abs(v - 0.25)).toBeLessThan(1e-10));
      expect(
        checkInvariance(chain, { before: initWeights64(chain, { seed: 5 }), after: w }, input).status,
      ).toBe('pass');
    }
  });

  it('canonicalize maps every point of an orbit (rescale, permute, flip) to the same weights', () => {
    for (const [chain, seed] of [
      [relu, 6],
      [tanh, 7],
    ] as const) {
      const set = noetherCharges(chain);
      const w = initWeights64(chain, { seed });
      let moved = permuteNeurons(chain, w, { layer: 0, permutation: [4, 2, 0, 1, 3] });
      moved = permuteNeurons(chain, moved, { layer: 1, permutation: [1, 3, 2, 0] });
      if (chain === relu) moved = rescaleNeurons(chain, moved, { layer: 1, factors: [3, 0.2, 1.5, 0.7] });
      else moved = flipSigns(chain, moved, { layer: 1, signs: [-1, 1, -1, -1] });
      const a = canonicalize(set, w);
      const b = canonicalize(set, moved);
      a.forEach((arr, i) => arr.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThan(1e-9)));
      expect(checkInvariance(chain, { before: w, after: a }, input).status).toBe('pass');
    }
  });
});
