import { initBackend } from '@noether/autodiff';
import type { Command } from '../command';

export const backendCommand: Command = {
  name: 'backend',
  summary: 'Detect and print the TensorFlow.js backend Noether will use (NOETHER_BACKEND overrides).',
  usage: 'noether backend\n\nPrints the chosen backend (tensorflow > wasm > cpu) and why.',
  async run() {
    const choice = await initBackend({ log: () => {} });
    console.log(`backend: ${choice.name}\nreason:  ${choice.reason}`);
    return 0;
  },
};
