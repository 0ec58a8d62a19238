/**
 * Self-estimated accuracy of the PINN-Proj references: relative L2 difference over the whole 100 x N output
 * grid between the default solve (refine 1; advection: 3) and a 3x finer solve (refine 3; advection: 9).
 * Run: pnpm tsx --conditions=@noether/source bench/preset-accuracy.ts   (KdV at refine 3 takes ~20 s)
 * KdV and 2D advection: the former finite-difference references (`solver: 'fd'`); their defaults are now the
 * whole-line spectral solution and the exact translate, tested in src/pde/kdv-reference.test.ts.
 */
import { solvePinnProjPreset, type PinnProjPresetName } from '../src/index';

const names: PinnProjPresetName[] = ['advection', 'wave', 'kdv', 'reactionDiffusion', 'advection2d'];
console.log(
  '| preset | default refine | finer refine | relative L2 difference | max abs difference | seconds (finer) |',
);
console.log('|---|---|---|---|---|---|');
for (const name of names) {
  const r = name === 'advection' || name === 'advection2d' ? 3 : 1;
  const solver = name === 'kdv' || name === 'advection2d' ? ({ solver: 'fd' } as const) : {};
  const a = solvePinnProjPreset(name, { refine: r, ...solver });
  const t0 = performance.now();
  const b = solvePinnProjPreset(name, { refine: 3 * r, ...solver });
  const secs = (performance.now() - t0) / 1000;
  let num = 0;
  let den = 0;
  let mx = 0;
  for (let i = 0; i < a.u.length; i++) {
    num += (a.u[i] - b.u[i]) ** 2;
    den += b.u[i] ** 2;
    mx = Math.max(mx, Math.abs(a.u[i] - b.u[i]));
  }
  console.log(
    `| ${name} | ${r} | ${3 * r} | ${Math.sqrt(num / den).toExponential(2)} | ${mx.toExponential(2)} | ${secs.toFixed(1)} |`,
  );
}
