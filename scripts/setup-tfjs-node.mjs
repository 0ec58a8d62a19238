#!/usr/bin/env node
// Installs @tensorflow/tfjs-node (the `tensorflow` backend) for this checkout WITHOUT making it a dependency:
// it lives in .cache/tfjs-node/ and is linked as node_modules/@tensorflow/tfjs-node, sharing the repo's single
// copy of @tensorflow/tfjs (two copies break kernel registration). package.json and the lockfile are untouched.
//
//   pnpm setup:tfjs-node [--from-wheel] [--force] [--timeout-s 120]
//
// 1. The normal way: tfjs-node's own install script (downloads libtensorflow 2.9.1 from storage.googleapis.com
//    and a prebuilt addon, or builds it).
// 2. Where that download is impossible: the TensorFlow C API from the `tensorflow-cpu` PyPI wheel
//    (`python3 -m pip download tensorflow-cpu==2.20.0 --no-deps`, ~260 MB, cached in .cache/tfjs-node/wheel):
//    libtensorflow_cc.so.2 + libtensorflow_framework.so.2 into deps/lib, a one-line linker script
//    `INPUT(libtensorflow_cc.so.2)` as libtensorflow.so, the C headers into deps/include, then
//    `node-gyp rebuild` against the local Node headers (no other download; ~1 min).
// Success: prints `setup:tfjs-node: ok (...)` and exits 0. Failure: prints ONE line
// `setup:tfjs-node: SKIP tensorflow backend: <reason>` and exits 3 (CI treats that as a skip).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TFJS_NODE_VERSION = '4.22.0';
const WHEEL = 'tensorflow-cpu==2.20.0';
const NAPI_BUILD_VERSION = 8; // the highest napi version tfjs-node 4.22 lists; node-pre-gyp looks there
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stage = path.join(root, '.cache', 'tfjs-node');
const pkgDir = path.join(stage, 'node_modules', '@tensorflow', 'tfjs-node');
const link = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const timeoutS = Number(argv[argv.indexOf('--timeout-s') + 1]) || 120;
const verbose = flag('verbose');

class Skip extends Error {}
const log = (message) => console.error(`setup:tfjs-node: ${message}`);

function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...(options.env ?? {}) },
    encoding: 'utf8',
    timeout: (options.timeoutS ?? timeoutS) * 1000,
    stdio: verbose ? 'inherit' : 'pipe',
  });
  if (res.error) return { ok: false, why: res.error.message };
  if (res.status !== 0) {
    const tail = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-1)[0] ?? '';
    return {
      ok: false,
      why: `${path.basename(cmd)} exited ${res.status}${tail ? `: ${tail.slice(0, 200)}` : ''}`,
    };
  }
  return { ok: true, stdout: res.stdout ?? '' };
}

/** Loads tfjs-node from the repo root in a fresh process and checks a matMul on the tensorflow backend. */
function verify() {
  const code = `
    const tf = await import('@tensorflow/tfjs');
    const node = await import('@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend failed');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync();
    if (y[0] !== 17 || y[1] !== 39) throw new Error('wrong matMul ' + Array.from(y));
    console.log(tf.getBackend() + ' tfjs ' + tf.version.tfjs + ' tfjs-node ' + (node.version?.['tfjs-node'] ?? node.default?.version?.['tfjs-node'] ?? '?'));`;
  return run(process.execPath, ['--input-type=module', '-e', code], { timeoutS: 60 });
}

function realDir(request, from) {
  const req = createRequire(path.join(from, 'package.json'));
  return path.dirname(fs.realpathSync(req.resolve(`${request}/package.json`)));
}

function replaceWithLink(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, 'dir');
}

/** npm-installs tfjs-node (scripts off) into .cache/tfjs-node and points its tfjs at the repo's copy. */
function stagePackage() {
  fs.mkdirSync(stage, { recursive: true });
  const manifest = path.join(stage, 'package.json');
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(manifest, JSON.stringify({ name: 'noether-tfjs-node-stage', private: true }, null, 2));
  }
  if (!fs.existsSync(path.join(pkgDir, 'package.json')) || flag('force')) {
    log(`installing @tensorflow/tfjs-node@${TFJS_NODE_VERSION} (scripts off) into .cache/tfjs-node`);
    const npm = run(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-save',
        `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`,
      ],
      { cwd: stage, timeoutS: 600 },
    );
    if (!npm.ok) throw new Skip(`npm install @tensorflow/tfjs-node failed (${npm.why})`);
  }
  const tfjs = realDir('@tensorflow/tfjs', root);
  const core = realDir('@tensorflow/tfjs-core', tfjs);
  const scope = path.join(stage, 'node_modules', '@tensorflow');
  for (const name of fs.readdirSync(scope)) {
    if (name !== 'tfjs-node') fs.rmSync(path.join(scope, name), { recursive: true, force: true });
  }
  replaceWithLink(tfjs, path.join(scope, 'tfjs'));
  replaceWithLink(core, path.join(scope, 'tfjs-core'));
  replaceWithLink(pkgDir, link);
}

function nodeHeaders() {
  const dir = path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..');
  return fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')) ? dir : null;
}

