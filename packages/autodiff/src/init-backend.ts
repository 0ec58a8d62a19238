import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from './errors';

/** Backends Noether can run on, fastest first. `tensorflow` is `@tensorflow/tfjs-node`. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use, overriding detection. Default: `process.env.NOETHER_BACKEND`, else auto-detect. */
  backend?: BackendName;
  /** Where to report the choice. Default: `console.error`; pass `() => {}` for silence. */
  log?: (message: string) => void;
}

/** The outcome of {@link initBackend}. */
export interface BackendChoice {
  /** The active tfjs backend. */
  name: BackendName;
  /** Why it was chosen, e.g. `auto: @tensorflow/tfjs-node not installed; wasm available`. */
  reason: string;
}

async function tryLoad(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // Optional peer dependency: present only where a user installed it.
      const moduleName = '@tensorflow/tfjs-node';
      await import(/* @vite-ignore */ moduleName);
    } else if (name === 'wasm') {
      const moduleName = '@tensorflow/tfjs-backend-wasm';
      await import(/* @vite-ignore */ moduleName);
    }
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? String(error);
  }
}

function readEnvBackend(): string | undefined {
  const value = typeof process !== 'undefined' ? process.env?.NOETHER_BACKEND : undefined;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Selects the fastest available TensorFlow.js backend: `@tensorflow/tfjs-node` when installed (an optional
 * peer dependency, detected at run time), else `wasm`, else `cpu`. The environment variable `NOETHER_BACKEND`
 * (or `options.backend`) forces one; a forced backend that cannot load is an error, not a silent fallback.
 *
 * @returns the chosen backend's name and the reason, also reported through `options.log`.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for an unknown backend name; `BACKEND_UNAVAILABLE` when the
 *   forced backend cannot be loaded.
 * @example
 * const { name } = await initBackend(); // 'wasm' on a machine without tfjs-node
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? ((message: string) => console.error(message));
  const forced = options.backend ?? readEnvBackend();
  const source = options.backend !== undefined ? 'options.backend' : 'NOETHER_BACKEND';
  if (forced !== undefined) {
    if (!BACKENDS.includes(forced as BackendName)) {
      throw new AutodiffError(
        'INVALID_ARGUMENT',
        `initBackend(): argument '${source}' must be one of ${BACKENDS.join(', ')}, got ${describeValue(forced)}`,
      );
    }
    const failure = await tryLoad(forced as BackendName);
    if (failure !== null) {
      throw new AutodiffError(
        'BACKEND_UNAVAILABLE',
        `initBackend(): backend '${forced}' requested by ${source} cannot be loaded: ${failure}`,
      );
    }
    const choice = { name: forced as BackendName, reason: `forced by ${source}` };
    log(`noether: using tfjs backend '${choice.name}' (${choice.reason})`);
    return choice;
  }
  const skipped: string[] = [];
  for (const name of BACKENDS) {
    const failure = await tryLoad(name);
    if (failure === null) {
      const reason = skipped.length ? `auto: ${skipped.join('; ')}` : 'auto: fastest available';
      log(`noether: using tfjs backend '${name}' (${reason})`);
      return { name, reason };
    }
    skipped.push(`${name} unavailable (${failure})`);
  }
  throw new AutodiffError(
    'BACKEND_UNAVAILABLE',
    `initBackend(): no backend could be loaded: ${skipped.join('; ')}`,
  );
}
