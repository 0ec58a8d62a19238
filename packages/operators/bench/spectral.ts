// FNO forward + backward per sample and the DFT-as-matMul spectral layer vs tf.spectral's FFT (cpu backend). Interleaved rounds, medians, ratios measured in
// the same process. Usage: tsx --conditions=@noether/source bench/spectral.ts [out.json]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createFno1d, relativeL2, spectralConv1d, spectralTables1d } from '../src/index';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function time(f: () => void, reps: number): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

/** The same spectral convolution through tf.spectral.rfft / irfft (cpu only; no gradients in tfjs). */
function spectralConvFft(x: tf.Tensor3D, w: { wr: tf.Tensor; wi: tf.Tensor }, modes: number): tf.Tensor {
  return tf.tidy(() => {
    const [b, n, c] = x.shape;
    const cout = w.wr.shape[2] as number;
    const X = tf.spectral.rfft(tf.reshape(tf.transpose(x, [0, 2, 1]), [b * c, n]));
    const Xr = tf.reshape(tf.slice(tf.real(X), [0, 0], [-1, modes]), [b, c, modes]);
    const Xi = tf.reshape(tf.slice(tf.imag(X), [0, 0], [-1, modes]), [b, c, modes]);
    const mix = (a: tf.Tensor, m: tf.Tensor) => tf.einsum('bik,kio->bok', a, m);
    const Yr = tf.sub(mix(Xr, w.wr), mix(Xi, w.wi));
    const Yi = tf.add(mix(Xr, w.wi), mix(Xi, w.wr));
    const pad = (t: tf.Tensor) =>
      tf.pad(tf.reshape(t, [b * cout, modes]), [
        [0, 0],
        [0, n / 2 + 1 - modes],
      ]);
    const y = tf.spectral.irfft(tf.complex(pad(Yr), pad(Yi)));
    return tf.transpose(tf.reshape(y, [b, cout, n]), [0, 2, 1]);
  });
}

async function main() {
  const out: Record<string, unknown> = {
    note: 'medians of 3 interleaved rounds on a shared, loaded machine; compare ratios',
  };
  await tf.setBackend('cpu');
  const layer: Record<string, unknown> = {};
  for (const n of [256, 1024]) {
    const b = 4;
    const c = 32;
    const modes = 16;
    const x = tf.randomNormal([b, n, c], 0, 1, 'float32', 1) as tf.Tensor3D;
    const w = {
      wr: tf.randomNormal([modes, c, c], 0, 0.05, 'float32', 2),
      wi: tf.randomNormal([modes, c, c], 0, 0.05, 'float32', 3),
    };
    const tables = spectralTables1d(n, modes);
    const diff = tf.tidy(
      () => tf.max(tf.abs(tf.sub(spectralConv1d(x, w, tables), spectralConvFft(x, w, modes)))).dataSync()[0],
    );
    let fftGrad = 'ok';
    try {
      tf.tidy(() =>
        tf
          .grad((v: tf.Tensor) => tf.sum(spectralConvFft(v as tf.Tensor3D, w, modes)))(x)
          .dataSync(),
      );
    } catch (e) {
      fftGrad = `unavailable: ${(e as Error).message.split('\n')[0]}`;
    }
    const rounds = { matmulFwd: [] as number[], fftFwd: [] as number[], matmulFwdBwd: [] as number[] };
    for (let r = 0; r < 3; r++) {
      rounds.matmulFwd.push(time(() => tf.tidy(() => spectralConv1d(x, w, tables).dataSync()), 3) / b);
      rounds.fftFwd.push(time(() => tf.tidy(() => spectralConvFft(x, w, modes).dataSync()), 3) / b);
      rounds.matmulFwdBwd.push(
        time(
          () =>
            tf.tidy(() =>
              tf
                .grad((v: tf.Tensor) => tf.sum(spectralConv1d(v, w, tables)))(x)
                .dataSync(),
            ),
          3,
        ) / b,
      );
    }
    layer[`n${n}`] = {
      batch: b,
      channels: c,
      modes,
      maxAbsDifference: diff,
      msPerSample: {
        matmulForward: median(rounds.matmulFwd),
        fftForward: median(rounds.fftFwd),
        matmulForwardBackward: median(rounds.matmulFwdBwd),
      },
      fftOverMatmulForward: median(rounds.fftFwd) / median(rounds.matmulFwd),
      fftGradient: fftGrad,
    };
    tf.dispose([x, w.wr, w.wi, tables.forward, tables.inverse]);
    console.log(`spectral layer n=${n}`, JSON.stringify(layer[`n${n}`]));
  }
  out.spectralLayerCpu = layer;
  // full FNO forward+backward per sample (matMul route; the FFT route has no gradient in tfjs)
  const fnoTimes: Record<string, unknown> = {};
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    for (const n of [256, 1024]) {
      const fno = createFno1d({ inChannels: 1, modes: 16, width: 64, layers: 4, seed: 0 });
      const b = 4;
      const x = tf.randomNormal([b, n, 1], 0, 1, 'float32', 4);
      const y = tf.randomNormal([b, n, 1], 0, 1, 'float32', 5);
      const fb =
        time(
          () => {
            const { value, grads } = tf.variableGrads(
              () => relativeL2(fno.apply(x), y),
              fno.variables as tf.Variable[],
            );
            value.dataSync();
            tf.dispose([value, ...Object.values(grads)]);
          },
          backend === 'cpu' ? 1 : 2,
        ) / b;
      fnoTimes[`${backend}-n${n}`] = { fnoForwardBackwardMsPerSample: fb };
      console.log(`FNO ${backend} n=${n}`, JSON.stringify(fnoTimes[`${backend}-n${n}`]));
      tf.dispose([x, y]);
      fno.dispose();
    }
  }
  out.fno = fnoTimes;
  const file = process.argv[2] ?? '../../out/bench/operators.json';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2));
  console.log(`wrote ${file}`);
}

void main();
