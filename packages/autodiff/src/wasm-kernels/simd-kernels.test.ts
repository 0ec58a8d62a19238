import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index';
import { useFastWasmKernels } from './install-wasm-kernels';
import { prepareSimdKernels, simdKernels } from './simd-kernels';
import { SIMD_SOURCE_SHA256 } from './simd-module.generated';

describe('the SIMD module (wasm/kernels.c)', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    useFastWasmKernels();
  });
  afterAll(() => useFastWasmKernels());

  it('was regenerated from the current C source (pnpm --filter @noether/autodiff build:simd)', () => {
    const source = readFileSync(new URL('../../wasm/kernels.c', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex')).toBe(SIMD_SOURCE_SHA256);
  });

  it('is not used without a non-shared wasm heap to import (the kernels fall back)', async () => {
    expect(simdKernels({})).toBeUndefined();
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    expect(simdKernels({ wasm: { asm: { memory: shared } } })).toBeUndefined();
    await prepareSimdKernels({ wasm: null });
  });

  it('is compiled asynchronously on request (the browser path) and then used', async () => {
    const heap = { wasm: { asm: { memory: new WebAssembly.Memory({ initial: 2 }) } } };
    await prepareSimdKernels(heap);
    const kernels = simdKernels(heap);
    expect(kernels).toBeDefined();
    // 6 floats at byte 64 summed in 2 rows of 3 into byte 256.
    const view = new Float32Array(heap.wasm.asm.memory.buffer);
    view.set([1, 2, 3, 10, 20, 30], 16);
    kernels?.sum_rows_f32(64, 256, 2, 3);
    expect(Array.from(view.subarray(64, 67))).toEqual([11, 22, 33]);
  });

  it('keeps working on tensors allocated after the wasm heap grew', () => {
    const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm
      .memory;
    const bytes = memory.buffer.byteLength;
    const big = tf.zeros([bytes / 4 + (1 << 20)]);
    expect(memory.buffer.byteLength).toBeGreaterThan(bytes);
    const x = tf.tensor2d([0.5, -2, 3, -0.25, 1, 7], [2, 3]);
    const [t, s, y] = [tf.transpose(x), tf.sum(x, 0), tf.tanh(x)];
    expect(Array.from(t.dataSync())).toEqual([0.5, -0.25, -2, 1, 3, 7]);
    expect(Array.from(s.dataSync())).toEqual([0.25, -1, 10]);
    Array.from(y.dataSync()).forEach((v, i) =>
      expect(v).toBeCloseTo(Math.tanh([0.5, -2, 3, -0.25, 1, 7][i]), 7),
    );
    tf.dispose([big, x, t, s, y]);
  });
});
