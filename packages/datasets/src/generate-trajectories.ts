import { createRng, type OnProgress, type ProgressInfo, type Rng, type RunStatus } from '@noether/autodiff';
import { integrate, type MethodName } from '@noether/integrators';
import { checkNumber, DatasetsError } from './errors';
import type { PhysicalSystem, SamplerOptions } from './systems/physical-system';

/** Options of {@link generateTrajectories}. */
export interface GenerateTrajectoriesOptions {
  /** Number of trajectories. */
  count: number;
  /** Saved states per trajectory, the initial state included (an integer >= 2). */
  samples: number;
  /** Time between saved states. */
  sampleDt: number;
  /** Seed of the one random stream (initial conditions, then noise). */
  seed: number;
  /**
   * Initial states: sampler options for the system's sampler (default: Noether's Razor train split),
   * a function `(rng, index) => x0`, or an explicit list of `[dim]` arrays (length `count`).
   */
  initialConditions?:
    SamplerOptions | ((rng: Rng, index: number) => Float64Array) | readonly ArrayLike<number>[];
  /** Standard deviation of Gaussian observation noise added to the saved states (`x`), default 0; `clean` keeps the exact states. */
  noise?: number;
  /**
   * `closed-form` (only where the system has an exact flow), an `@noether/integrators` method name, or
   * `auto` (default): closed form when available, else `kahanLi8` (separable) or `gaussLegendre6`.
   */
  integrator?: 'auto' | 'closed-form' | MethodName;
  /** Relative energy error allowed per trajectory; integration substeps are doubled until met; default 1e-10. */
  energyTol?: number;
  /**
   * Called after each trajectory with `{ step: done, total: count }`; returning `false` stops and returns
   * the trajectories done so far with status `'stopped'`.
   */
  onProgress?: OnProgress<ProgressInfo>;
}

/** Result of {@link generateTrajectories}. */
export interface Trajectories {
  /** `'ok'`, or `'stopped'` when `onProgress` returned false (then `shape[0]` trajectories are present). */
  readonly status: Extract<RunStatus, 'ok' | 'stopped'>;
  /** States `[count, samples, dim]` row-major (with noise when requested). */
  readonly x: Float64Array;
  /** Noise-free states, same layout. */
  readonly clean: Float64Array;
  /** Times `[samples]`. */
  readonly t: Float64Array;
  readonly shape: readonly [number, number, number];
  /** Largest relative energy error |H(x_k) - H(x_0)| / max(1, |H(x_0)|) over all clean states. */
  readonly maxEnergyError: number;
  /** How the states were computed. */
  readonly method: string;
  /** Integration substeps per saved step (1 for the closed form). */
  readonly substeps: number;
  readonly seed: number;
  readonly system: string;
}

/**
 * Generates trajectories of a Hamiltonian system in float64: exact flows where a closed form exists
 * (harmonic oscillators), otherwise high-accuracy integration with `@noether/integrators` (8th-order
 * Kahan–Li composition for separable H, 6th-order Gauss–Legendre otherwise) with substeps doubled until the
 * energy error is below `energyTol` (default 1e-10). One seeded PCG32 stream gives the initial
 * conditions (one split per trajectory) and then the noise: the same seed gives the same bytes.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NOT_CONVERGED` if the energy tolerance cannot
 *   be met within 4096 substeps per saved step.
 * @example const data = generateTrajectories(planarThreeBody(), { count: 200, samples: 51, sampleDt: 0.1, seed: 0 });
 * @see van der Ouderaa et al., "Noether's Razor" (2024), data generation (one-step transitions).
 */
