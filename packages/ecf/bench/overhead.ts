// ECF's overhead as a fraction of the operator's forward time (FNO, batch 20, linear and joint invariants),
// interleaved rounds, medians, in one process. Usage: tsx --conditions=@noether/source bench/overhead.ts [out.json]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createFno1d } from '@noether/operators';
import { withConservation } from '../src/index';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function time(f: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

async function main() {
  const out: Record<string, unknown> = {
    note: 'medians of interleaved rounds (7 on wasm, 3 on cpu) on a shared, loaded machine',
  };
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    // the pure-JS cpu backend is ~25x slower: one size there
    for (const n of backend === 'cpu' ? [256] : [256, 1024]) {
      const fno = createFno1d({ inChannels: 1, modes: 16, width: 64, layers: 4, seed: 0 });
      const x = tf.randomNormal([20, n, 1], 0, 1, 'float32', 6);
      const weights = new Float64Array(n).fill(1 / n);
      const lin = withConservation(fno, { weights, invariants: ['linear'] });
      const joint = withConservation(fno, { weights, invariants: ['linear', 'quadratic'] });
      const rounds = { plain: [] as number[], linear: [] as number[], joint: [] as number[] };
      const reps = backend === 'cpu' ? 1 : 3;
      tf.tidy(() => [fno.apply(x), lin(x), joint(x)].forEach((t) => t.dataSync()));
      for (let r = 0; r < (backend === 'cpu' ? 3 : 7); r++) {
        rounds.plain.push(time(() => tf.tidy(() => fno.apply(x).dataSync()), reps));
        rounds.linear.push(time(() => tf.tidy(() => lin(x).dataSync()), reps));
        rounds.joint.push(time(() => tf.tidy(() => joint(x).dataSync()), reps));
      }
      const p = median(rounds.plain);
      out[`${backend}-n${n}`] = {
        forwardMsBatch20: { plain: p, ecfLinear: median(rounds.linear), ecfJoint: median(rounds.joint) },
        overheadLinear: median(rounds.linear) / p - 1,
        overheadJoint: median(rounds.joint) / p - 1,
      };
      console.log(`${backend} n=${n}`, JSON.stringify(out[`${backend}-n${n}`]));
      x.dispose();
      fno.dispose();
    }
  }
  const file = process.argv[2] ?? '../../out/bench/ecf.json';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2));
  console.log(`wrote ${file}`);
}

void main();
