export { expectNoLeak, expectNoLeakAsync } from './expect-no-leak';
export { seededMlp, type SeededMlp, type SeededMlpOptions } from './seeded-mlp';