function nodeGyp() {
  const candidates = [];
  const npmRoot = run('npm', ['root', '-g'], { timeoutS: 30 });
  if (npmRoot.ok)
    candidates.push(
      path.join(npmRoot.stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  candidates.push(
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** The normal install: tfjs-node's own script (downloads libtensorflow; fails where the host is unreachable). */
function normalInstall(nodedir) {
  log(`trying the normal install (tfjs-node's install script, ${timeoutS} s limit)`);
  const env = nodedir ? { npm_config_nodedir: nodedir } : {};
  const res = run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, env });
  if (!res.ok) return res;
  return verify();
}

/** The fallback: TensorFlow's C API from the tensorflow-cpu wheel, addon rebuilt with node-gyp. */
function wheelInstall(nodedir) {
  const python = ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version'], { timeoutS: 30 }).ok);
  if (!python)
    throw new Skip('the download failed and python3 with pip (for the tensorflow-cpu wheel) is missing');
  if (!nodedir)
    throw new Skip('the download failed and no local Node headers (include/node/node_api.h) were found');
  const gyp = nodeGyp();
  if (!gyp) throw new Skip('the download failed and node-gyp (bundled with npm) was not found');
  const wheelDir = path.join(stage, 'wheel');
  fs.mkdirSync(wheelDir, { recursive: true });
  let wheel = fs
    .readdirSync(wheelDir)
    .find((f) => f.startsWith('tensorflow_cpu-2.20.0') && f.endsWith('.whl'));
  if (!wheel) {
    log(`downloading the ${WHEEL} wheel from PyPI (~260 MB, cached in .cache/tfjs-node/wheel)`);
    const pip = run(
      python,
      ['-m', 'pip', 'download', WHEEL, '--no-deps', '--only-binary=:all:', '-d', wheelDir],
      { timeoutS: 900 },
    );
    if (!pip.ok) throw new Skip(`pip download ${WHEEL} failed (${pip.why})`);
    wheel = fs.readdirSync(wheelDir).find((f) => f.startsWith('tensorflow_cpu-2.20.0') && f.endsWith('.whl'));
    if (!wheel) throw new Skip(`pip download ${WHEEL} left no wheel in ${wheelDir}`);
  }
  log('extracting the TensorFlow C API (libraries and headers) from the wheel');
  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  const extract = `
import sys, zipfile, os, shutil
wheel, deps = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
heads = ('tensorflow/include/tensorflow/', 'tensorflow/include/tsl/', 'tensorflow/include/xla/tsl/')
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        n = info.filename
        if n in libs:
            dest = os.path.join(deps, 'lib', os.path.basename(n))
        elif n.startswith(heads) and n.endswith('.h'):
            dest = os.path.join(deps, 'include', n[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest + '.part', 'wb') as out:
            shutil.copyfileobj(src, out)
        os.replace(dest + '.part', dest)
`;
  const ex = run(python, ['-c', extract, path.join(wheelDir, wheel), deps], { timeoutS: 600 });
  if (!ex.ok) throw new Skip(`extracting the wheel failed (${ex.why})`);
  const lib = path.join(deps, 'lib');
  fs.writeFileSync(path.join(lib, 'libtensorflow.so'), 'INPUT(libtensorflow_cc.so.2)\n');
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
  log('building the tfjs-node addon with node-gyp against the local Node headers (about a minute)');
  const modulePath = path.join(pkgDir, 'lib', `napi-v${NAPI_BUILD_VERSION}`);
  const build = run(
    process.execPath,
    [
      gyp,
      'rebuild',
      `--nodedir=${nodedir}`,
      '--module_name=tfjs_binding',
      `--module_path=${modulePath}`,
      `--napi_build_version=${NAPI_BUILD_VERSION}`,
      `--jobs=2`,
    ],
    { cwd: pkgDir, timeoutS: 900 },
  );
  if (!build.ok) throw new Skip(`node-gyp rebuild failed (${build.why})`);
  return verify();
}

try {
  if (!flag('force')) {
    const already = verify();
    if (already.ok) {
      log(`ok (already set up: ${already.stdout.trim()})`);
      process.exit(0);
    }
  }
  stagePackage();
  if (
    !flag('force') &&
    fs.existsSync(path.join(pkgDir, 'lib', `napi-v${NAPI_BUILD_VERSION}`, 'tfjs_binding.node'))
  ) {
    // Built before (e.g. `pnpm install` pruned the link since): relinking is enough.
    const relinked = verify();
    if (relinked.ok) {
      log(`ok (relinked the build in .cache/tfjs-node: ${relinked.stdout.trim()})`);
      process.exit(0);
    }
  }
  const nodedir = nodeHeaders();
  let result = flag('from-wheel') ? { ok: false, why: '--from-wheel' } : normalInstall(nodedir);
  if (!result.ok) {
    log(`normal install unavailable (${result.why}); building from the ${WHEEL} wheel`);
    result = wheelInstall(nodedir);
  }
  if (!result.ok) throw new Skip(`the built addon does not load (${result.why})`);
  log(
    `ok (${result.stdout.trim()}); installed in .cache/tfjs-node, linked as node_modules/@tensorflow/tfjs-node`,
  );
} catch (error) {
  const reason = error instanceof Skip ? error.message : `unexpected error: ${error?.message ?? error}`;
  console.log(`setup:tfjs-node: SKIP tensorflow backend: ${reason}`);
  process.exit(3);
}
