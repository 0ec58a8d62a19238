import { describe, expect, it } from 'vitest';
import { defined } from '@noether/test-utils';
import { defineButcherTableau, rungeKuttaOrder } from './butcher-tableau';
import { methods } from './methods';

const tableaux = Object.entries(methods).filter(([, m]) => m.type === 'runge-kutta');

describe('Butcher tableaux as validated data', () => {
  it.each(tableaux)('%s satisfies the rooted-tree order conditions to exactly its order', (_name, m) => {
    if (m.type !== 'runge-kutta') throw new Error('unreachable');
    expect(rungeKuttaOrder(m.a, m.b, m.order + 1)).toBe(m.order);
    m.a.forEach((row, i) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(m.c[i], 14));
    expect(m.b.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(Object.isFrozen(m)).toBe(true);
  });

  it('dormandPrince54 has error weights summing to zero, an order-4 embedded method and FSAL', () => {
    const dp = methods.dormandPrince54;
    const errorWeights = defined(dp.errorWeights, 'errorWeights');
    expect(errorWeights.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 15);
    const bHat = dp.b.map((v, i) => v - errorWeights[i]);
    expect(rungeKuttaOrder(dp.a, bHat, 5)).toBe(4);
    expect(dp.fsal).toBe(true);
    expect(methods.rk4.fsal).toBe(false);
  });

  it('derives symplecticity: Gauss–Legendre methods are symplectic, explicit ones are not', () => {
    expect(methods.implicitMidpoint.symplectic).toBe(true);
    expect(methods.gaussLegendre4.symplectic).toBe(true);
    expect(methods.gaussLegendre6.symplectic).toBe(true);
    expect(methods.rk4.symplectic).toBe(false);
    expect(methods.gaussLegendre6.explicit).toBe(false);
    expect(methods.rk4.explicit).toBe(true);
  });

  it('finds the order barrier: rk4 fails an order-5 condition and gaussLegendre6 an order-7 one', () => {
    expect(rungeKuttaOrder(methods.rk4.a, methods.rk4.b, 6)).toBe(4);
    expect(rungeKuttaOrder(methods.gaussLegendre6.a, methods.gaussLegendre6.b, 7)).toBe(6);
  });

  it('rejects row sums different from c, weights not summing to 1, and a wrong order claim', () => {
    expect(() =>
      defineButcherTableau({
        name: 'x',
        order: 1,
        a: [
          [0, 0],
          [0.4, 0],
        ],
        b: [0.5, 0.5],
        c: [0, 0.5],
        source: '',
      }),
    ).toThrow(/row 1 of 'a' summing to 0.4, but c\[1\] = 0.5/);
    expect(() =>
      defineButcherTableau({ name: 'x', order: 1, a: [[0]], b: [0.9], c: [0], source: '' }),
    ).toThrow(/weights summing to 0.9/);
    expect(() => defineButcherTableau({ name: 'x', order: 2, a: [[0]], b: [1], c: [0], source: '' })).toThrow(
      /claims order 2 but satisfies the order conditions to order 1/,
    );
    expect(() =>
      defineButcherTableau({
        name: 'x',
        order: 1,
        a: [[0]],
        b: [1],
        c: [0],
        bHat: [0.9],
        embeddedOrder: 0,
        source: '',
      }),
    ).toThrow(/error weights summing to/);
  });
});
