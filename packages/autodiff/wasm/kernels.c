/*
 * SIMD kernels of @noether/autodiff for tfjs-backend-wasm (see README "wasm SIMD kernels").
 *
 * The module imports tfjs-backend-wasm's own WebAssembly.Memory and works on tensors in place: every pointer
 * is a byte offset into that memory. It must never use linear memory of its own (no static data, no stack:
 * wasm-ld would place them at addresses emscripten's heap already owns); scripts/build-simd.mjs checks that
 * the compiled module has no data segment and never touches the stack pointer.
 *
 * Regenerate src/wasm-kernels/simd-module.generated.ts after editing: pnpm --filter @noether/autodiff build:simd
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* ---------------------------------------------------------------------------------------------------- tanh */

/*
 * tanh x = sign(x) T(a), a = |x| (the sign bit of x is copied, so tanh(-0) = -0):
 * - a <= 1: T(a) = a + (a s) q(s), s = a^2, q the float32 polynomial TANH_POLYNOMIAL of tanh-kernel.ts
 *   (Horner, separate multiply and add: wasm has no fused multiply-add), the same operations as the
 *   composite kernel; a subnormal a gives a.
 * - a > 1: T(a) = 1 - 2 sigma, sigma = e / (1 + e), e = exp(-2 min(a, 10)) (tanh rounds to 1 in float32
 *   from a = 9.1 on). sigma < 1/8, so 2 sigma is exact and an error of k ulp in sigma is at most
 *   k/4 + 1/2 ulp of T. exp by Cody-Waite reduction w = n ln2 + r, |r| <= ln2/2, and Cephes' expf
 *   polynomial (~1 ulp), scaled by 2^n with n in [-29, -3] (no subnormal).
 * NaN takes the first branch and stays NaN; +-Inf take the second and give +-1.
 */