export function generateTrajectories(
  system: PhysicalSystem,
  options: GenerateTrajectoriesOptions,
): Trajectories {
  const fn = 'generateTrajectories';
  const count = checkNumber({ fn, name: 'count' }, options.count, { integer: true, min: 1 });
  const samples = checkNumber({ fn, name: 'samples' }, options.samples, { integer: true, min: 2 });
  const dt = checkNumber({ fn, name: 'sampleDt' }, options.sampleDt, { positive: true });
  const steps = samples - 1;
  const seed = checkNumber({ fn, name: 'seed' }, options.seed, { integer: true });
  const noise = checkNumber({ fn, name: 'noise' }, options.noise ?? 0, { min: 0 });
  const tol = checkNumber({ fn, name: 'energyTol' }, options.energyTol ?? 1e-10, {
    positive: true,
  });
  const dim = system.dim;
  const rng = createRng(seed);
  const ic = options.initialConditions;
  const x0s: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const sub = rng.split();
    let x0: Float64Array;
    if (Array.isArray(ic)) {
      if (ic.length !== count)
        throw new DatasetsError(
          'INVALID_ARGUMENT',
          `${fn}(): argument 'initialConditions' must list ${count} states, got ${ic.length}`,
        );
      x0 = Float64Array.from(ic[i] as ArrayLike<number>);
    } else if (typeof ic === 'function') x0 = ic(sub, i);
    else x0 = system.sample(sub, (ic as SamplerOptions | undefined) ?? {});
    if (x0.length !== dim || x0.some((v) => !Number.isFinite(v)))
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `${fn}(): initial state ${i} must hold ${dim} finite numbers, got length ${x0.length}`,
      );
    x0s.push(x0);
  }
  const choice = options.integrator ?? 'auto';
  const closed = choice === 'closed-form' || (choice === 'auto' && system.flow !== undefined);
  if (closed && !system.flow)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): system '${system.name}' has no closed-form flow; use integrator 'auto' or a method name`,
    );
  const method: MethodName =
    choice === 'auto' || choice === 'closed-form'
      ? system.separable
        ? 'kahanLi8'
        : 'gaussLegendre6'
      : choice;
  const nt = steps + 1;
  let clean = new Float64Array(count * nt * dim);
  let maxErr = 0;
  let done = count;
  let substeps = closed ? 1 : Math.max(1, Math.ceil(dt / 0.01));
  for (let i = 0; i < count; i++) {
    const x0 = x0s[i]!;
    const H0 = system.H(x0);
    const errOf = (states: Float64Array) => {
      let e = 0;
      for (let k = 0; k < nt; k++)
        e = Math.max(
          e,
          Math.abs(system.H(states.subarray(k * dim, (k + 1) * dim)) - H0) / Math.max(1, Math.abs(H0)),
        );
      return e;
    };
    let states: Float64Array;
    let err: number;
    if (closed) {
      states = new Float64Array(nt * dim);
      for (let k = 0; k < nt; k++) states.set(system.flow!(x0, k * dt), k * dim);
      err = errOf(states);
    } else {
      for (;;) {
        const r = integrate(method, system.integratorSystem, {
          x0,
          dt: dt / substeps,
          steps: steps * substeps,
          saveEvery: substeps,
          throwOnFailure: false,
          tol: 1e-15,
        });
        states = r.x.data as Float64Array;
        err = r.status === 'ok' && states.length === nt * dim ? errOf(states) : Infinity;
        if (err <= tol) break;
        if (substeps >= 4096)
          throw new DatasetsError(
            'NOT_CONVERGED',
            `${fn}(): trajectory ${i} of '${system.name}' keeps an energy error of ${err.toExponential(2)} (> ${tol}) with ${substeps} substeps of '${method}' per step (status ${r.status})`,
          );
        substeps *= 2;
      }
    }
    clean.set(states, i * nt * dim);
    maxErr = Math.max(maxErr, err);
    if (options.onProgress?.({ step: i + 1, total: count }) === false && i + 1 < count) {
      done = i + 1;
      clean = clean.slice(0, done * nt * dim);
      break;
    }
  }
  const x = Float64Array.from(clean);
  if (noise > 0) for (let j = 0; j < x.length; j++) x[j]! += noise * rng.normal();
  return Object.freeze({
    status: done < count ? ('stopped' as const) : ('ok' as const),
    x,
    clean,
    t: Float64Array.from({ length: nt }, (_, k) => k * dt),
    shape: [done, nt, dim] as const,
    maxEnergyError: maxErr,
    method: closed ? 'closed-form' : method,
    substeps,
    seed,
    system: system.name,
  });
}
