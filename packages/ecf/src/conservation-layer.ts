import * as tf from '@tensorflow/tfjs';
import { integrate } from './conservation-encoder';
import { decodeWith } from './conservation-decoder';
import { fieldShape, resolveSpec } from './conservation-spec';
import type { Invariant, ResolvedSpec } from './conservation-spec';
import { invalid } from './errors';

/** Serialisable configuration of {@link ConservationLayer}. */
export interface ConservationLayerConfig {
  /** Quadrature weights of the flattened spatial grid. */
  weights: number[];
  /** Conserved integrals: one list for all channels, or an object per channel index. */
  invariants: Invariant[] | Record<number, Invariant[]>;
  name?: string;
}

/**
 * ECF as a serialisable `tf.layers` layer (className `NoetherConservation`, registered on import): called on
 * `[input, prediction]`, it returns the prediction projected onto the conserved integrals of the input. Use it
 * in a functional `tf.model` after any backbone; it has no weights and saves with the model.
 *
 * @throws {EcfError} `INVALID_ARGUMENT` for a bad config; `SHAPE_MISMATCH` for mismatched inputs.
 * @example
 * const input = tf.input({ shape: [256, 1] });
 * const backbone = tf.layers.conv1d({ filters: 1, kernelSize: 5, padding: 'same' }).apply(input) as tf.SymbolicTensor;
 * const out = new ConservationLayer({ weights: Array(256).fill(1 / 256), invariants: ['linear'] }).apply([input, backbone]);
 * const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
 */
export class ConservationLayer extends tf.layers.Layer {
  static className = 'NoetherConservation';
  private readonly config: ConservationLayerConfig;
  private readonly spec: ResolvedSpec;

  constructor(config: ConservationLayerConfig) {
    super({ name: config?.name, trainable: false });
    const fn = 'ConservationLayer';
    if (!config || typeof config !== 'object') invalid([fn, 'config'], '{ weights, invariants }', config);
    if (!Array.isArray(config.weights))
      invalid([fn, 'config.weights'], 'an array of quadrature weights', config.weights);
    this.spec = resolveSpec({ weights: config.weights, invariants: config.invariants }, fn);
    this.config = { weights: Array.from(this.spec.grid.w), invariants: config.invariants };
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[])[1] : inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2)
        invalid(['ConservationLayer.call', 'inputs'], '[input, prediction]', inputs);
      const [x, y] = inputs as [tf.Tensor, tf.Tensor];
      const targets = integrate(
        x.dataSync(),
        fieldShape(x, this.spec, ['ConservationLayer.call', 'input']),
        this.spec,
      );
      return decodeWith(this.spec, y, { targets });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      weights: this.config.weights,
      invariants: this.config.invariants,
    };
  }
}

tf.serialization.registerClass(ConservationLayer);
