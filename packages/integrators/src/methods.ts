import { defineButcherTableau, type ButcherTableau } from './butcher-tableau';
import { IntegratorError, describe } from './errors';
import {
  composeWeights,
  defineSplittingScheme,
  finishScheme,
  mergeFlows,
  type SplittingFlow,
  type SplittingScheme,
} from './splitting-scheme';

/** Any integration method: a splitting scheme (separable systems) or a Runge–Kutta tableau (any system). */
export type Method = SplittingScheme | ButcherTableau;

const sqrt3 = Math.sqrt(3);
const sqrt15 = Math.sqrt(15);
const sqrt19 = Math.sqrt(19);
const cbrt2 = Math.cbrt(2);

/** Symplectic Euler A (kick then drift): `p+ = p - h V'(q)`, `q+ = q + h T'(p+)`. Order 1. @see Hairer, Lubich, Wanner, GNI (2006) eq. VI.3.1. */
export const symplecticEulerA = defineSplittingScheme({
  name: 'symplecticEulerA',
  order: 1,
  first: 'kick',
  b: [1],
  a: [1],
  source: 'Hairer, Lubich, Wanner, Geometric Numerical Integration (2006), Thm VI.3.3',
});

/** Symplectic Euler B (drift then kick): `q+ = q + h T'(p)`, `p+ = p - h V'(q+)`. Order 1. @see Hairer, Lubich, Wanner, GNI (2006) eq. VI.3.2. */
export const symplecticEulerB = defineSplittingScheme({
  name: 'symplecticEulerB',
  order: 1,
  first: 'drift',
  a: [1],
  b: [1],
  source: 'Hairer, Lubich, Wanner, Geometric Numerical Integration (2006), Thm VI.3.3',
});

/** Störmer–Verlet / leapfrog, drift-kick-drift (position Verlet). Order 2, symmetric. @see Verlet, Phys. Rev. 159 (1967) 98; Hairer, Lubich, Wanner, Acta Numerica 12 (2003) 399. */
export const leapfrogDKD = defineSplittingScheme({
  name: 'leapfrogDKD',
  order: 2,
  first: 'drift',
  a: [0.5, 0.5],
  b: [1],
  source: 'Verlet 1967; Hairer, Lubich & Wanner, Acta Numerica 12 (2003) 399-450',
});

/** Störmer–Verlet / leapfrog, kick-drift-kick (FSAL: one force evaluation per step). Order 2. @see Hairer, Lubich, Wanner, Acta Numerica 12 (2003). */
export const leapfrogKDK = defineSplittingScheme({
  name: 'leapfrogKDK',
  order: 2,
  first: 'kick',
  b: [0.5, 0.5],
  a: [1],
  source: 'Verlet 1967; Hairer, Lubich & Wanner, Acta Numerica 12 (2003) 399-450',
});

/**
 * The default leapfrog: {@link leapfrogDKD}.
 * @alias
 */
export const leapfrog = leapfrogDKD;

/** Velocity Verlet (kick-drift-kick with force reuse). Order 2. @see Swope, Andersen, Berens, Wilson, J. Chem. Phys. 76 (1982) 637. */
export const velocityVerlet = defineSplittingScheme({
  name: 'velocityVerlet',
  order: 2,
  first: 'kick',
  b: [0.5, 0.5],
  a: [1],
  source: 'Swope, Andersen, Berens & Wilson, J. Chem. Phys. 76 (1982) 637',
});

/** Ruth's third-order method (3 stages). @see R. D. Ruth, IEEE Trans. Nucl. Sci. 30 (1983) 2669. */
export const ruth3 = defineSplittingScheme({
  name: 'ruth3',
  order: 3,
  first: 'kick',
  b: [7 / 24, 3 / 4, -1 / 24],
  a: [2 / 3, -2 / 3, 1],
  source: 'Ruth, IEEE Trans. Nucl. Sci. 30 (1983) 2669-2671',
});

