/**
 * Runs every @noether/autodiff benchmark on wasm and cpu and prints the tables (the package `bench` script).
 *
 *   pnpm tsx packages/autodiff/bench/run-all.ts      (or: pnpm --filter @noether/autodiff bench)
 */
import { benchBatchedHessian, formatBatchedHessian, type BatchedHessianResult } from './batched-hessian';
import { useBackend } from './bench-util';
import { benchHnnStep, formatHnnStep, MINIMAL_EXACT_NOTE, type HnnStepResult } from './hnn-training-step';
import { benchWasmSpeedups, formatWasmSpeedups, type SpeedupRow } from './wasm-speedups';

const hnn: HnnStepResult[] = [];
const hessians: BatchedHessianResult[] = [];
const speedups: SpeedupRow[] = [];
for (const backend of ['wasm', 'cpu']) {
  await useBackend(backend);
  hnn.push(benchHnnStep(backend === 'cpu' ? 8 : 20));
  if (backend === 'wasm') hnn.push(benchHnnStep(20, { tfjsMatMulGradient: true }));
  hessians.push(benchBatchedHessian(1024));
  speedups.push(...benchWasmSpeedups(backend === 'cpu' ? 1 : 6, backend === 'cpu' ? 1 : 5));
}
console.log(
  'HNN training step (batch 512, MLP 4-200-200-1 tanh, loss on J grad_x H, Adam), median per step:\n',
);
console.log(formatHnnStep(hnn));
console.log(MINIMAL_EXACT_NOTE);
console.log('\nPer-row Hessian of a 3-64-64-1 tanh MLP at 1024 points:\n');
console.log(formatBatchedHessian(hessians));
console.log(
  "\nThis package's wasm speed-ups, before/after in one process (interleaved rounds; on cpu a control: same code):\n",
);
console.log(formatWasmSpeedups(speedups));
