import * as tf from '@tensorflow/tfjs';
import { targetConstants, validateConstraint } from './constraint';
import type { ConstraintType } from './constraint';
import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';
import { checkFloor } from './project64';
import { applyAffine, resolveGridWeights, tensorAffine } from './project';

/** Serialisable configuration of a {@link ProjectionLayer} (constant targets only). */
export interface ProjectionLayerConfig {
  /** Which integrals are constrained. */
  constraintType: ConstraintType;
  /** Target of `Σ w u` (linear, joint). */
  c1?: number;
  /** Target of `Σ w u²` (quadratic, joint). */
  c2?: number;
  /** Quadrature weights, one per input feature. */
  weights: number[];
  /** Floor of the denominators `I2` and `S`. Default 1e-12. */
  denominatorFloor?: number;
  /** Layer name etc. */
  name?: string;
  trainable?: boolean;
}

/**
 * A `tf.layers.Layer` that projects each input row (`[batch, n]`: a field sampled on the n quadrature nodes)
 * onto an integral constraint, for models built with tf.layers (e.g. operator-style outputs). A thin wrapper
 * over `project`; serialisable (registered with `tf.serialization.registerClass` as `'NoetherProjection'`),
 * so models containing it save and load with `model.save` / `tf.loadLayersModel`. No trainable weights.
 * For pointwise PINNs `u(x, t)` use `withProjection` instead.
 *
 * @throws {PinnProjError} at construction for bad weights, infeasible targets or a bad constraint type;
 *   `SHAPE_MISMATCH` when the input's last dimension differs from the weight count.
 * @example
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [3], units: 64 }),
 *   new ProjectionLayer({ constraintType: 'joint', c1: 1, c2: 0.8, weights: Array(64).fill(1 / 32) }),
 * ] });
 */
export class ProjectionLayer extends tf.layers.Layer {
  /** Registered class name. */
  static className = 'NoetherProjection';
  private readonly projection: Required<Omit<ProjectionLayerConfig, 'name' | 'trainable' | 'c1' | 'c2'>> & {
    c1?: number;
    c2?: number;
  };
  private readonly grid: { w: Float64Array; W: number };

  constructor(config: ProjectionLayerConfig) {
    super({ name: config?.name, trainable: false });
    const fn = 'ProjectionLayer';
    if (!config || typeof config !== 'object') invalid([fn, 'config'], 'a configuration object', config);
    const constraint =
      config.constraintType === 'linear'
        ? { type: 'linear' as const, c1: config.c1 as number }
        : config.constraintType === 'quadratic'
          ? { type: 'quadratic' as const, c2: config.c2 as number }
          : { type: config.constraintType, c1: config.c1 as number, c2: config.c2 as number };
    validateConstraint(constraint as never, fn, 'config');
    for (const key of ['c1', 'c2'] as const) {
      const v = config[key];
      if (v !== undefined && typeof v !== 'number')
        invalid([fn, `config.${key}`], 'a constant number (callbacks cannot be serialised)', v);
    }
    if (!Array.isArray(config.weights))
      invalid([fn, 'config.weights'], 'an array of quadrature weights', config.weights);
    this.grid = resolveGridWeights(config.weights, config.weights.length, fn);
    targetConstants(constraint as never, this.grid.W, { slices: 1, fn });
    this.projection = {
      constraintType: config.constraintType,
      c1: config.c1,
      c2: config.c2,
      weights: Array.from(this.grid.w),
      // Models saved before the rename carry the floor as `eps`.
      denominatorFloor: checkFloor(config.denominatorFloor ?? (config as { eps?: number }).eps, fn),
    };
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const n = this.grid.w.length;
      if (x.rank !== 2 || x.shape[1] !== n) {
        throw new PinnProjError(
          'SHAPE_MISMATCH',
          `ProjectionLayer.call(): input must have shape [batch, ${n}] (one value per weight), got ${describeValue(x)}`,
        );
      }
      const p = this.projection;
      const constraint =
        p.constraintType === 'linear'
          ? { type: 'linear' as const, c1: p.c1 as number }
          : p.constraintType === 'quadratic'
            ? { type: 'quadratic' as const, c2: p.c2 as number }
            : { type: 'joint' as const, c1: p.c1 as number, c2: p.c2 as number };
      const targets = targetConstants(constraint, this.grid.W, {
        slices: x.shape[0],
        fn: 'ProjectionLayer.call',
      });
      return applyAffine(
        x,
        tensorAffine(x as tf.Tensor2D, this.grid, {
          type: p.constraintType,
          targets,
          eps: p.denominatorFloor,
        }),
      );
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const p = this.projection;
    const config: tf.serialization.ConfigDict = {
      constraintType: p.constraintType,
      weights: p.weights,
      denominatorFloor: p.denominatorFloor,
    };
    if (p.c1 !== undefined) config.c1 = p.c1;
    if (p.c2 !== undefined) config.c2 = p.c2;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(ProjectionLayer);
