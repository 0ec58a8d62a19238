import { arithmeticGrads } from './arithmetic-grads';
import { atan2Grad } from './atan2-grad';
import { batchMatMulGrad } from './batch-mat-mul-grad';
import { clipByValueGrad } from './clip-by-value-grad';
import { comparisonGrads } from './comparison-grads';
import { eluGrad } from './elu-grad';
import { erfGrad } from './erf-grad';
import { expGrad } from './exp-grad';
import type { GradientSpec } from './gradient-spec';
import { leakyReluGrad } from './leaky-relu-grad';
import { logSoftmaxGrad } from './log-softmax-grad';
import { maxGrad } from './max-grad';
import { maximumGrad } from './maximum-grad';
import { minGrad } from './min-grad';
import { minimumGrad } from './minimum-grad';
import { powGrad } from './pow-grad';
import { preluGrad } from './prelu-grad';
import { relu6Grad } from './relu6-grad';
import { rsqrtGrad } from './rsqrt-grad';
import { selectGrad } from './select-grad';
import { seluGrad } from './selu-grad';
import { shapeGrads } from './shape-grads';
import { sigmoidGrad } from './sigmoid-grad';
import { softmaxGrad } from './softmax-grad';
import { softplusGrad } from './softplus-grad';
import { sqrtGrad } from './sqrt-grad';
import { tanhGrad } from './tanh-grad';

/** Every gradient `@noether/autodiff` registers, in registration order. */
export const ORDER_SAFE_GRADIENTS: readonly Readonly<GradientSpec>[] = Object.freeze([
  tanhGrad,
  sigmoidGrad,
  expGrad,
  eluGrad,
  seluGrad,
  softplusGrad,
  softmaxGrad,
  logSoftmaxGrad,
  maxGrad,
  minGrad,
  maximumGrad,
  minimumGrad,
  leakyReluGrad,
  preluGrad,
  relu6Grad,
  clipByValueGrad,
  sqrtGrad,
  rsqrtGrad,
  powGrad,
  erfGrad,
  atan2Grad,
  selectGrad,
  batchMatMulGrad,
  ...comparisonGrads,
  ...arithmeticGrads,
  ...shapeGrads,
]);
