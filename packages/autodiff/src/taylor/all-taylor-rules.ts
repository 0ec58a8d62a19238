import { addNTaylor } from './rules/add-n-taylor';
import { addTaylor } from './rules/add-taylor';
import { batchMatMulTaylor } from './rules/batch-mat-mul-taylor';
import { castTaylor } from './rules/cast-taylor';
import { concatTaylor } from './rules/concat-taylor';
import { cosTaylor } from './rules/cos-taylor';
import { eluTaylor } from './rules/elu-taylor';
import { expTaylor } from './rules/exp-taylor';
import { fusedMatMulTaylor } from './rules/fused-mat-mul-taylor';
import { gatherV2Taylor } from './rules/gather-v2-taylor';
import { identityTaylor } from './rules/identity-taylor';
import { logTaylor } from './rules/log-taylor';
import { meanTaylor } from './rules/mean-taylor';
import { mulTaylor } from './rules/mul-taylor';
import { negTaylor } from './rules/neg-taylor';
import { packTaylor } from './rules/pack-taylor';
import { powTaylor } from './rules/pow-taylor';
import { realDivTaylor } from './rules/real-div-taylor';
import { reciprocalTaylor } from './rules/reciprocal-taylor';
import { reluTaylor } from './rules/relu-taylor';
import { reshapeTaylor } from './rules/reshape-taylor';
import { rsqrtTaylor } from './rules/rsqrt-taylor';
import { sigmoidTaylor } from './rules/sigmoid-taylor';
import { sinTaylor } from './rules/sin-taylor';
import { sliceTaylor } from './rules/slice-taylor';
import { softplusTaylor } from './rules/softplus-taylor';
import { splitVTaylor } from './rules/split-v-taylor';
import { sqrtTaylor } from './rules/sqrt-taylor';
import { squareTaylor } from './rules/square-taylor';
import { subTaylor } from './rules/sub-taylor';
import { sumTaylor } from './rules/sum-taylor';
import { tanhTaylor } from './rules/tanh-taylor';
import { tileTaylor } from './rules/tile-taylor';
import { transposeTaylor } from './rules/transpose-taylor';
import { unpackTaylor } from './rules/unpack-taylor';
import type { TaylorRule } from './taylor-rule';

/** Every Taylor-mode rule, one per tfjs kernel (one file each under `rules/`). */
export const TAYLOR_RULES: readonly Readonly<TaylorRule>[] = Object.freeze([
  addNTaylor,
  addTaylor,
  batchMatMulTaylor,
  castTaylor,
  concatTaylor,
  cosTaylor,
  eluTaylor,
  expTaylor,
  fusedMatMulTaylor,
  gatherV2Taylor,
  identityTaylor,
  logTaylor,
  meanTaylor,
  mulTaylor,
  negTaylor,
  packTaylor,
  powTaylor,
  realDivTaylor,
  reciprocalTaylor,
  reluTaylor,
  reshapeTaylor,
  rsqrtTaylor,
  sigmoidTaylor,
  sinTaylor,
  sliceTaylor,
  softplusTaylor,
  splitVTaylor,
  sqrtTaylor,
  squareTaylor,
  subTaylor,
  sumTaylor,
  tanhTaylor,
  tileTaylor,
  transposeTaylor,
  unpackTaylor,
]);

/** The rules by kernel name. */
export const TAYLOR_RULE_BY_KERNEL: ReadonlyMap<string, Readonly<TaylorRule>> = new Map(
  TAYLOR_RULES.map((rule) => [rule.kernelName, rule]),
);
