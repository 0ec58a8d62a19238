/**
 * Switches for this package's speed-ups inside the gradient registry, all on. Internal: the benchmarks turn one
 * off at a time to measure, in the same process, what it buys (values never depend on them beyond float32
 * rounding order). The forward-kernel replacements are switched by `useFastWasmKernels` / `useTfjsWasmKernels`
 * instead.
 */
export const fastPaths = {
  /** Tanh and Sigmoid gradients on wasm: one Sigmoid of -|x| instead of two (sigma(x) sigma(-x) = u (1 - u)). */
  oneSigmoid: true,
  /**
   * Tanh and Sigmoid gradients as one custom-gradient node `dy * f'(x)` with a closed-form second derivative:
   * the node saves 2 tensors instead of ~12 and its own gradient takes ~8 kernels instead of ~25.
   */
  fusedActivationGrads: true,
  /**
   * The fused Tanh node, when recorded, also saves sech^2 x and -2 tanh x, which its gradient reuses when it
   * is not itself recorded (recomputed from x when it is, so higher orders stay exact).
   */
  reuseSlopes: true,
  /** matMul gradients in the cheapest exact form per call (`MAT_MUL_FORMS` in batch-mat-mul-grad.ts). */
  matMulForms: true,
  /** wasm: sums over leading axes in gradients (bias gradients) as a ones-matMul with the transposeA flag. */
  reductionsAsMatMul: true,
  /**
   * Lean gradients for Add, Sub, Multiply, RealDiv, Square, Abs, Sum, Reshape, Concat, Identity: no
   * float32-to-float32 casts, no same-shape reshapes, no tensors saved for shapes. Takes effect at
   * `useOrderSafeGradients()` (they are registry entries).
   */
  leanGradients: true,
  /**
   * wasm: the row-layout Taylor nodes (row-unary.ts) form each output row and, when not recorded, each gradient
   * as one sum-of-products pass of the SIMD module instead of a chain of Multiply, scaling and Add kernels.
   */
  fusedRowSums: true,
};
