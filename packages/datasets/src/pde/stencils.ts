import type { Boundary } from './pde-solution';

/**
 * Fills `g` ghost cells on each side of a padded 1D buffer whose interior is `buf[g .. length-g-1]`.
 * periodic: wrap around; zero-flux and neumann: even mirror about the boundary faces (u_{-1-k} = u_k), the
 * cell-centred discretisation of u_x = 0.
 */
export function fillGhosts(buf: Float64Array, g: number, boundary: Boundary): void {
  const n = buf.length - 2 * g;
  for (let k = 0; k < g; k++) {
    if (boundary === 'periodic') {
      buf[g - 1 - k] = buf[g + n - 1 - k];
      buf[g + n + k] = buf[g + k];
    } else {
      buf[g - 1 - k] = buf[g + k];
      buf[g + n + k] = buf[g + n - 1 - k];
    }
  }
}

/**
 * Fourth-order central face flux of linear advection with speed `a` for faces f = 0..n (face f sits
 * between cells f-1 and f): F_f = a (-u_{f-2} + 7 u_{f-1} + 7 u_f - u_{f+1}) / 12. Its divergence is the
 * standard fourth-order central difference of u_x. With zero-flux boundaries the two boundary faces carry
 * no flux, so sum_i dx u_i is conserved exactly by construction.
 */
export function advectionFluxes(
  pad: Float64Array,
  n: number,
  opts: { a: number; boundary: Boundary; out: Float64Array },
): void {
  const { a, out } = opts;
  const g = 2;
  for (let f = 0; f <= n; f++) {
    const c = g + f; // pad index of cell f
    out[f] = (a * (-pad[c - 2] + 7 * pad[c - 1] + 7 * pad[c] - pad[c + 1])) / 12;
  }
  if (opts.boundary === 'zero-flux') {
    out[0] = 0;
    out[n] = 0;
  }
}

/**
 * Face gradients for the diffusion flux -nu u_x: order 2, (u_f - u_{f-1}) / dx; order 4,
 * (-u_{f+1} + 15 u_f - 15 u_{f-1} + u_{f-2}) / (12 dx), whose divergence is the fourth-order five-point
 * Laplacian. With even-mirror ghosts the boundary-face gradient is exactly zero (zero flux).
 */
export function gradientAtFaces(
  pad: Float64Array,
  n: number,
  opts: { dx: number; order: 2 | 4; out: Float64Array },
): void {
  const { dx, out } = opts;
  const g = 2;
  if (opts.order === 2) {
    for (let f = 0; f <= n; f++) out[f] = (pad[g + f] - pad[g + f - 1]) / dx;
  } else {
    for (let f = 0; f <= n; f++) {
      const c = g + f;
      out[f] = (-pad[c + 1] + 15 * pad[c] - 15 * pad[c - 1] + pad[c - 2]) / (12 * dx);
    }
  }
}