/**
 * Forest–Ruth / Yoshida triple jump of leapfrog: weights `g, 1-2g, g` with `g = 1/(2 - 2^(1/3))`. Order 4.
 * @see E. Forest, R. D. Ruth, Physica D 43 (1990) 105; H. Yoshida, Phys. Lett. A 150 (1990) 262.
 */
export const forestRuth = composeWeights(
  leapfrogDKD,
  [1 / (2 - cbrt2), 1 - 2 / (2 - cbrt2), 1 / (2 - cbrt2)],
  { name: 'forestRuth', order: 4, source: 'Forest & Ruth, Physica D 43 (1990) 105-117; Yoshida 1990' },
);

/**
 * McLachlan's fourth-order composition of symplectic Euler and its adjoint with closed-form weights
 * `(14-sqrt19)/108, (146+5 sqrt19)/540, (-23-20 sqrt19)/270, (-2+10 sqrt19)/135, 1/5` (and mirrored).
 * @see R. I. McLachlan, On the numerical integration of ODEs by symmetric composition methods, SIAM J. Sci. Comput. 16 (1995) 151-168.
 */
export const mclachlan4 = (() => {
  const g = [
    (14 - sqrt19) / 108,
    (146 + 5 * sqrt19) / 540,
    (-23 - 20 * sqrt19) / 270,
    (-2 + 10 * sqrt19) / 135,
    1 / 5,
  ];
  const weights = [...g, ...g.slice().reverse()];
  const raw: SplittingFlow[] = [];
  weights.forEach((c, i) => {
    if (i % 2 === 0) raw.push({ op: 'drift', c }, { op: 'kick', c });
    else raw.push({ op: 'kick', c }, { op: 'drift', c });
  });
  return finishScheme(
    { name: 'mclachlan4', order: 4, source: 'McLachlan, SIAM J. Sci. Comput. 16 (1995) 151-168' },
    mergeFlows(raw),
  );
})();

/**
 * Blanes & Moan's optimised 6-stage fourth-order splitting method S6 (general splitting A + B).
 * @see S. Blanes, P. C. Moan, Practical symplectic partitioned Runge–Kutta and Runge–Kutta–Nyström methods, J. Comput. Appl. Math. 142 (2002) 313-330, Table 2.
 */
export const blanesMoan4 = (() => {
  const a1 = 0.0792036964311957;
  const a2 = 0.353172906049774;
  const a3 = -0.0420650803577195;
  const a4 = 1 - 2 * (a1 + a2 + a3);
  const b1 = 0.209515106613362;
  const b2 = -0.143851773179818;
  const b3 = 0.5 - (b1 + b2);
  return defineSplittingScheme({
    name: 'blanesMoan4',
    order: 4,
    first: 'drift',
    a: [a1, a2, a3, a4, a3, a2, a1],
    b: [b1, b2, b3, b3, b2, b1],
    source: 'Blanes & Moan, J. Comput. Appl. Math. 142 (2002) 313-330',
  });
})();

const symmetricWeights = (half: readonly number[]) => {
  const centre = 1 - 2 * half.reduce((s, v) => s + v, 0);
  return [...half, centre, ...half.slice().reverse()];
};

/**
 * Yoshida's sixth-order 7-stage composition of leapfrog ("solution A").
 * @see H. Yoshida, Construction of higher order symplectic integrators, Phys. Lett. A 150 (1990) 262-268, Table 1.
 */
export const yoshida6 = composeWeights(
  leapfrogDKD,
  symmetricWeights([0.7845136104775573, 0.23557321335935813, -1.177679984178871]),
  { name: 'yoshida6', order: 6, source: 'Yoshida, Phys. Lett. A 150 (1990) 262-268, solution A' },
);

/**
 * Kahan & Li's sixth-order 9-stage composition of leapfrog (s9odr6a).
 * @see W. Kahan, R.-C. Li, Composition constants for raising the orders of unconventional schemes for ODEs, Math. Comp. 66 (1997) 1089-1099.
 */
export const kahanLi6 = composeWeights(
  leapfrogDKD,
  symmetricWeights([0.3921614440073141, 0.33259913678935943, -0.7062461725576393, 0.0822135962935508]),
  { name: 'kahanLi6', order: 6, source: 'Kahan & Li, Math. Comp. 66 (1997) 1089-1099, s9odr6a' },
);

