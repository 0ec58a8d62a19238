#!/usr/bin/env node
// Our workloads beside PyTorch and JAX on this machine (`pnpm bench:peers`, also the last part of `pnpm bench`).
//
//   node scripts/peer-bench/run.mjs [--rounds 2] [--tasks hnn,hessian,laplacian,lapgrad,kdv,matmul]
//        [--backends wasm,cpu,tensorflow] [--peers ../shared/peer-bench] [--json]
//
// Needs the built packages (`pnpm build`). Ours: scripts/peer-bench/ours-task.mjs on every backend that loads
// (tensorflow only after `pnpm setup:tfjs-node`, with its default threads and with one intra-op thread, like
// torch eager 1t), plus the nested-reverse variant of the Taylor-mode tasks.
// Peers (optional, never in tests or CI): the reference scripts in ../shared/peer-bench/ when python3 has
// torch and/or jax; they read the same weights and inputs, dumped once by ours-task.mjs --dump.
// Rounds are interleaved (every implementation once per round, each its own process), so load drift hits all
// alike; the table gives the best and the median of round medians, and ratios measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const usage = (message) => {
  console.error(`bench:peers: ${message}`);
  process.exit(2);
};
const ALL_TASKS = ['hnn', 'hessian', 'laplacian', 'lapgrad', 'kdv', 'matmul'];
const rounds = Number(arg('rounds', '2'));
if (!Number.isInteger(rounds) || rounds < 1)
  usage(`--rounds must be a positive integer, got ${arg('rounds')}`);
const tasks = arg('tasks', ALL_TASKS.join(',')).split(',');
for (const t of tasks)
  if (!ALL_TASKS.includes(t)) usage(`unknown task '${t}' (one of ${ALL_TASKS.join(', ')})`);
const wantBackends = arg('backends', 'wasm,cpu,tensorflow').split(',');
const peersDir = path.resolve(root, arg('peers', '../shared/peer-bench'));
const asJson = argv.includes('--json');
const say = (line) => (asJson ? console.error(line) : console.log(line));
if (!fs.existsSync(path.join(root, 'packages/autodiff/dist/index.js'))) usage('run `pnpm build` first');

function run(cmd, args, timeoutS = 1800) {
  const res = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: timeoutS * 1000 });
  const line = (res.stdout ?? '')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (res.status === 0 && line) return JSON.parse(line);
  return {
    error: `${(res.stderr || res.stdout || res.error?.message || '').trim().split('\n').slice(-1)[0]}`,
  };
}
const loadavg = () => Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

// What is available here.
const backends = wantBackends.filter((b) => {
  if (b !== 'tensorflow') return true;
  const probe = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "await import('@tensorflow/tfjs-node')"],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (probe.status !== 0)
    say('bench:peers: tensorflow backend skipped (run `pnpm setup:tfjs-node` to add it)');
  return probe.status === 0;
});
const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
const hasPy = (mod) =>
  python && spawnSync(python, ['-c', `import ${mod}`], { timeout: 120_000 }).status === 0;
const peersHere = fs.existsSync(path.join(peersDir, 'pinn_peer.py'));
const torch = peersHere && hasPy('torch');
const jax = peersHere && hasPy('jax');
if (!peersHere) say(`bench:peers: peers skipped (no reference scripts in ${peersDir})`);
else if (!torch || !jax)
  say(
    `bench:peers: ${!torch ? 'torch' : ''}${!torch && !jax ? ' and ' : ''}${!jax ? 'jax' : ''} not importable by python3: those peers skipped`,
  );

// Weights and inputs for the peers, dumped once by our side (tfjs's seeded RNG).
const weights = path.join(root, 'out', 'peer-bench', 'weights');
if (torch || jax) {
  fs.mkdirSync(weights, { recursive: true });
  for (const t of tasks.filter((t) => t !== 'matmul')) {
    const file = path.join(weights, `${t}.json`);
    if (fs.existsSync(file)) continue;
    const r = run(process.execPath, [
      path.join(here, 'ours-task.mjs'),
      '--task',
      t,
      '--reps',
      '1',
      '--warmup',
      '0',
      '--dump',
      file,
    ]);
    if (r.error) usage(`dumping the ${t} weights failed: ${r.error}`);
  }
}

