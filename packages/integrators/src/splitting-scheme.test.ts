import { describe, expect, it } from 'vitest';
import { IntegratorError } from './errors';
import { methods } from './methods';
import { compose, composeWeights, defineSplittingScheme, splittingOrder } from './splitting-scheme';

const schemes = Object.entries(methods).filter(([, m]) => m.type === 'splitting');

describe('splitting schemes as validated data', () => {
  it.each(schemes)(
    '%s satisfies its order conditions exactly to its claimed order and no further',
    (_name, m) => {
      if (m.type !== 'splitting') throw new Error('unreachable');
      expect(splittingOrder(m.sequence, m.order)).toBe(m.order);
      // One order more fails (a symmetric method's next condition is at order + 2, odd orders are implied).
      const next = splittingOrder(m.sequence, m.order + 2);
      expect(next).toBeLessThan(m.order + 2);
      const drift = m.sequence.filter((f) => f.op === 'drift').reduce((s, f) => s + f.c, 0);
      const kick = m.sequence.filter((f) => f.op === 'kick').reduce((s, f) => s + f.c, 0);
      expect(drift).toBeCloseTo(1, 13);
      expect(kick).toBeCloseTo(1, 13);
      expect(Object.isFrozen(m)).toBe(true);
      expect(Object.isFrozen(m.sequence)).toBe(true);
    },
  );

  it('derives FSAL and the force-evaluation count from the sequence', () => {
    expect(methods.leapfrogKDK.fsal).toBe(true);
    expect(methods.leapfrogKDK.forceEvaluations).toBe(1);
    expect(methods.leapfrogDKD.fsal).toBe(false);
    expect(methods.leapfrogDKD.forceEvaluations).toBe(1);
    expect(methods.forestRuth.forceEvaluations).toBe(3);
    expect(methods.yoshida6.forceEvaluations).toBe(7);
    expect(methods.kahanLi8.forceEvaluations).toBe(17);
    expect(methods.blanesMoan4.forceEvaluations).toBe(6);
  });

  it('derives symmetry: leapfrog and the compositions are symmetric, symplectic Euler and ruth3 are not', () => {
    expect(methods.leapfrog.symmetric).toBe(true);
    expect(methods.mclachlan8.symmetric).toBe(true);
    expect(methods.symplecticEulerA.symmetric).toBe(false);
    expect(methods.ruth3.symmetric).toBe(false);
  });

  it('compose raises leapfrog to orders 4, 6, 8 and 10 by triple jumps', () => {
    for (const order of [4, 6, 8, 10]) {
      const s = compose(methods.leapfrog, order);
      expect(s.order).toBe(order);
      expect(s.forceEvaluations).toBe(3 ** ((order - 2) / 2));
    }
  });

  it('rejects a wrong order claim, inconsistent coefficients and bad compose arguments', () => {
    const bad = (f: () => unknown, code: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(IntegratorError);
        expect((e as IntegratorError).code).toBe(code);
        return;
      }
      throw new Error('no error thrown');
    };
    bad(
      () => defineSplittingScheme({ name: 'x', order: 3, a: [0.5, 0.5], b: [1], source: '' }),
      'INVALID_METHOD',
    );
    bad(
      () => defineSplittingScheme({ name: 'x', order: 1, a: [0.5, 0.4], b: [1], source: '' }),
      'INVALID_METHOD',
    );
    bad(() => defineSplittingScheme({ name: 'x', order: 1, a: [NaN], b: [1], source: '' }), 'INVALID_METHOD');
    bad(() => compose(methods.symplecticEulerA, 4), 'INVALID_METHOD');
    bad(() => compose(methods.leapfrog, 5), 'INVALID_ARGUMENT');
    bad(
      () => composeWeights(methods.leapfrog, [0.5, 0.4], { name: 'x', order: 2, source: '' }),
      'INVALID_METHOD',
    );
    expect(() => defineSplittingScheme({ name: 'x', order: 3, a: [0.5, 0.5], b: [1], source: '' })).toThrow(
      /claims order 3 but its coefficients satisfy the order conditions to order 2/,
    );
  });
});
