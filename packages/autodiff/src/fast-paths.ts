/**
 * Switches for this package's wasm speed-ups inside the gradient registry, all on. Internal: the benchmarks
 * turn one off at a time to measure, in the same process, what it buys (values never depend on them beyond
 * float32 rounding order). The forward-kernel replacements are switched by `useFastWasmKernels` /
 * `useTfjsWasmKernels` instead.
 */
export const fastPaths = {
  /** Tanh and Sigmoid gradients: one Sigmoid of -|x| instead of two (sigma(x) sigma(-x) = u (1 - u)). */
  oneSigmoid: true,
};