const REPS = {
  hnn: [20, 3],
  hessian: [20, 2],
  laplacian: [20, 2],
  lapgrad: [10, 2],
  kdv: [5, 1],
  matmul: [10, 2],
};
const CPU_REPS = {
  hnn: [4, 1],
  hessian: [4, 1],
  laplacian: [4, 1],
  lapgrad: [2, 1],
  kdv: [1, 1],
  matmul: [3, 1],
};
function plan(task) {
  const jobs = [];
  const ours = (backend, variant = 'taylor', threads = null) => {
    const [reps, warmup] = (backend === 'cpu' ? CPU_REPS : REPS)[task];
    const label = `ours-${backend}${threads ? ` ${threads}t` : ''}${variant === 'reverse' ? ' (nested reverse)' : ''}`;
    jobs.push([
      label,
      [
        process.execPath,
        path.join(here, 'ours-task.mjs'),
        '--task',
        task,
        '--backend',
        backend,
        '--variant',
        variant,
        '--reps',
        String(reps),
        '--warmup',
        String(warmup),
        ...(threads ? ['--threads', String(threads)] : []),
      ],
    ]);
  };
  const [reps, warmup] = REPS[task];
  const peer = (label, script, impl, threads) => {
    const extra =
      script === 'matmul_peer.py'
        ? []
        : ['--weights', path.join(weights, `${task}.json`), '--warmup', String(warmup)];
    const taskArg = script === 'pinn_peer.py' ? ['--task', task] : [];
    jobs.push([
      label,
      [
        python,
        path.join(peersDir, script),
        ...taskArg,
        '--impl',
        impl,
        '--threads',
        String(threads),
        '--reps',
        String(reps),
        ...extra,
      ],
    ]);
  };
  const script = task === 'hnn' ? 'hnn_peer.py' : task === 'matmul' ? 'matmul_peer.py' : 'pinn_peer.py';
  if (torch) peer('torch eager 1t', script, 'torch', 1);
  if (jax) peer('jax jit', script, 'jax', 2);
  if (jax && script === 'pinn_peer.py') peer('jax jit (forward mode)', script, 'jax-fwd', 2);
  for (const b of backends) ours(b);
  // tensorflow with one intra-op thread, like torch eager 1t (its default is one per core)
  if (backends.includes('tensorflow')) ours('tensorflow', 'taylor', 1);
  if (['laplacian', 'lapgrad', 'kdv'].includes(task) && backends.includes('wasm')) ours('wasm', 'reverse');
  return jobs;
}

const results = [];
for (let r = 1; r <= rounds; r++) {
  for (const task of tasks) {
    for (const [label, cmd] of plan(task)) {
      const load = loadavg();
      const rec = run(cmd[0], cmd.slice(1));
      results.push({ ...rec, task, label, round: r, loadavg: load });
      say(
        `round ${r} ${task} ${label}: ${rec.error ? `ERROR ${rec.error.slice(0, 160)}` : `best ${rec.min_ms?.toFixed(2)} ms, median ${rec.median_ms?.toFixed(2)} ms`}`,
      );
    }
  }
}

// Summary: per task and implementation, best over rounds and median of round medians; ratios to the peers.
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = {};
for (const task of tasks) {
  const rows = {};
  for (const rec of results.filter((x) => x.task === task && !x.error)) {
    const row = (rows[rec.label] ??= {
      best: Infinity,
      medians: [],
      checks: new Set(),
      threads: rec.threads,
    });
    row.best = Math.min(row.best, rec.min_ms);
    row.medians.push(rec.median_ms);
    if (typeof rec.check === 'number') row.checks.add(rec.check.toPrecision(6));
  }
  summary[task] = Object.fromEntries(
    Object.entries(rows).map(([label, r]) => [
      label,
      { best: r.best, median: median(r.medians), check: [...r.checks].join(', ') },
    ]),
  );
}
const loads = results.map((x) => x.loadavg);
if (asJson) {
  console.log(
    JSON.stringify({
      rounds,
      loadavg: { min: Math.min(...loads), max: Math.max(...loads) },
      summary,
      results,
    }),
  );
} else {
  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(
    `\nOurs beside PyTorch/JAX, ${rounds} interleaved round(s), load average (1 min) ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${(await import('node:os')).cpus().length} cores.`,
  );
  console.log('Ratios are ours / peer on the best times of this run (below 1: we are faster).\n');
  for (const [task, rows] of Object.entries(summary)) {
    const peerLabels = Object.keys(rows).filter((l) => !l.startsWith('ours'));
    console.log(`### ${task}${task === 'matmul' ? ' (1024x1024 float32)' : ''}\n`);
    console.log(
      `| implementation | best (ms) | median (ms) | ${peerLabels.map((p) => `/ ${p}`).join(' | ')} | check |`,
    );
    console.log(`|---|---:|---:|${peerLabels.map(() => '---:|').join('')}---|`);
    for (const [label, r] of Object.entries(rows)) {
      const ratios = peerLabels.map((p) =>
        label.startsWith('ours') ? `${(r.best / rows[p].best).toFixed(2)}x` : '',
      );
      const gflops = task === 'matmul' ? ` (${((2 * 1024 ** 3) / r.best / 1e6).toFixed(0)} GFLOP/s)` : '';
      console.log(
        `| ${label}${gflops} | ${fmt(r.best)} | ${fmt(r.median)} | ${ratios.join(' | ')} | ${r.check} |`,
      );
    }
    console.log('');
  }
  const errors = results.filter((x) => x.error);
  if (errors.length)
    console.log(`${errors.length} run(s) failed: ${errors.map((e) => `${e.task} ${e.label}`).join(', ')}`);
}
