// End-to-end: the built page in Debian's Chromium (playwright-core, never a downloaded browser). Runs every
// panel, asserts on the numbers the page shows, on no console errors and no failed requests, measures load
// and training times, and writes a screenshot of each panel plus e2e-results.json to out/web/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSizes, formatBundleSizes } from './bundle-size';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(appDir, '..', '..');
const outDir = join(repoRoot, 'out', 'web');
/** The flags measured to work here (../shared/ENVIRONMENT.md). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// CHROMIUM_PATH, when set, is the only candidate (set it to a missing path to see the skip).
const candidates = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const chromiumPath = candidates.find((p) => existsSync(p));
const inCi = process.env.CI === 'true';
if (!chromiumPath && !inCi) {
  console.log(
    'apps/web e2e skipped: no Chromium, install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)',
  );
}

/** The razor test's run: one oscillator, this many steps (the CLI's `noether razor ho` runs 300). */
const RAZOR_STEPS = 300;
/** Relative residual of the fit C ≈ a·H + c of the leading learned quantity against the energy. */
const RAZOR_ENERGY_TOL = 0.25;
/**
 * Least parallelness of the learned span to the true one, as razor's own smoke test (`packages/razor`):
 * float32 rounding order in the gradients moves this 300-step run's value by ~0.004 (0.9916 with tfjs's
 * Multiply/Add/... gradients, 0.9879 with autodiff's fewer-kernel ones, identical in exact arithmetic).
 */
const RAZOR_PARALLELNESS_MIN = 0.98;
/** Relative L2 of both ECF-panel rollouts after 20 steps. */
const ECF_REL_L2_AT_20 = 0.2;

/** Everything the run measured, written to out/web/e2e-results.json. */
const results: Record<string, unknown> = {};

