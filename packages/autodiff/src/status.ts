/**
 * How a run ended (an integration, an optimisation, a training loop, a solver). One vocabulary for every
 * `@noether/*` package; a function returns the subset it can produce, as a typed union. The error code
 * thrown for a failed status (with `throwOnFailure: true`) is the same word in UPPER_SNAKE.
 *
 * | status | meaning | thrown as |
 * |---|---|---|
 * | `'ok'` | finished as asked: all steps run, or the tolerance met | – |
 * | `'stopped'` | a progress callback returned `false` | – |
 * | `'max-iterations'` | the iteration budget ran out before the tolerance was met | `NOT_CONVERGED` |
 * | `'not-converged'` | an inner solve (implicit step, line search) failed | `NOT_CONVERGED` |
 * | `'non-finite'` | a NaN or ±Inf appeared; the last finite state is returned | `NON_FINITE` |
 */
export type RunStatus = 'ok' | 'stopped' | 'max-iterations' | 'not-converged' | 'non-finite';

/** The statuses that are failures (thrown when the caller passes `throwOnFailure: true`). */
export type FailureStatus = Extract<RunStatus, 'max-iterations' | 'not-converged' | 'non-finite'>;

/** The outcome of a check (gradient check, invariance check, order-safety row): passed or failed. */
export type CheckStatus = 'pass' | 'fail';

/**
 * The one shape of progress callbacks: an info object, called after each unit of work; returning `false`
 * stops the run (its status becomes `'stopped'`). Packages extend the info with their own fields
 * (`t`, `loss`, ...).
 */
export interface ProgressInfo {
  /** Units of work completed so far (steps, iterations, samples), counted over the whole run. */
  readonly step: number;
  /** Total units, when known in advance. */
  readonly total?: number;
}

/** A progress callback over an info type `I`. Return `false` to stop. */
export type OnProgress<I extends ProgressInfo = ProgressInfo> = (info: I) => boolean | void;
