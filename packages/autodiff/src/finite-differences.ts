/**
 * Central finite differences with Richardson extrapolation (float64, plain numbers).
 *
 * The basic stencils have O(h^2) error: order 1 `(g(h) - g(-h)) / 2h`, order 2
 * `(g(h) - 2 g(0) + g(-h)) / h^2`, order 3 `(g(2h) - 2 g(h) + 2 g(-h) - g(-2h)) / 2h^3`. Two Richardson steps
 * over h, h/2, h/4 cancel the h^2 and h^4 terms, leaving O(h^6) truncation error, so a moderate h (1e-2)
 * can be used and round-off (~ machine epsilon / h^k) stays small.
 *
 * @see L. F. Richardson, "The deferred approach to the limit", Phil. Trans. R. Soc. A 226 (1927).
 */
export function richardsonDerivative(g: (t: number) => number, order: 1 | 2 | 3, h: number): number {
  const stencil = (s: number): number => {
    if (order === 1) return (g(s) - g(-s)) / (2 * s);
    if (order === 2) return (g(s) - 2 * g(0) + g(-s)) / (s * s);
    return (g(2 * s) - 2 * g(s) + 2 * g(-s) - g(-2 * s)) / (2 * s * s * s);
  };
  const d1 = stencil(h);
  const d2 = stencil(h / 2);
  const d4 = stencil(h / 4);
  const r1 = (4 * d2 - d1) / 3;
  const r2 = (4 * d4 - d2) / 3;
  return (16 * r2 - r1) / 15;
}

/** First derivative only, with one Richardson step (h, h/2): O(h^4). Used on float32 evaluations. */
export function richardsonSlope(g: (t: number) => number, h: number): number {
  const d1 = (g(h) - g(-h)) / (2 * h);
  const d2 = (g(h / 2) - g(-h / 2)) / h;
  return (4 * d2 - d1) / 3;
}
