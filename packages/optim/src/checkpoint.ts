import { describeValue } from '@noether/autodiff';
import { OptimError } from './errors';

/** One training step's log entry. */
export interface StepRecord {
  /** 1-based step number. */
  step: number;
  /** Total loss reported by the optimiser for this step. */
  loss: number;
  /** Value of each loss term (same evaluation as `loss`). */
  terms: Record<string, number>;
  /** Wall time of the step in ms. */
  ms: number;
  /** Loss evaluations the step used (L-BFGS: line-search trials included). Absent in older checkpoints. */
  evaluations?: number;
}

/** A float32 array encoded for JSON. */
export interface EncodedArray {
  shape: number[];
  /** Base64 of the little-endian float32 bytes. */
  data: string;
}

/** A serialisable training snapshot (JSON). */
export interface Checkpoint {
  format: 'noether-pinn-checkpoint';
  version: 1;
  /** Completed steps. */
  step: number;
  /** Variable values, in the trainer's variable order. */
  variables: Array<EncodedArray & { name: string }>;
  /** Optimiser name and its state (JSON). */
  optimizer: { name: string; state: unknown };
  /** Loss history so far. */
  history: StepRecord[];
  /** The run's settings (see `train`'s `checkpoint.settings`), compared on resume. */
  settings?: Record<string, unknown>;
}

/** Where checkpoints live: a file (`fileCheckpointStore`), memory, or your own (IndexedDB, ...). */
export interface CheckpointStore {
  /** The latest checkpoint, or null when there is none. */
  load(): Promise<Checkpoint | null>;
  /** Persists a checkpoint atomically (a reader never sees a partial one). */
  save(checkpoint: Checkpoint): Promise<void>;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Encodes float32 values as base64 (little-endian), without Buffer, for browsers too. */
export function encodeFloat32(values: ArrayLike<number>, shape: number[] = [values.length]): EncodedArray {
  const f = Float32Array.from(values);
  const bytes = new Uint8Array(f.buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return { shape, data: out };
}

/** Decodes {@link encodeFloat32}. @throws {OptimError} `FORMAT` for malformed data. */
export function decodeFloat32(encoded: EncodedArray): Float32Array {
  const s = encoded?.data;
  if (typeof s !== 'string' || s.length % 4 !== 0) {
    throw new OptimError(
      'FORMAT',
      `decodeFloat32(): argument 'encoded.data' must be base64 text, got ${describeValue(s)}`,
    );
  }
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (s[i + k] === '=' ? 0 : B64.indexOf(s[i + k])));
    if (v.some((x) => x < 0))
      throw new OptimError('FORMAT', `decodeFloat32(): invalid base64 character near offset ${i}`);
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    if (o < bytes.length) bytes[o++] = (n >> 16) & 255;
    if (o < bytes.length) bytes[o++] = (n >> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  const count = encoded.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) {
    throw new OptimError(
      'FORMAT',
      `decodeFloat32(): data holds ${bytes.length / 4} values, shape [${encoded.shape.join(', ')}] needs ${count}`,
    );
  }
  return new Float32Array(bytes.buffer);
}

/** Validates the outer structure of a parsed checkpoint. @throws {OptimError} `FORMAT`. */
export function checkCheckpoint(value: unknown, source: string): Checkpoint {
  const c = value as Checkpoint;
  if (
    !c ||
    c.format !== 'noether-pinn-checkpoint' ||
    c.version !== 1 ||
    !Array.isArray(c.variables) ||
    !Number.isInteger(c.step)
  ) {
    throw new OptimError('FORMAT', `checkpoint from ${source} is not a version-1 noether-pinn-checkpoint`);
  }
  return c;
}

/**
 * An in-memory {@link CheckpointStore} (tests, browsers). Stores a deep copy (JSON round trip), as a file would.
 * @example
 * const store = memoryCheckpointStore();
 */
export function memoryCheckpointStore(): CheckpointStore & { saves: number } {
  let text: string | null = null;
  const store = {
    saves: 0,
    load: async () => (text === null ? null : checkCheckpoint(JSON.parse(text), 'memory')),
    save: async (c: Checkpoint) => {
      text = JSON.stringify(c);
      store.saves++;
    },
  };
  return store;
}
