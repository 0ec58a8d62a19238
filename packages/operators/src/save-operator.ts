import * as tf from '@tensorflow/tfjs';
import { fnoFromConfig } from './create-fno';
import { unetFromConfig } from './create-unet1d';
import { OperatorsError, invalid } from './errors';
import type { NeuralOperator, OperatorConfig } from './neural-operator';

const FORMAT = 'noether-operator';

/**
 * The operator as tfjs model artifacts: `modelTopology` holds `{ format: 'noether-operator', version: 1,
 * config }`, the weights are tfjs's binary weight format (`weightSpecs` + `weightData`, float32, in the
 * operator's variable order, named by position). Any tfjs `IOHandler` can store them.
 *
 * @example
 * const artifacts = await operatorArtifacts(fno);
 */
export async function operatorArtifacts(op: NeuralOperator): Promise<tf.io.ModelArtifacts> {
  if (!op || !Array.isArray(op.variables) || typeof op.apply !== 'function')
    invalid(['operatorArtifacts', 'op'], 'a NeuralOperator', op);
  const named: tf.NamedTensorMap = {};
  op.variables.forEach((v, i) => (named[`w${String(i).padStart(3, '0')}`] = v));
  const { data, specs } = await tf.io.encodeWeights(named);
  return {
    modelTopology: {
      format: FORMAT,
      version: 1,
      config: op.config,
    } as unknown as tf.io.ModelJSON['modelTopology'],
    format: FORMAT,
    generatedBy: '@noether/operators',
    weightSpecs: specs,
    weightData: data,
  };
}

/**
 * Saves an operator through a tfjs `IOHandler` (`tf.io.withSaveHandler`, `'indexeddb://...'`,
 * `'downloads://...'`, or {@link operatorFiles} for a directory in Node.js).
 *
 * @throws {OperatorsError} `INVALID_ARGUMENT` for a handler without `save`.
 * @example
 * await saveOperator(fno, operatorFiles('out/fno'));
 */
export async function saveOperator(
  op: NeuralOperator,
  handler: tf.io.IOHandler | string,
): Promise<tf.io.SaveResult> {
  const h = typeof handler === 'string' ? tf.io.getSaveHandlers(handler)[0] : handler;
  if (!h || typeof h.save !== 'function')
    invalid(['saveOperator', 'handler'], 'a tfjs IOHandler with save() or a URL tfjs can save to', handler);
  return h.save(await operatorArtifacts(op));
}

/**
 * Rebuilds an operator saved by {@link saveOperator}: the config from `modelTopology`, the weights checked
 * by count and shape.
 *
 * @throws {OperatorsError} `FORMAT` when the artifacts are not a saved operator or the weights do not match.
 * @example
 * const fno = await loadOperator(operatorFiles('out/fno'));
 */
export async function loadOperator(handler: tf.io.IOHandler | string): Promise<NeuralOperator> {
  const fn = 'loadOperator';
  const h = typeof handler === 'string' ? tf.io.getLoadHandlers(handler)[0] : handler;
  if (!h || typeof h.load !== 'function')
    invalid([fn, 'handler'], 'a tfjs IOHandler with load() or a URL tfjs can load from', handler);
  const a = await h.load();
  const topo = a.modelTopology as { format?: string; config?: OperatorConfig } | undefined;
  if (!topo || topo.format !== FORMAT || !topo.config)
    throw new OperatorsError('FORMAT', `${fn}(): the artifacts are not a saved noether operator`, { fn });
  if (!a.weightSpecs || !a.weightData)
    throw new OperatorsError('FORMAT', `${fn}(): the artifacts carry no weights`, { fn });
  const c = topo.config;
  const op =
    c.kind === 'fno1d'
      ? fnoFromConfig(c, 1)
      : c.kind === 'fno2d'
        ? fnoFromConfig(c, 2)
        : c.kind === 'unet1d'
          ? unetFromConfig(c)
          : null;
  if (!op)
    throw new OperatorsError(
      'FORMAT',
      `${fn}(): unknown operator kind '${String((c as { kind?: unknown }).kind)}'`,
      { fn },
    );
  const tensors = tf.io.decodeWeights(a.weightData, a.weightSpecs);
  const names = Object.keys(tensors).sort();
  try {
    if (names.length !== op.variables.length)
      throw new OperatorsError(
        'FORMAT',
        `${fn}(): ${names.length} weights for ${op.variables.length} variables`,
        { fn },
      );
    op.variables.forEach((v, i) => {
      const t = tensors[names[i]];
      if (t.shape.join() !== v.shape.join())
        throw new OperatorsError(
          'FORMAT',
          `${fn}(): weight ${i} has shape [${t.shape.join(', ')}], expected [${v.shape.join(', ')}]`,
          { fn },
        );
      v.assign(t);
    });
  } catch (e) {
    op.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return op;
}

function concatBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out;
}

/**
 * A Node.js `IOHandler` for a directory in tfjs's file layout: `model.json` (topology and weights manifest)
 * and `weights.bin`. Writes are atomic (temporary file, then rename); `node:fs` is imported lazily.
 *
 * @throws {OperatorsError} `IO` when reading or writing fails.
 * @example
 * await saveOperator(fno, operatorFiles('out/burgers-fno'));
 */
export function operatorFiles(dir: string): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir === '')
    invalid(['operatorFiles', 'dir'], 'a non-empty directory path', dir);
  const io = async () => {
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    return { fs, path };
  };
  const writeAtomic = async (file: string, data: string | Uint8Array) => {
    const { fs } = await io();
    const tmp = `${file}.tmp-${process.pid}`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  };
  return {
    async save(a) {
      try {
        const { fs, path } = await io();
        await fs.mkdir(dir, { recursive: true });
        await writeAtomic(
          path.join(dir, 'weights.bin'),
          concatBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]),
        );
        const json = {
          modelTopology: a.modelTopology,
          format: a.format,
          generatedBy: a.generatedBy,
          weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
        };
        await writeAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      } catch (e) {
        throw new OperatorsError('IO', `operatorFiles(): could not write ${dir}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    },
    async load() {
      let json: {
        modelTopology: unknown;
        format?: string;
        weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
      };
      let bin: Uint8Array[];
      try {
        const { fs, path } = await io();
        json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
        bin = await Promise.all(
          json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFile(path.join(dir, p)))),
        );
      } catch (e) {
        throw new OperatorsError('IO', `operatorFiles(): could not read ${dir}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      const data = concatBuffers(
        bin.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
      );
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        format: json.format,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: data.buffer as ArrayBuffer,
      };
    },
  };
}
