import { gaussLegendre6, integrate } from '@noether/integrators';
import { describe, expect, it } from 'vitest';
import { kepler, keplerOrbit } from '../index';

describe('keplerOrbit', () => {
  it('matches a high-accuracy gaussLegendre6 integration of the kepler system to 1e-10 over one period', () => {
    const orbit = keplerOrbit(0.6);
    const system = kepler();
    const T = 2.3;
    const r = integrate(gaussLegendre6, system.integratorSystem, { x0: orbit.x0, dt: 1e-3, t1: T });
    const exact = orbit.at(T);
    for (let i = 0; i < 4; i++) expect(Math.abs(r.final[i] - exact[i])).toBeLessThan(1e-10);
  });

  it('starts at pericentre, returns after one period 2 pi and lies on the energy -1/2', () => {
    const orbit = keplerOrbit(0.3);
    const system = kepler();
    expect(Array.from(orbit.at(0))).toEqual(Array.from(orbit.x0).map((v) => expect.closeTo(v, 14)));
    const back = orbit.at(2 * Math.PI);
    for (let i = 0; i < 4; i++) expect(back[i]).toBeCloseTo(orbit.x0[i], 12);
    for (const t of [0.4, 1.7, 5]) expect(system.H(orbit.at(t))).toBeCloseTo(orbit.energy, 13);
  });

  it('rejects eccentricities outside [0, 1), naming the function and the argument', () => {
    expect(() => keplerOrbit(1)).toThrow(/keplerOrbit\(\): argument 'e' must be a number in \[0, 1\).*got 1/);
    expect(() => keplerOrbit(Number.NaN)).toThrow(/got NaN/);
    expect(() => keplerOrbit(-0.1)).toThrow(/got -0.1/);
  });
});
