import * as tf from '@tensorflow/tfjs';
import { checkInt, invalid, shapeMismatch } from './errors';
import { relativeL2 } from './relative-l2';

/** A one-step map `u_k ↦ u_{k+1}` on `[batch, ...space, channels]` (an operator's `apply`, or a wrapped one). */
export type StepFunction = (u: tf.Tensor) => tf.Tensor;

/**
 * Autoregressive rollout: `u_{k+1} = step(u_k)` for `steps` steps from `u0`. Only the carried state and the
 * outputs stay alive. Not meant for gradients (use {@link pushforwardLoss} to train through rollouts).
 *
 * @param step - the one-step map.
 * @param u0 - initial states `[batch, ...]`, borrowed.
 * @param options - `steps` (≥ 1).
 * @returns `[steps, batch, ...]`: the states after each step (owned by the caller).
 * @throws {OperatorsError} `INVALID_ARGUMENT` for a bad step count or step function.
 * @example
 * const traj = rollout((u) => fno.apply(u), u0, { steps: 20 });
 */
export function rollout(step: StepFunction, u0: tf.Tensor, options: { steps: number }): tf.Tensor {
  const fn = 'rollout';
  if (typeof step !== 'function') invalid([fn, 'step'], 'a function of a tensor', step);
  if (!(u0 instanceof tf.Tensor)) invalid([fn, 'u0'], 'a tensor [batch, ...]', u0);
  const steps = checkInt([fn, 'options.steps'], options?.steps);
  const out: tf.Tensor[] = [];
  let u = u0;
  try {
    for (let k = 0; k < steps; k++) {
      const next = tf.tidy(() => step(u));
      if (next.shape.join() !== u0.shape.join())
        shapeMismatch([fn, 'step'], `a map preserving the shape [${u0.shape.join(', ')}]`, next);
      out.push(next);
      u = next;
    }
    return tf.stack(out);
  } finally {
    tf.dispose(out);
  }
}

/**
 * The one-step (teacher-forcing) loss: `relativeL2(step(inputs), targets)` on true states. Differentiable;
 * use it as a trainer loss term.
 *
 * @example
 * const loss = () => ({ data: teacherForcingLoss((u) => fno.apply(u), x, y) });
 */
export function teacherForcingLoss(step: StepFunction, inputs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  if (typeof step !== 'function') invalid(['teacherForcingLoss', 'step'], 'a function of a tensor', step);
  return tf.tidy(() => relativeL2(step(inputs), targets));
}

/** The value of `x` with a zero gradient (tfjs has no stopGradient op). */
export function detach(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    return { value: tf.clone(t), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  });
  return op(x);
}

/**
 * The pushforward loss (Brandstetter, Worrall, Welling 2022): unroll `unroll - 1` steps from the true state
 * without gradient, then take one step with gradient and compare with the true state `unroll` steps ahead.
 * Trains the operator on its own error distribution at the cost of one extra forward per unrolled step.
 *
 * @param inputs - true states `u_k`, `[batch, ...]`, borrowed.
 * @param options - `targets`: true states `u_{k+unroll}` (borrowed); `unroll` ≥ 1 (1 is teacher forcing).
 * @example
 * const loss = () => ({ data: pushforwardLoss((u) => fno.apply(u), uK, { targets: uK2, unroll: 2 }) });
 * @see J. Brandstetter, D. Worrall, M. Welling, "Message Passing Neural PDE Solvers", ICLR 2022.
 */
export function pushforwardLoss(
  step: StepFunction,
  inputs: tf.Tensor,
  options: { targets: tf.Tensor; unroll: number },
): tf.Scalar {
  const fn = 'pushforwardLoss';
  if (typeof step !== 'function') invalid([fn, 'step'], 'a function of a tensor', step);
  const unroll = checkInt([fn, 'options.unroll'], options?.unroll);
  return tf.tidy(() => {
    let u = inputs;
    for (let k = 0; k < unroll - 1; k++) u = detach(step(u));
    return relativeL2(step(u), options.targets);
  });
}
