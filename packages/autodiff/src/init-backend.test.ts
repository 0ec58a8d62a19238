import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { AutodiffError, initBackend } from './index';

describe('initBackend', () => {
  const original = process.env.NOETHER_BACKEND;
  afterAll(() => {
    if (original === undefined) delete process.env.NOETHER_BACKEND;
    else process.env.NOETHER_BACKEND = original;
  });

  it('picks the fastest available backend when nothing is forced, and says why', async () => {
    delete process.env.NOETHER_BACKEND;
    const messages: string[] = [];
    const choice = await initBackend({ log: (m) => messages.push(m) });
    expect(['tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    expect(messages.join('\n')).toContain(`'${choice.name}'`);
  });

  it('honours NOETHER_BACKEND', async () => {
    process.env.NOETHER_BACKEND = 'cpu';
    const choice = await initBackend({ log: () => {} });
    expect(choice).toEqual({ name: 'cpu', reason: 'forced by NOETHER_BACKEND' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name, naming the function and the argument', async () => {
    await expect(initBackend({ backend: 'gpu' as never, log: () => {} })).rejects.toThrow(
      /initBackend\(\): argument 'options.backend' must be one of tensorflow, wasm, cpu, got "gpu"/,
    );
    await expect(initBackend({ backend: 'gpu' as never, log: () => {} })).rejects.toBeInstanceOf(
      AutodiffError,
    );
  });

  it('reports a forced backend that cannot load instead of falling back (or loads it when installed)', async () => {
    // tfjs-node is optional: present after `pnpm setup:tfjs-node`, absent on a fresh install.
    const moduleName = '@tensorflow/tfjs-node';
    const installed = await import(/* @vite-ignore */ moduleName).then(
      () => true,
      () => false,
    );
    if (installed) {
      const choice = await initBackend({ backend: 'tensorflow', log: () => {} });
      expect(choice.name).toBe('tensorflow');
      expect(tf.getBackend()).toBe('tensorflow');
    } else {
      await expect(initBackend({ backend: 'tensorflow', log: () => {} })).rejects.toThrow(/cannot be loaded/);
    }
  });

  it('rejects a thread count that is not a positive integer, naming the argument', async () => {
    for (const threads of [0, 1.5, -2, Number.NaN]) {
      await expect(initBackend({ backend: 'cpu', threads, log: () => {} })).rejects.toThrow(
        /initBackend\(\): argument 'options.threads' must be a positive integer, got/,
      );
    }
    process.env.NOETHER_THREADS = 'two';
    try {
      await expect(initBackend({ backend: 'cpu', log: () => {} })).rejects.toThrow(
        /argument 'NOETHER_THREADS' must be a positive integer, got "two"/,
      );
    } finally {
      delete process.env.NOETHER_THREADS;
    }
  });
});