/**
 * Kahan & Li's eighth-order 17-stage composition of leapfrog (s17odr8a).
 * @see W. Kahan, R.-C. Li, Math. Comp. 66 (1997) 1089-1099.
 */
export const kahanLi8 = composeWeights(
  leapfrogDKD,
  symmetricWeights([
    0.13020248308889007, 0.5611629817751084, -0.38947496264484727, 0.1588419065551556, -0.39590389413323757,
    0.1845396409783157, 0.25837438768632204, 0.2950117236093103,
  ]),
  { name: 'kahanLi8', order: 8, source: 'Kahan & Li, Math. Comp. 66 (1997) 1089-1099, s17odr8a' },
);

/**
 * McLachlan's eighth-order 15-stage symmetric composition of leapfrog.
 * @see R. I. McLachlan, SIAM J. Sci. Comput. 16 (1995) 151-168.
 */
export const mclachlan8 = composeWeights(
  leapfrogDKD,
  symmetricWeights([
    0.741670364350613, -0.4091008258000316, 0.1907547102962384, -0.5738624711160822, 0.2990641813036559,
    0.33462491824529816, 0.3152930923967666,
  ]),
  { name: 'mclachlan8', order: 8, source: 'McLachlan, SIAM J. Sci. Comput. 16 (1995) 151-168' },
);

/** Forward Euler. Order 1. @see L. Euler, Institutiones calculi integralis (1768). */
export const euler = defineButcherTableau({
  name: 'euler',
  order: 1,
  a: [[0]],
  b: [1],
  c: [0],
  source: 'Euler 1768',
});

/** Explicit midpoint rule. Order 2. @see Hairer, Nørsett, Wanner, Solving ODEs I (1993), §II.1. */
export const midpoint = defineButcherTableau({
  name: 'midpoint',
  order: 2,
  a: [
    [0, 0],
    [0.5, 0],
  ],
  b: [0, 1],
  c: [0, 0.5],
  source: 'Runge 1895; Hairer, Nørsett & Wanner, Solving ODEs I, §II.1',
});

/** Heun's method (explicit trapezoidal rule). Order 2. @see K. Heun, Z. Math. Phys. 45 (1900) 23. */
export const heun = defineButcherTableau({
  name: 'heun',
  order: 2,
  a: [
    [0, 0],
    [1, 0],
  ],
  b: [0.5, 0.5],
  c: [0, 1],
  source: 'Heun, Z. Math. Phys. 45 (1900) 23-38',
});

/** The classical fourth-order Runge–Kutta method. @see W. Kutta, Z. Math. Phys. 46 (1901) 435. */
export const rk4 = defineButcherTableau({
  name: 'rk4',
  order: 4,
  a: [
    [0, 0, 0, 0],
    [0.5, 0, 0, 0],
    [0, 0.5, 0, 0],
    [0, 0, 1, 0],
  ],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  c: [0, 0.5, 0.5, 1],
  source: 'Kutta, Z. Math. Phys. 46 (1901) 435-453',
});

/**
 * Dormand–Prince 5(4): 7 stages, FSAL, embedded order 4 for error control, Hairer's 4th-order dense output.
 * @see J. R. Dormand, P. J. Prince, A family of embedded Runge–Kutta formulae, J. Comput. Appl. Math. 6 (1980) 19-26; Hairer, Nørsett, Wanner, Solving ODEs I (1993), §II.5-6 (DOPRI5).
 */
export const dormandPrince54 = defineButcherTableau({
  name: 'dormandPrince54',
  order: 5,
  embeddedOrder: 4,
  a: [
    [0, 0, 0, 0, 0, 0, 0],
    [1 / 5, 0, 0, 0, 0, 0, 0],
    [3 / 40, 9 / 40, 0, 0, 0, 0, 0],
    [44 / 45, -56 / 15, 32 / 9, 0, 0, 0, 0],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0, 0, 0],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0, 0],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  bHat: [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40],
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  dense: [
    -12715105075 / 11282082432,
    0,
    87487479700 / 32700410799,
    -10690763975 / 1880347072,
    701980252875 / 199316789632,
    -1453857185 / 822651844,
    69997945 / 29380423,
  ],
  source:
    'Dormand & Prince, J. Comput. Appl. Math. 6 (1980) 19-26; dense output from Hairer, Nørsett & Wanner (DOPRI5)',
});

