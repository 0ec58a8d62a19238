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
  /**
   * Intra-op threads of the `tensorflow` backend (TensorFlow's `TF_NUM_INTRAOP_THREADS`). Default:
   * `process.env.NOETHER_THREADS`, else TensorFlow's own choice (one per core). TensorFlow reads it once, when
   * tfjs-node first loads, so it must be given before that. The PINN and HNN workloads here are many small
   * kernels, where one thread is faster on a 2-core machine (HNN step 4.1–5.1 vs 5.4–6.9 ms, KdV step 73–76
   * vs 89–123 ms); large matMuls gain from more. The wasm build in use is single-threaded and cpu is plain
   * JavaScript: both ignore it.
   */
  threads?: number;
}

/** The outcome of {@link initBackend}. */
export interface BackendChoice {
  /** The active tfjs backend. */
  name: BackendName;
  /** Why it was chosen, as a short sentence, e.g. `the fastest available; tensorflow: @tensorflow/tfjs-node is not installed`. */
  reason: string;
}

/** The npm package that provides each backend (cpu comes with `@tensorflow/tfjs`). */
const PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/** True when `error` says that `moduleName` itself (not one of its dependencies) cannot be found. */
function isMissingModule(error: unknown, moduleName: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Node: ERR_MODULE_NOT_FOUND / MODULE_NOT_FOUND; bundlers and vite: "Could not resolve ...".
  return (
    typeof message === 'string' &&
    (message.includes(`'${moduleName}'`) || message.includes(`"${moduleName}"`)) &&
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /cannot find (package|module)|could not resolve/i.test(message))
  );
}

/** Sets TensorFlow's intra-op thread count before tfjs-node loads; says so when it is too late to change. */
function applyThreads(threads: number | undefined, log: (message: string) => void): void {
  if (threads === undefined || typeof process === 'undefined' || !process.env) return;
  const wanted = String(threads);
  const current = process.env.TF_NUM_INTRAOP_THREADS;
  if (tf.findBackendFactory('tensorflow') !== null && current !== wanted) {
    log(
      `noether: tensorflow already started with ${current ?? 'its default'} intra-op threads; threads = ${wanted} applies to a new process`,
    );
    return;
  }
  process.env.TF_NUM_INTRAOP_THREADS = wanted;
}

/** `options.threads`, else `NOETHER_THREADS`, validated. */
function readThreads(options: InitBackendOptions): number | undefined {
  const env = typeof process !== 'undefined' ? process.env?.NOETHER_THREADS?.trim() : undefined;
  const raw: unknown = options.threads ?? (env ? Number(env) : undefined);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    const source = options.threads !== undefined ? 'options.threads' : 'NOETHER_THREADS';
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `initBackend(): argument '${source}' must be a positive integer, got ${describeValue(options.threads ?? env)}`,
    );
  }
  return raw;
}

/** Loads a backend; returns null on success, else the reason as a short sentence (no paths, no stack). */
async function tryLoad(name: BackendName): Promise<string | null> {
  const moduleName = PACKAGES[name];
  try {
    // Optional peer dependencies: present only where a user installed them.
    if (name !== 'cpu') await import(/* @vite-ignore */ moduleName);
  } catch (error) {
    if (isMissingModule(error, moduleName)) return `${moduleName} is not installed`;
    const first = ((error as Error).message ?? String(error)).split('\n')[0] ?? '';
    return `${moduleName} failed to load (${first.replace(/ (imported )?from \S+$/, '')})`;
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return null;
  } catch (error) {
    return `${name} failed to initialise (${((error as Error).message ?? String(error)).split('\n')[0]})`;
  }
}

/**
 * Turns off tfjs's "Hi, looks like you are running TensorFlow.js in Node.js ..." banner, which the cpu
 * backend prints on its first write. {@link initBackend} calls it: it reports its own choice and why
 * (including that tfjs-node is not installed). Call it yourself before creating tensors to silence the
 * banner without calling initBackend. It makes the cpu backend's `firstUse` flag (the banner's only guard)
 * always false, for the current and any later cpu backend instance; nothing else changes.
 *
 * @example
 * import { quietTfjsBanner } from '@noether/autodiff';
 * quietTfjsBanner();
 */
export function quietTfjsBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (!cpu || typeof cpu.firstUse !== 'boolean') return;
  cpu.firstUse = false;
  const proto = Object.getPrototypeOf(cpu) as object;
  if (!Object.prototype.hasOwnProperty.call(proto, 'firstUse')) {
    // Later instances assign `this.firstUse = true` in their constructor: the setter swallows it.
    Object.defineProperty(proto, 'firstUse', { get: () => false, set: () => {}, configurable: true });
  }
}

/** The fix for a backend that failed to load, as the end of a sentence. */
function fixFor(name: BackendName, failure: string): string {
  if (!failure.endsWith('is not installed')) return '';
  return name === 'tensorflow'
    ? `; install it next to @tensorflow/tfjs (npm install @tensorflow/tfjs-node@${tf.version_core}) or choose NOETHER_BACKEND=wasm or cpu`
    : `; install it (npm install ${PACKAGES[name]}@${tf.version_core}) or choose another backend`;
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
 * @throws {AutodiffError} `INVALID_ARGUMENT` for an unknown backend name or a thread count that is not a
 *   positive integer; `BACKEND_UNAVAILABLE` when the
 *   forced backend cannot be loaded.
 * @example
 * const { name } = await initBackend(); // 'wasm' on a machine without tfjs-node
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  quietTfjsBanner();
  const log = options.log ?? ((message: string) => console.error(message));
  const forced = options.backend ?? readEnvBackend();
  applyThreads(readThreads(options), log);
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
        `initBackend(): backend '${forced}' requested by ${source} cannot be loaded: ${failure}${fixFor(forced as BackendName, failure)}`,
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
      const reason = skipped.length
        ? `the fastest available; ${skipped.join('; ')}`
        : 'the fastest available';
      log(`noether: using tfjs backend '${name}' (${reason})`);
      return { name, reason };
    }
    skipped.push(`${name}: ${failure}`);
  }
  throw new AutodiffError(
    'BACKEND_UNAVAILABLE',
    `initBackend(): no backend could be loaded: ${skipped.join('; ')}`,
  );
}
