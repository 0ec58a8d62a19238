// Setup file of vitest.tensorflow.config.ts: runs the backend-dependent test files on the `tensorflow`
// backend (@tensorflow/tfjs-node, installed by `pnpm setup:tfjs-node`). Those files pick 'cpu' or 'wasm' in
// their beforeAll; here every such request is routed to 'tensorflow', and the route is checked.
import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';

const moduleName = '@tensorflow/tfjs-node';
await import(/* @vite-ignore */ moduleName);
// tf.setBackend(name) is ENGINE.setBackend(name); the module namespace is frozen, the engine is not.
const engine = tf.engine() as unknown as { setBackend: (name: string) => Promise<boolean> };
const setBackend = engine.setBackend.bind(engine);
engine.setBackend = async () => setBackend('tensorflow');

beforeAll(async () => {
  await setBackend('tensorflow');
  await tf.ready();
  if (tf.getBackend() !== 'tensorflow')
    throw new Error(`expected the tensorflow backend, got ${tf.getBackend()}`);
});
