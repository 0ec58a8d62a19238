import * as tf from '@tensorflow/tfjs';

/** A small MLP as explicit tfjs variables: `apply(x)` maps `[N, sizes[0]]` to `[N, sizes.at(-1)]`. */
export interface SeededMlp {
  /** Weights and biases, `[W0, b0, W1, b1, ...]` (owned: dispose them when done). */
  readonly vars: tf.Variable[];
  /** The network; its intermediate tensors are tidied, the output is owned by the caller. */
  readonly apply: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Options of {@link seededMlp}. */
export interface SeededMlpOptions {
  /** Layer sizes, inputs first, outputs last (default: 2 -> 8 x 20 -> 1, the PINN benchmarks' network). */
  sizes?: readonly number[];
  /** Seed of the weights (layer i uses `seed + i`). */
  seed: number;
  /** Hidden activation. Default `'tanh'`; `'sin'` has exact higher-order gradients in plain tfjs. */
  activation?: 'tanh' | 'sin';
}

/**
 * The seeded MLP of the benchmarks and tests: Glorot-uniform weights `U(-l, l)`, `l = sqrt(6 / (fan_in +
 * fan_out))`, drawn with tfjs's seeded `randomUniform` (layer i with seed `seed + i`), zero biases.
 *
 * @example
 * const { vars, apply } = seededMlp({ seed: 1 });
 * const u = apply(xt); // [N, 1]
 * @see Glorot & Bengio, Understanding the difficulty of training deep feedforward neural networks (2010).
 */
export function seededMlp(options: SeededMlpOptions): SeededMlp {
  const sizes = options.sizes ?? [2, 20, 20, 20, 20, 20, 20, 20, 20, 1];
  const act = options.activation === 'sin' ? tf.sin : tf.tanh;
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const lim = Math.sqrt(6 / (sizes[i] + sizes[i + 1]));
    vars.push(
      tf.variable(tf.randomUniform([sizes[i], sizes[i + 1]], -lim, lim, 'float32', options.seed + i)),
    );
    vars.push(tf.variable(tf.zeros([sizes[i + 1]])));
  }
  const apply = (x: tf.Tensor2D) =>
    tf.tidy(() => {
      let h: tf.Tensor2D = x;
      for (let i = 0; i < vars.length; i += 2) {
        h = tf.add(tf.matMul(h, vars[i] as tf.Tensor2D), vars[i + 1]) as tf.Tensor2D;
        if (i + 2 < vars.length) h = act(h) as tf.Tensor2D;
      }
      return h;
    });
  return { vars, apply };
}