function writeResults(): void {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'e2e-results.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

describe.skipIf(!chromiumPath && !inCi)('the web page in headless Chromium', () => {
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  const problems: string[] = [];

  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    p.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  };
  const shoot = async (name: string, selector: string) => {
    mkdirSync(outDir, { recursive: true });
    await page.locator(selector).screenshot({ path: join(outDir, `${name}.png`) });
  };
  const waitText = (selector: string, pattern: RegExp, timeout: number) =>
    page.waitForFunction(
      ([s, source]) => new RegExp(source).test(document.querySelector(s)?.textContent ?? ''),
      [selector, pattern.source] as const,
      { timeout },
    );

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('CI=true but no Chromium: .ci/run installs it with apt-get install -y chromium');
    // Build the packages and the page as a user would (turbo caches: seconds when up to date).
    execFileSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@noether/web...', '--output-logs=errors-only'],
      {
        cwd: repoRoot,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
        stdio: 'pipe',
      },
    );
    const sizes = bundleSizes(join(appDir, 'dist'));
    results.bundle = sizes.map(({ part, bytes, gzipBytes }) => ({ part, bytes, gzipBytes }));
    console.log(`apps/web bundle sizes:\n${formatBundleSizes(sizes)}`);
    const { preview } = await import('vite');
    server = await preview({ root: appDir, logLevel: 'silent', preview: { host: '127.0.0.1', port: 0 } });
    url = server.resolvedUrls?.local[0] ?? '';
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, args: FLAGS });
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    watch(page);
  }, 600_000);

  afterAll(async () => {
    writeResults();
    await browser?.close();
    await server?.close();
  });

  it('loads, says which backend runs, and the first panel is interactive within 3 s', async () => {
    const started = Date.now();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const wallMs = Date.now() - started;
    const timings = (await page.evaluate(
      () => (globalThis as unknown as { __noether: unknown }).__noether,
    )) as {
      firstPanelInteractiveMs: number;
      backendReadyMs: number;
    };
    const backendLine = (await page.textContent('[data-testid=backend]')) ?? '';
    results.backendLine = backendLine;
    results.firstPanelInteractiveMs = Math.round(timings.firstPanelInteractiveMs);
    results.backendReadyMs = Math.round(timings.backendReadyMs);
    results.gotoToReadyMs = wallMs;
    expect(backendLine).toMatch(/^TensorFlow\.js backend: (webgpu|webgl|wasm|cpu)/);
    // Cross-origin isolated, so wasm threads are available (this machine has no GPU: wasm is picked).
    if (backendLine.includes('wasm')) expect(backendLine).toContain('crossOriginIsolated yes');
    expect(timings.firstPanelInteractiveMs).toBeLessThan(3000);
    expect(await page.isEnabled('[data-testid=autodiff-run]')).toBe(true);
  });

  it('autodiff: every op of the nested-gradient table passes at orders 1-3 on the page backend', async () => {
    await page.click('[data-testid=autodiff-run]');
    await page.waitForSelector('[data-testid=autodiff-summary][data-total]', { timeout: 120_000 });
    const summary = page.locator('[data-testid=autodiff-summary]');
    const passed = Number(await summary.getAttribute('data-passed'));
    const total = Number(await summary.getAttribute('data-total'));
    const maxError = Number(await summary.getAttribute('data-max-error'));
    results.autodiff = { backend: await summary.getAttribute('data-backend'), passed, total, maxError };
    expect(total).toBe(90);
    expect(passed).toBe(total);
    expect(maxError).toBeLessThan(1e-4);
    await shoot('autodiff', '[data-testid=panel-autodiff]');
  });

  it('integrators: leapfrog keeps the Kepler energy error bounded over 100 periods, rk4 drifts', async () => {
    await page.click('[data-testid=tab-integrators]');
    await page.waitForSelector('[data-testid=kepler-run]');
    await page.fill('[data-testid=kepler-e]', '0.6');
    await page.selectOption('[data-testid=kepler-method]', 'leapfrog');
    await page.selectOption('[data-testid=kepler-dt]', '0.01');
    await page.selectOption('[data-testid=kepler-periods]', '100');
    await page.click('[data-testid=kepler-run]');
    await waitText('[data-testid=kepler-progress]', /^(Done|Error)/, 120_000);
    expect(await page.textContent('[data-testid=kepler-progress]')).toMatch(/^Done/);
    const row = async (method: string) => {
      const r = page.locator(`[data-testid=kepler-results] tr[data-method=${method}]`);
      return {
        maxError: Number(await r.getAttribute('data-max-error')),
        growth: Number(await r.getAttribute('data-growth')),
        positionError: Number(await r.getAttribute('data-position-error')),
      };
    };
    const leapfrog = await row('leapfrog');
    const rk4 = await row('rk4');
    results.kepler = { e: 0.6, dt: 0.01, periods: 100, leapfrog, rk4 };
    // Leapfrog's modified-Hamiltonian error is O(dt^2) and bounded: at dt = 0.01, e = 0.6 it is ~1e-4
    // (peaks at pericentre), the same in both halves of the run.
    expect(leapfrog.maxError).toBeLessThan(1e-3);
    expect(leapfrog.growth).toBeLessThan(1.1);
    // rk4's energy error grows linearly in time: the second half's maximum is about twice the first's.
    expect(rk4.growth).toBeGreaterThan(1.5);
    // Both stay on the orbit to within the phase error (checked against the exact Kepler-equation solution).
    expect(rk4.positionError).toBeLessThan(1e-2);
    await shoot('integrators', '[data-testid=panel-integrators]');
  });

  it('PINN-Proj: 200 iterations in under 30 s; the projected PINN conserves its integrals to 1e-5 per level', async () => {
    await page.click('[data-testid=tab-pinn-proj]');
    await page.waitForSelector('[data-testid=pinn-run]');
    await page.selectOption('[data-testid=pinn-iterations]', '200');
    await page.click('[data-testid=pinn-run]');
    await waitText('[data-testid=pinn-progress]', /^(Done|Error)/, 300_000);
    const progress = page.locator('[data-testid=pinn-progress]');
    expect(await progress.textContent()).toMatch(/^Done/);
    const seconds = Number(await progress.getAttribute('data-train-seconds'));
    const variant = async (v: string) => {
      const r = page.locator(`[data-testid=pinn-results] tr[data-variant=${v}]`);
      return {
        maxLevelError: Number(await r.getAttribute('data-max-level-error')),
        sumLevelError: Number(await r.getAttribute('data-sum-level-error')),
        relL2: Number(await r.getAttribute('data-rel-l2')),
        loss: Number(await r.getAttribute('data-loss')),
      };
    };
    const pinn = await variant('pinn');
    const proj = await variant('proj');
    results.pinnProj = { iterations: 200, trainSeconds: seconds, pinn, proj };
    expect(Number(await progress.getAttribute('data-iterations'))).toBe(200);
    expect(proj.maxLevelError).toBeLessThanOrEqual(1e-5);
    expect(pinn.maxLevelError).toBeGreaterThan(1e-4);
    // Both trained (defaults: joint constraint, L-BFGS): u within 10% of the reference in relative L2.
    expect(pinn.relL2).toBeLessThan(0.1);
    expect(proj.relL2).toBeLessThan(0.1);
    expect(Number.isFinite(proj.loss) && Number.isFinite(pinn.loss)).toBe(true);
    // Target: under 30 s. On a machine loaded beyond 4 runnable jobs per core (shared CI/dev machines) the
    // wall time says more about the neighbours than the page, so the bound widens and the result records it.
    const load = loadavg()[0] / cpus().length;
    const bound = load > 4 ? 90 : 30;
    results.pinnProj = { ...(results.pinnProj as object), loadPerCore: load, boundSeconds: bound };
    expect(seconds).toBeLessThan(bound);
    await shoot('pinn-proj', '[data-testid=panel-pinn-proj]');
  });

  it('datasets: the reaction-diffusion reference grows its mass as e^{0.5 t}; its .npy reads back bit-identical', async () => {
    await page.click('[data-testid=tab-datasets]');
    await page.waitForSelector('[data-testid=pde-run]');
    await page.selectOption('[data-testid=pde-preset]', 'reactionDiffusion');
    await page.click('[data-testid=pde-run]');
    await waitText('[data-testid=pde-progress]', /^(Done|Error)/, 120_000);
    expect(await page.getAttribute('[data-testid=pde-progress]', 'data-status')).toBe('ok');
    const deviation = async (integral: string) =>
      Number(
        await page.getAttribute(
          `[data-testid=pde-integrals] tr[data-integral=${integral}]`,
          'data-deviation',
        ),
      );
    const mass = await deviation('mass');
    const massScaled = await deviation('massScaled');
    const exact = await page.getAttribute('[data-testid=pde-download]', 'data-exact');
    results.datasets = {
      preset: 'reactionDiffusion',
      massDeviation: mass,
      massScaledDeviation: massScaled,
      npyExact: exact,
    };
    // Zero-flux walls: d/dt of the discrete mass is exactly 0.5 x mass, so only round-off and the time
    // stepper's error remain (analytic reference e^{0.5 t}).
    expect(mass).toBeLessThan(1e-10);
    expect(massScaled).toBeLessThan(1e-10);
    expect(exact).toBe('true');
    await shoot('datasets', '[data-testid=panel-datasets]');
  });

  it('param-symmetry: Gauss–Legendre gradient flow keeps the GL(4) charge to round-off, rk4 and Euler drift', async () => {
    await page.click('[data-testid=tab-param-symmetry]');
    await page.waitForSelector('[data-testid=psym-run]');
    await page.click('[data-testid=psym-run]');
    await waitText('[data-testid=psym-progress]', /^(Done|Error)/, 120_000);
    expect(await page.textContent('[data-testid=psym-progress]')).toMatch(/^Done/);
    expect(await page.textContent('[data-testid=psym-formulas]')).toMatch(/=/);
    const row = async (method: string) => {
      const r = page.locator(`[data-testid=psym-results] tr[data-method=${method}]`);
      return {
        status: await r.getAttribute('data-status'),
        drift: Number(await r.getAttribute('data-drift')),
      };
    };
    const rows = Object.fromEntries(
      await Promise.all(
        ['implicitMidpoint', 'gaussLegendre4', 'rk4', 'euler'].map(async (m) => [m, await row(m)]),
      ),
    );
    results.paramSymmetry = rows;
    for (const m of ['implicitMidpoint', 'gaussLegendre4']) {
      expect(rows[m].status).toBe('ok');
      expect(rows[m].drift).toBeLessThan(1e-12);
    }
    // Explicit methods do not preserve quadratic invariants: drift far above round-off, Euler worst.
    expect(rows.rk4.drift).toBeGreaterThan(1e-10);
    expect(rows.euler.drift).toBeGreaterThan(rows.rk4.drift);
    await shoot('param-symmetry', '[data-testid=panel-param-symmetry]');
  });

  it("razor: Noether's Razor finds one oscillator's energy (one non-zero singular value, q1² + p1²)", async () => {
    await page.click('[data-testid=tab-razor]');
    await page.waitForSelector('[data-testid=razor-run]');
    await page.selectOption('[data-testid=razor-system]', { index: 0 });
    await page.selectOption('[data-testid=razor-steps]', String(RAZOR_STEPS));
    await page.selectOption('[data-testid=razor-seed]', '0');
    await page.click('[data-testid=razor-run]');
    await page.waitForSelector('[data-testid=razor-progress][data-status]', { timeout: 300_000 });
    const progress = page.locator('[data-testid=razor-progress]');
    const summary = page.locator('[data-testid=razor-summary]');
    const num = async (name: string) => Number(await summary.getAttribute(`data-${name}`));
    const laws = await page
      .locator('[data-testid=razor-law]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-formula')));
    const razor = {
      steps: Number(await progress.getAttribute('data-steps')),
      seconds: Number(await progress.getAttribute('data-seconds')),
      msPerStep: Number(await progress.getAttribute('data-ms-per-step')),
      countRelative: await num('count-relative'),
      trueDimension: await num('true-dimension'),
      parallelnessMin: await num('parallelness-min'),
      energyResidual: await num('energy-residual'),
      energyScale: await num('energy-scale'),
      singularValues: JSON.parse((await summary.getAttribute('data-singular-values')) ?? '[]') as number[],
      laws,
    };
    results.razor = razor;
    expect(await progress.getAttribute('data-status')).toBe('ok');
    expect(razor.steps).toBe(RAZOR_STEPS);
    // Exactly one singular value above 5% of s1: a one-dimensional symmetry (the energy's rotation).
    expect(razor.trueDimension).toBe(1);
    expect(razor.countRelative).toBe(1);
    // The learned quadratic C is an affine function of H = (q² + p²)/2 to within the stated residual,
    // measured independently of the package's parallelness (least squares over a 7 x 7 grid of points).
    expect(razor.energyResidual).toBeLessThan(RAZOR_ENERGY_TOL);
    expect(razor.parallelnessMin).toBeGreaterThan(RAZOR_PARALLELNESS_MIN);
    expect(laws).toEqual(['q1² + p1²']);
    await shoot('razor', '[data-testid=panel-razor]');
  });

  it('ECF: the shipped FNO rolled out 100 steps conserves mass to 1e-5 with the decoder; without it the mass drifts', async () => {
    await page.click('[data-testid=tab-ecf]');
    await page.waitForSelector('[data-testid=ecf-run]:not([disabled])', { timeout: 30_000 });
    await page.selectOption('[data-testid=ecf-initial]', { index: 0 });
    await page.selectOption('[data-testid=ecf-steps]', '100');
    await page.click('[data-testid=ecf-run]');
    await page.waitForSelector('[data-testid=ecf-progress][data-status]', { timeout: 120_000 });
    const progress = page.locator('[data-testid=ecf-progress]');
    expect(await progress.getAttribute('data-status'), (await progress.textContent()) ?? '').toBe('ok');
    const row = async (variant: string) => {
      const r = page.locator(`[data-testid=ecf-results] tr[data-variant=${variant}]`);
      const get = async (name: string) => Number(await r.getAttribute(`data-${name}`));
      return {
        maxConservation: await get('max-conservation'),
        relL2At20: await get('rel-l2-20'),
        relL2Last: await get('rel-l2-last'),
        ms: await get('ms'),
      };
    };
    const plain = await row('plain');
    const ecf = await row('ecf');
    results.ecf = {
      steps: 100,
      initial: await page.inputValue('[data-testid=ecf-initial]'),
      seconds: Number(await progress.getAttribute('data-seconds')),
      plain,
      ecf,
    };
    // float32 states, sums in float64: the decoder's projection holds to float32 rounding (~1e-8 relative)
    // at every one of the 100 steps; the plain FNO's mass wanders by far more.
    expect(ecf.maxConservation).toBeLessThanOrEqual(1e-5);
    expect(plain.maxConservation).toBeGreaterThan(1e-5);
    // Both rollouts follow the reference (float64 solver in the page) over the first 20 steps.
    expect(plain.relL2At20).toBeLessThan(ECF_REL_L2_AT_20);
    expect(ecf.relL2At20).toBeLessThan(ECF_REL_L2_AT_20);
    await shoot('ecf', '[data-testid=panel-ecf]');
    // Outside the training distribution (every training draw has zero mean; this one has mass 0.2), 200
    // steps: the plain FNO loses a large part of the mass and drifts from the reference; with the decoder the
    // mass holds and the rollout settles on the right constant state.
    await page.selectOption('[data-testid=ecf-initial]', {
      index: -1 + (await page.locator('[data-testid=ecf-initial] option').count()),
    });
    await page.selectOption('[data-testid=ecf-steps]', '200');
    await page.evaluate(() =>
      document.querySelector('[data-testid=ecf-progress]')?.removeAttribute('data-status'),
    );
    await page.click('[data-testid=ecf-run]');
    await page.waitForSelector('[data-testid=ecf-progress][data-status]', { timeout: 120_000 });
    expect(await progress.getAttribute('data-status'), (await progress.textContent()) ?? '').toBe('ok');
    const shifted = {
      initial: await page.inputValue('[data-testid=ecf-initial]'),
      plain: await row('plain'),
      ecf: await row('ecf'),
    };
    results.ecfShifted = shifted;
    expect(shifted.initial).toMatch(/not in the training distribution/);
    expect(shifted.ecf.maxConservation).toBeLessThanOrEqual(1e-5);
    expect(shifted.plain.maxConservation).toBeGreaterThan(1e-2);
    expect(shifted.ecf.relL2Last).toBeLessThan(shifted.plain.relL2Last / 10);
    await shoot('ecf-shifted', '[data-testid=panel-ecf]');
  });

  it('works offline once loaded (service worker)', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    try {
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await page.click('[data-testid=tab-integrators]');
      await page.waitForSelector('[data-testid=kepler-run]');
      await page.selectOption('[data-testid=kepler-periods]', '10');
      await page.click('[data-testid=kepler-run]');
      await waitText('[data-testid=kepler-progress]', /^(Done|Error)/, 60_000);
      expect(await page.textContent('[data-testid=kepler-progress]')).toMatch(/^Done/);
      // The shipped model (public/, outside the bundle) comes from the service worker's cache too.
      await page.click('[data-testid=tab-ecf]');
      await page.waitForSelector('[data-testid=ecf-run]:not([disabled])', { timeout: 30_000 });
      await page.selectOption('[data-testid=ecf-steps]', '25');
      await page.click('[data-testid=ecf-run]');
      await page.waitForSelector('[data-testid=ecf-progress][data-status]', { timeout: 60_000 });
      expect(await page.getAttribute('[data-testid=ecf-progress]', 'data-status')).toBe('ok');
      results.offline =
        'reloaded offline: backend ready, integrators panel ran, ECF panel loaded its model and ran';
    } finally {
      await context.setOffline(false);
    }
  });

  it('WebGL (forced): the page reports and fixes its sin/cos precision; the op table then passes', async () => {
    const webgl = await context.newPage();
    watch(webgl);
    await webgl.goto(`${url}?backend=webgl`);
    await webgl.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const line = (await webgl.textContent('[data-testid=backend]')) ?? '';
    results.webglBackendLine = line;
    expect(line).toMatch(/^TensorFlow\.js backend: webgl/);
    const runTable = async (trig: string) => {
      await webgl.selectOption('[data-testid=autodiff-webgl-trig]', trig);
      await webgl.evaluate(() =>
        document.querySelector('[data-testid=autodiff-summary]')?.removeAttribute('data-total'),
      );
      await webgl.click('[data-testid=autodiff-run]');
      await webgl.waitForSelector('[data-testid=autodiff-summary][data-total]', { timeout: 180_000 });
      const summary = webgl.locator('[data-testid=autodiff-summary]');
      return {
        passed: Number(await summary.getAttribute('data-passed')),
        total: Number(await summary.getAttribute('data-total')),
        maxError: Number(await summary.getAttribute('data-max-error')),
        precision: await webgl.textContent('[data-testid=autodiff-webgl-precision]'),
      };
    };
    // What the browser's WebGL gives: its GLSL sin/cos fail the 1e-4 tolerance for the ops built on them.
    const builtIn = await runTable('built-in (browser GLSL)');
    await webgl
      .locator('[data-testid=panel-autodiff]')
      .screenshot({ path: join(outDir, 'autodiff-webgl-builtin.png') });
    // With the page's accurate kernels every op passes.
    const fixed = await runTable('accurate (page kernels)');
    results.autodiffWebgl = { builtIn, fixed };
    expect(fixed.passed).toBe(fixed.total);
    if (line.includes('replaced by accurate kernels')) expect(builtIn.passed).toBeLessThan(builtIn.total);
    await webgl
      .locator('[data-testid=panel-autodiff]')
      .screenshot({ path: join(outDir, 'autodiff-webgl.png') });
    await webgl.close();
  });

  it('logged no console errors and no failed requests', () => {
    results.problems = problems;
    expect(problems).toEqual([]);
  });
});