static inline v128_t tanh4(v128_t x) {
  const v128_t sign_mask = wasm_i32x4_splat((int32_t)0x80000000);
  const v128_t a = wasm_v128_andnot(x, sign_mask);

  const v128_t s = wasm_f32x4_mul(a, a);
  v128_t q = wasm_f32x4_splat(-0.000420781638f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(0.0025107197f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(-0.00821921695f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(0.0216602702f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(-0.0539348274f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(0.133331284f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, s), wasm_f32x4_splat(-0.333333313f));
  const v128_t small = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_mul(a, s), q));

  const v128_t w = wasm_f32x4_mul(wasm_f32x4_pmin(a, wasm_f32x4_splat(10.0f)), wasm_f32x4_splat(-2.0f));
  const v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(w, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(w, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, wasm_f32x4_mul(r, r)), r), wasm_f32x4_splat(1.0f));
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  const v128_t e = wasm_f32x4_mul(p, scale);
  const v128_t sigma = wasm_f32x4_div(e, wasm_f32x4_add(e, wasm_f32x4_splat(1.0f)));
  const v128_t large = wasm_f32x4_add(wasm_f32x4_mul(sigma, wasm_f32x4_splat(-2.0f)), wasm_f32x4_splat(1.0f));

  const v128_t t = wasm_v128_bitselect(large, small, wasm_f32x4_gt(a, wasm_f32x4_splat(1.0f)));
  return wasm_v128_or(t, wasm_v128_and(x, sign_mask));
}

/** y[i] = tanh(x[i]), i < n (y may be x). */
EXPORT(tanh_f32) void tanh_f32(const float *x, float *y, uint32_t n) {
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, tanh4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(tanh4(wasm_f32x4_splat(x[i])), 0);
}

/* ----------------------------------------------------------------------------------------------- transpose */

/** Edge of the square tiles the matrices are copied in (4 x 4 SIMD blocks inside). */
#define TILE 32

/** Transposes the 4 x 4 block at x (row stride sx elements) into y (row stride sy). */
static inline void block4(const uint32_t *x, uint32_t sx, uint32_t *y, uint32_t sy) {
  const v128_t r0 = wasm_v128_load(x), r1 = wasm_v128_load(x + sx);
  const v128_t r2 = wasm_v128_load(x + 2 * sx), r3 = wasm_v128_load(x + 3 * sx);
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(y, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  wasm_v128_store(y + sy, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  wasm_v128_store(y + 2 * sy, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  wasm_v128_store(y + 3 * sy, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * y[b][j][i] = x[b][i][j] for batch matrices of rows x cols 32-bit elements (float32 or int32; a copy of the
 * bits). y must not overlap x.
 */
EXPORT(transpose_32)
void transpose_32(const uint32_t *x, uint32_t *y, uint32_t batch, uint32_t rows, uint32_t cols) {
  const uint32_t rows4 = rows & ~3u, cols4 = cols & ~3u;
  for (uint32_t b = 0; b < batch; b++, x += rows * cols, y += rows * cols) {
    for (uint32_t i0 = 0; i0 < rows4; i0 += TILE) {
      const uint32_t i1 = i0 + TILE < rows4 ? i0 + TILE : rows4;
      for (uint32_t j0 = 0; j0 < cols4; j0 += TILE) {
        const uint32_t j1 = j0 + TILE < cols4 ? j0 + TILE : cols4;
        for (uint32_t i = i0; i < i1; i += 4)
          for (uint32_t j = j0; j < j1; j += 4) block4(x + i * cols + j, cols, y + j * rows + i, rows);
      }
    }
    /* The last cols % 4 columns, then the last rows % 4 rows. */
    for (uint32_t i = 0; i < rows4; i++)
      for (uint32_t j = cols4; j < cols; j++) y[j * rows + i] = x[i * cols + j];
    for (uint32_t i = rows4; i < rows; i++)
      for (uint32_t j = 0; j < cols; j++) y[j * rows + i] = x[i * cols + j];
  }
}

/* ----------------------------------------------------------------------------------------------------- sum */

/**
 * y[j] = sum over r < outer of x[r inner + j], j < inner, accumulated from +0 in the order of r in float32
 * (the additions of tfjs-backend-wasm's Sum over leading axes, so the same bits). Columns in blocks of 16
 * held in registers.
 */
EXPORT(sum_rows_f32) void sum_rows_f32(const float *x, float *y, uint32_t outer, uint32_t inner) {
  uint32_t j = 0;
  for (; j + 16 <= inner; j += 16) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    const float *row = x + j;
    for (uint32_t r = 0; r < outer; r++, row += inner) {
      a0 = wasm_f32x4_add(a0, wasm_v128_load(row));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(row + 4));
      a2 = wasm_f32x4_add(a2, wasm_v128_load(row + 8));
      a3 = wasm_f32x4_add(a3, wasm_v128_load(row + 12));
    }
    wasm_v128_store(y + j, a0);
    wasm_v128_store(y + j + 4, a1);
    wasm_v128_store(y + j + 8, a2);
    wasm_v128_store(y + j + 12, a3);
  }
  for (; j + 4 <= inner; j += 4) {
    v128_t a0 = wasm_f32x4_splat(0.0f);
    const float *row = x + j;
    for (uint32_t r = 0; r < outer; r++, row += inner) a0 = wasm_f32x4_add(a0, wasm_v128_load(row));
    wasm_v128_store(y + j, a0);
  }
  for (; j < inner; j++) {
    float a = 0.0f;
    for (uint32_t r = 0; r < outer; r++) a += x[r * inner + j];
    y[j] = a;
  }
}

/* ------------------------------------------------------------------------------------------------- matMul */

/**
 * y[m] = sum_k a[m K + k] b[k], m < M: a [M, K] row-major times a vector (a matMul with one output column).
 * Each row's products in 8 lanes (k mod 8), the lanes added pairwise at the end, then the last K % 4 terms.
 */
EXPORT(matvec_f32) void matvec_f32(const float *a, const float *b, float *y, uint32_t M, uint32_t K) {
  for (uint32_t m = 0; m < M; m++, a += K) {
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
    uint32_t k = 0;
    for (; k + 8 <= K; k += 8) {
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + k + 4), wasm_v128_load(b + k + 4)));
    }
    if (k + 4 <= K) {
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
      k += 4;
    }
    const v128_t s = wasm_f32x4_add(s0, s1);
    float r = (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
              (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
    for (; k < K; k++) r += a[k] * b[k];
    y[m] = r;
  }
}

/** Rows of b kept in cache while every row of a passes over them (NV = 5: 512 rows of 20 floats, 40 KiB). */
#define K_BLOCK 512

/**
 * y[M, 4 NV] += a[M, K] b[K, 4 NV] over rows k0 <= k < k1 of b, where b and y have rows ld floats apart (a
 * block of columns of a wider product); NV is a constant after inlining, so the accumulators stay in
 * registers: two rows of y at a time, each b row loaded once per row pair.
 */
static inline __attribute__((always_inline)) void gemm_block(const float *a, const float *b, float *y,
                                                             uint32_t M, uint32_t K, uint32_t k0,
                                                             uint32_t k1, uint32_t ld, const uint32_t NV) {
  uint32_t m = 0;
  for (; m + 2 <= M; m += 2) {
    v128_t c0[8], c1[8];
    for (uint32_t v = 0; v < NV; v++) {
      c0[v] = wasm_v128_load(y + m * ld + 4 * v);
      c1[v] = wasm_v128_load(y + (m + 1) * ld + 4 * v);
    }
    const float *a0 = a + m * K, *a1 = a0 + K;
    for (uint32_t k = k0; k < k1; k++) {
      const v128_t x0 = wasm_f32x4_splat(a0[k]), x1 = wasm_f32x4_splat(a1[k]);
      const float *row = b + k * ld;
      for (uint32_t v = 0; v < NV; v++) {
        const v128_t w = wasm_v128_load(row + 4 * v);
        c0[v] = wasm_f32x4_add(c0[v], wasm_f32x4_mul(x0, w));
        c1[v] = wasm_f32x4_add(c1[v], wasm_f32x4_mul(x1, w));
      }
    }
    for (uint32_t v = 0; v < NV; v++) {
      wasm_v128_store(y + m * ld + 4 * v, c0[v]);
      wasm_v128_store(y + (m + 1) * ld + 4 * v, c1[v]);
    }
  }
  if (m < M) {
    v128_t c0[8];
    for (uint32_t v = 0; v < NV; v++) c0[v] = wasm_v128_load(y + m * ld + 4 * v);
    const float *a0 = a + m * K;
    for (uint32_t k = k0; k < k1; k++) {
      const v128_t x0 = wasm_f32x4_splat(a0[k]);
      for (uint32_t v = 0; v < NV; v++)
        c0[v] = wasm_f32x4_add(c0[v], wasm_f32x4_mul(x0, wasm_v128_load(b + k * ld + 4 * v)));
    }
    for (uint32_t v = 0; v < NV; v++) wasm_v128_store(y + m * ld + 4 * v, c0[v]);
  }
}

/** Columns per block of a product wider than 32 (4 vectors: 8 accumulators for two rows). */
#define WIDE_BLOCK 16

/** gemm_block for a column count known at run time (a multiple of 4, at most 32). */
static void gemm_columns(const float *a, const float *b, float *y, uint32_t M, uint32_t K, uint32_t k0,
                         uint32_t k1, uint32_t ld, uint32_t cols) {
  switch (cols / 4) {
    case 1: gemm_block(a, b, y, M, K, k0, k1, ld, 1); break;
    case 2: gemm_block(a, b, y, M, K, k0, k1, ld, 2); break;
    case 3: gemm_block(a, b, y, M, K, k0, k1, ld, 3); break;
    case 4: gemm_block(a, b, y, M, K, k0, k1, ld, 4); break;
    case 5: gemm_block(a, b, y, M, K, k0, k1, ld, 5); break;
    case 6: gemm_block(a, b, y, M, K, k0, k1, ld, 6); break;
    case 7: gemm_block(a, b, y, M, K, k0, k1, ld, 7); break;
    default: gemm_block(a, b, y, M, K, k0, k1, ld, 8); break;
  }
}

/**
 * y = a[M, K] b[K, N], row-major, N a positive multiple of 4 (other N: returns 0 and writes nothing). Up to 32
 * columns in one block, wider products in blocks of 16 columns; rows of b in blocks of K_BLOCK (kept in cache
 * while every row of a passes). Each output is accumulated from +0 in the order of k, one product and one add
 * at a time (wasm has no fused multiply-add). Returns 1 when done.
 */
EXPORT(gemm_f32) uint32_t gemm_f32(const float *a, const float *b, float *y, uint32_t M, uint32_t K, uint32_t N) {
  if (N % 4 != 0 || N == 0) return 0;
  for (uint32_t i = 0; i < M * N; i += 4) wasm_v128_store(y + i, wasm_f32x4_splat(0.0f));
  const uint32_t width = N <= 32 ? N : WIDE_BLOCK;
  for (uint32_t k0 = 0; k0 < K; k0 += K_BLOCK) {
    const uint32_t k1 = k0 + K_BLOCK < K ? k0 + K_BLOCK : K;
    for (uint32_t c0 = 0; c0 < N; c0 += width) {
      const uint32_t cols = N - c0 < width ? N - c0 : width;
      gemm_columns(a, b + c0, y + c0, M, K, k0, k1, N, cols);
    }
  }
  return 1;
}

/* ------------------------------------------------------------------------------------- sums of products */

/** The float whose bits are u. */
static inline float float_of(uint32_t u) {
  union {
    uint32_t u;
    float f;
  } v = {u};
  return v.f;
}

/** One output of sums_of_products_f32 at elements i..i+7: returns the descriptor past it. */
static inline const uint32_t *sum8(const uint32_t *d, uint32_t i) {
  float *y = (float *)d[0];
  const uint32_t terms = d[1];
  d += 2;
  v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
  for (uint32_t t = 0; t < terms; t++) {
    const uint32_t m = d[0];
    const float *f = (const float *)d[2];
    v128_t p0 = wasm_v128_load(f + i), p1 = wasm_v128_load(f + i + 4);
    for (uint32_t j = 1; j < m; j++) {
      f = (const float *)d[2 + j];
      p0 = wasm_f32x4_mul(p0, wasm_v128_load(f + i));
      p1 = wasm_f32x4_mul(p1, wasm_v128_load(f + i + 4));
    }
    const v128_t c = wasm_f32x4_splat(float_of(d[1]));
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(p0, c));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(p1, c));
    d += 2 + m;
  }
  wasm_v128_store(y + i, s0);
  wasm_v128_store(y + i + 4, s1);
  return d;
}

/** The same at the one element i. */
static inline const uint32_t *sum1(const uint32_t *d, uint32_t i) {
  float *y = (float *)d[0];
  const uint32_t terms = d[1];
  d += 2;
  float s = 0.0f;
  for (uint32_t t = 0; t < terms; t++) {
    const uint32_t m = d[0];
    float p = ((const float *)d[2])[i];
    for (uint32_t j = 1; j < m; j++) p *= ((const float *)d[2 + j])[i];
    s += p * float_of(d[1]);
    d += 2 + m;
  }
  y[i] = s;
  return d;
}

/**
 * Several sums of products in one pass over n elements: y_o[i] = sum over the terms of output o of
 * c_t * f_t1[i] * f_t2[i] * ... `desc` lists the outputs one after another: the byte offset of y_o, its term
 * count, then its terms, each the factor count m >= 1, the bits of the float32 coefficient c and m byte offsets
 * of float32 arrays of n elements. Per element each product is formed left to right, scaled by c and added to
 * the sum in the order of the terms (from +0). Block by block (8 elements), so inputs shared by several outputs
 * are read from memory once; no y may be one of the factors.
 */
EXPORT(sums_of_products_f32) void sums_of_products_f32(const uint32_t *desc, uint32_t outputs, uint32_t n) {
  uint32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint32_t *d = desc;
    for (uint32_t o = 0; o < outputs; o++) d = sum8(d, i);
  }
  for (; i < n; i++) {
    const uint32_t *d = desc;
    for (uint32_t o = 0; o < outputs; o++) d = sum1(d, i);
  }
}
