import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// `pnpm test:tensorflow`: the backend-dependent tests (op table, transforms, Taylor mode, integrator tensor
// path, projection, one PINN-Proj run) on @tensorflow/tfjs-node. Needs `pnpm setup:tfjs-node` first.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'packages/autodiff/src/init-backend-threads.test.ts',
      'packages/autodiff/src/order-safety.test.ts',
      'packages/autodiff/src/transforms.test.ts',
      'packages/autodiff/src/hnn-weight-gradient.test.ts',
      'packages/autodiff/src/taylor/taylor.test.ts',
      'packages/autodiff/src/taylor/partials.test.ts',
      'packages/autodiff/src/taylor/row-jet.test.ts',
      'packages/integrators/src/tensor.test.ts',
      'packages/pinn-proj/src/project.test.ts',
      'packages/pinn-proj/src/projection-layer.test.ts',
      'packages/pinn-proj/src/pinn-e2e.test.ts',
      'packages/pinn-proj/src/pinn-helpers.test.ts',
      'apps/demo/src/pinn/backend-agreement.test.ts',
    ],
    setupFiles: ['./config/tensorflow-backend-setup.ts'],
  },
});