/** Implicit midpoint rule (1-stage Gauss–Legendre): symplectic, symmetric, order 2. @see Hairer, Lubich, Wanner, GNI (2006), §II.1. */
export const implicitMidpoint = defineButcherTableau({
  name: 'implicitMidpoint',
  order: 2,
  a: [[0.5]],
  b: [1],
  c: [0.5],
  source: 'Hairer, Lubich & Wanner, Geometric Numerical Integration (2006), §II.1.1',
});

/** 2-stage Gauss–Legendre collocation: symplectic, order 4. @see J. C. Butcher, Math. Comp. 18 (1964) 50; GNI §II.1.3. */
export const gaussLegendre4 = defineButcherTableau({
  name: 'gaussLegendre4',
  order: 4,
  a: [
    [1 / 4, 1 / 4 - sqrt3 / 6],
    [1 / 4 + sqrt3 / 6, 1 / 4],
  ],
  b: [0.5, 0.5],
  c: [0.5 - sqrt3 / 6, 0.5 + sqrt3 / 6],
  source: 'Butcher, Math. Comp. 18 (1964) 50-64',
});

/** 3-stage Gauss–Legendre collocation: symplectic, order 6. @see J. C. Butcher, Math. Comp. 18 (1964) 50; GNI Table II.1.1. */
export const gaussLegendre6 = defineButcherTableau({
  name: 'gaussLegendre6',
  order: 6,
  a: [
    [5 / 36, 2 / 9 - sqrt15 / 15, 5 / 36 - sqrt15 / 30],
    [5 / 36 + sqrt15 / 24, 2 / 9, 5 / 36 - sqrt15 / 24],
    [5 / 36 + sqrt15 / 30, 2 / 9 + sqrt15 / 15, 5 / 36],
  ],
  b: [5 / 18, 4 / 9, 5 / 18],
  c: [0.5 - sqrt15 / 10, 0.5, 0.5 + sqrt15 / 10],
  source: 'Butcher, Math. Comp. 18 (1964) 50-64',
});

/** Every built-in method by name (frozen). */
export const methods = Object.freeze({
  symplecticEuler: symplecticEulerA,
  symplecticEulerA,
  symplecticEulerB,
  leapfrog,
  leapfrogDKD,
  leapfrogKDK,
  velocityVerlet,
  ruth3,
  forestRuth,
  mclachlan4,
  blanesMoan4,
  yoshida6,
  kahanLi6,
  kahanLi8,
  mclachlan8,
  implicitMidpoint,
  gaussLegendre4,
  gaussLegendre6,
  euler,
  midpoint,
  heun,
  rk4,
  dormandPrince54,
});

/** Name of a built-in method. */
export type MethodName = keyof typeof methods;

/**
 * Resolves a method given by name or as data.
 * @throws IntegratorError `UNKNOWN_METHOD` naming the valid choices.
 */
export function resolveMethod(fn: string, method: Method | MethodName | string): Method {
  if (typeof method === 'string') {
    const m = (methods as Record<string, Method>)[method];
    if (!m) {
      throw new IntegratorError(
        'UNKNOWN_METHOD',
        `${fn}(): argument 'method' must be one of ${Object.keys(methods).join(', ')} or a defined method, got ${describe(method)}`,
      );
    }
    return m;
  }
  if (method && typeof method === 'object' && (method.type === 'splitting' || method.type === 'runge-kutta'))
    return method;
  throw new IntegratorError(
    'UNKNOWN_METHOD',
    `${fn}(): argument 'method' must be a method name or the result of defineSplittingScheme/defineButcherTableau, got ${describe(method)}`,
  );
}
