import {
  formatOrderSafetyTable,
  initBackend,
  replacedGradients,
  verifyOrderSafety,
  type BackendName,
} from '@noether/autodiff';
import { parseArgs } from '../args';
import type { Command } from '../command';
import { UsageError } from '../usage-error';

const USAGE = `noether autodiff-check [--backend cpu|wasm|tensorflow] [--orders 1,2,3] [--ops tanh,elu,...] [--tol 1e-4]

Checks, on the active tfjs backend, that nested differentiation is exact for every op in the
@noether/autodiff catalogue (tanh, sigmoid, exp, elu, selu, softplus, softmax, logSoftmax, logSumExp,
max/min, maximum/minimum, leakyRelu, prelu, relu6, clipByValue, where, sqrt, rsqrt, pow, erf, atan2,
silu, gelu, logSigmoid, tanh(x^2 sin x)): derivatives of orders 1..3 against analytic values or float64
Richardson-extrapolated central differences. Prints op, order, max error, tolerance, pass/FAIL and exits
with status 1 on any failure. --backend overrides NOETHER_BACKEND; --list-replaced prints the replaced
tfjs gradients and why.`;

function parseOrders(value: string | undefined): number[] {
  if (value === undefined) return [1, 2, 3];
  const orders = value.split(',').map((s) => Number(s.trim()));
  if (orders.length === 0 || orders.some((o) => !Number.isInteger(o) || o < 1 || o > 3)) {
    throw new UsageError(
      `noether autodiff-check: option '--orders' must be a comma list of 1, 2, 3, got ${JSON.stringify(value)}`,
    );
  }
  return orders;
}

export const autodiffCheckCommand: Command = {
  name: 'autodiff-check',
  summary: 'Check that nested gradients are exact to order 3 for every catalogued op (prints the op table).',
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs('autodiff-check', args, {
      backend: { type: 'string' },
      orders: { type: 'string' },
      ops: { type: 'string' },
      tol: { type: 'string' },
      'list-replaced': { type: 'boolean' },
    });
    const orders = parseOrders(values.orders);
    const tol = values.tol === undefined ? undefined : Number(values.tol);
    if (tol !== undefined && !(Number.isFinite(tol) && tol > 0)) {
      throw new UsageError(
        `noether autodiff-check: option '--tol' must be a positive number, got ${JSON.stringify(values.tol)}`,
      );
    }
    const choice = await initBackend({ backend: values.backend as BackendName | undefined, log: () => {} });
    console.log(`backend: ${choice.name} (${choice.reason})`);
    if (values['list-replaced']) {
      for (const r of replacedGradients()) {
        console.log(`  ${r.kernelName.padEnd(12)} ${r.tfjsHadOne ? 'replaced' : 'added   '}  ${r.why}`);
      }
    }
    const started = performance.now();
    const rows = verifyOrderSafety({ orders, ops: values.ops?.split(',').map((s) => s.trim()), tol });
    console.log(formatOrderSafetyTable(rows));
    const failed = rows.filter((r) => r.status === 'fail');
    const ops = new Set(rows.map((r) => r.op)).size;
    console.log(
      `\n${rows.length - failed.length}/${rows.length} checks passed (${ops} ops, orders ${orders.join(',')}) on '${choice.name}' in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return failed.length === 0 ? 0 : 1;
  },
};
