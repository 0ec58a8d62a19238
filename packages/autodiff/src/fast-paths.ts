/**
 * Switches for this package's wasm speed-ups inside the gradient registry, all on. Internal: the benchmarks
 * turn one off at a time to measure, in the same process, what it buys (values never depend on them beyond
 * float32 rounding order). The forward-kernel replacements are switched by `useFastWasmKernels` /
 * `useTfjsWasmKernels` instead.
 */
export const fastPaths = {
  /** BatchMatMul gradient: compute `(op(b)^T op(a)^T)^T` when that copies fewer elements on wasm. */
  flipProducts: true,
};
