import * as tf from '@tensorflow/tfjs';
import { type JetLayout, termsOf, widthOf } from './jet';
import { type CustomNodeBackward, customNode } from './custom-node';
import type { RowJet } from './row-jet';
import type { UnaryTaylorSpec } from './taylor-rule';
import { fastPaths } from '../fast-paths';
import { type ProductTerm, sumsOfProducts } from '../wasm-kernels/sum-of-products-kernel';

/** φ^(n)(x0) = `scale` · `t` (`t` null for an identically zero derivative). */
type Phi = (n: number) => { t: tf.Tensor | null; scale: number };

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** φ's derivatives 1..count from the spec (`raw[n - 1]`, null for zero) as a {@link Phi}. */
function phiFrom(spec: UnaryTaylorSpec, raw: readonly (tf.Tensor | null | undefined)[]): Phi {
  const normalized = spec.normalized === true;
  return (n) => ({ t: raw[n - 1] ?? null, scale: normalized ? factorial(n) : 1 });
}

/** A sum of tensors by pairwise Add kernels (tfjs-wasm's AddN is slower than Adds for a few same-shape terms). */
function sumAll(ts: readonly tf.Tensor[]): tf.Tensor {
  return ts.reduce((a, b) => tf.add(a, b));
}

/**
 * One product of a Faà di Bruno term of output row (k, ro): `factors[j] = [i, r]` is row r of input
 * coefficient i; `weight` = the term's multiset weight (1 / Π m_v!).
 */
interface Instance {
  readonly k: number;
  readonly ro: number;
  readonly n: number;
  readonly weight: number;
  readonly factors: readonly (readonly [number, number])[];
}

/**
 * Every product of the Faà di Bruno sum, row by row, exactly as `composeUnary` (jet.ts) forms them: row ro of
 * coefficient k takes row ro of each factor (directions below order k have no row there); in collapsed mode a
 * coefficient k >= 2 is one row, the sum over the direction rows r of the products (a width-1 factor stands in
 * every row).
 */
function instancesOf(layout: JetLayout): Instance[] {
  const out: Instance[] = [];
  for (let k = 1; k <= layout.order; k++) {
    for (const { n, weight, parts } of termsOf(k)) {
      if (layout.collapsed && k >= 2) {
        const rows = Math.max(...parts.map((i) => widthOf(layout, i)));
        for (let r = 0; r < rows; r++) {
          const factors = parts.map((i): [number, number] => [i, widthOf(layout, i) > 1 ? r : 0]);
          out.push({ k, ro: 0, n, weight, factors });
        }
      } else {
        for (let ro = 0; ro < widthOf(layout, k); ro++) {
          out.push({ k, ro, n, weight, factors: parts.map((i): [number, number] => [i, ro]) });
        }
      }
    }
  }
  return out;
}

const INSTANCES = new Map<string, Instance[]>();
function cachedInstances(layout: JetLayout): Instance[] {
  const key = `${layout.order}|${layout.widths.join(',')}|${layout.collapsed}`;
  let list = INSTANCES.get(key);
  if (list === undefined) INSTANCES.set(key, (list = instancesOf(layout)));
  return list;
}

/** Products of input rows, each computed once (prefixes shared); `null` when a factor is a zero row. */
function productsOf(row: (i: number, r: number) => tf.Tensor | null) {
  const cache = new Map<string, tf.Tensor | null>();
  return (factors: readonly (readonly [number, number])[]): tf.Tensor | null => {
    let acc: tf.Tensor | null = null;
    let key = '';
    for (const [i, r] of factors) {
      key += `${i}.${r},`;
      const known = cache.get(key);
      if (known !== undefined) {
        acc = known;
        if (acc === null) return null;
        continue;
      }
      const f = row(i, r);
      acc = f === null ? null : acc === null ? f : acc === f ? tf.square(f) : tf.mul(acc, f);
      cache.set(key, acc);
      if (acc === null) return null;
    }
    return acc;
  };
}

/** Σ_c c · t over (constant, tensor) pairs, grouping equal constants (one scaling kernel per distinct c). */
function weightedSum(parts: readonly { c: number; t: tf.Tensor }[]): tf.Tensor {
  const byC = new Map<number, tf.Tensor[]>();
  for (const { c, t } of parts) byC.set(c, [...(byC.get(c) ?? []), t]);
  const terms = [...byC].map(([c, ts]) => {
    const s = sumAll(ts);
    return c === 1 ? s : tf.mul(s, c);
  });
  return sumAll(terms);
}

/** Σ_n φ^(n) · (Σ c · t) over contributions grouped by the derivative order n they carry. */
function byOrder(phi: Phi, parts: readonly { n: number; c: number; t: tf.Tensor }[]): tf.Tensor | null {
  const orders = [...new Set(parts.map((p) => p.n))];
  const terms: tf.Tensor[] = [];
  for (const n of orders) {
    const { t, scale } = phi(n);
    if (t === null) continue;
    const inner = weightedSum(parts.filter((p) => p.n === n).map((p) => ({ c: p.c * scale, t: p.t })));
    terms.push(tf.mul(inner, t));
  }
  return terms.length === 0 ? null : sumAll(terms);
}

/**
 * The row-layout jet of `y = φ(x)` for an elementwise φ given by `spec`, as ONE tape node with a hand-written
 * gradient (a multi-output custom-gradient op), instead of the tens of products, sums and tape clones that
 * differentiating the Faà di Bruno sum kernel by kernel records. Its gradient is the exact adjoint of the sum:
 * with respect to each input row, and with respect to x0 through φ^(n+1). It saves x0, y0, the input rows and
 * φ's derivatives (see {@link customNode}); when its own gradient is recorded (a Hessian-vector product in the
 * weights) it recomputes the derivatives from the saved x0 and y0, so that the second derivative is exact too.
 */
export function rowUnary(spec: UnaryTaylorSpec, at: { x: RowJet; y0: tf.Tensor; layout: JetLayout }): RowJet {
  const { x, y0, layout } = at;
  const x0 = x.primal;
  const instances = cachedInstances(layout);
  const inputs: Record<string, tf.Tensor> = { x0 };
  const names: string[] = [];
  const zRows: tf.Tensor[] = [];
  x.rows.forEach((c, k) =>
    c.forEach((row, r) => {
      if (row === null) return;
      const name = `z${k + 1}_${r}`;
      inputs[name] = row;
      names.push(name);
      zRows.push(row);
    }),
  );
  const index = new Map(names.map((name, j) => [name, j]));
  const rowFrom = (list: readonly tf.Tensor[]) => (i: number, r: number) => {
    const j = index.get(`z${i}_${r}`);
    return j === undefined ? null : list[j];
  };
  // the output rows the forward produced, in order
  const produced: [number, number][] = [];
  // φ's derivatives 1..K+1 (K+1 for the gradient with respect to x0), saved as distinct tensors
  let derivativeSlots: number[] = [];
  const forward = (depth: number) => {
    const raw = spec.derivatives(x0, y0, layout.order + (depth > 0 ? 1 : 0));
    const phi = phiFrom(spec, raw);
    const distinct = [...new Set(raw.filter((t): t is tf.Tensor => t !== null && t !== undefined))];
    derivativeSlots = raw.map((t) => (t === null || t === undefined ? -1 : distinct.indexOf(t)));
    const save = [x0, y0, ...zRows, ...distinct];
    const fused = fusedForward(phi, rowFrom(zRows));
    if (fused !== undefined) {
      produced.push(...fused.produced);
      return { outputs: fused.outputs, save };
    }
    const product = productsOf(rowFrom(zRows));
    const sums = new Map<string, { n: number; c: number; t: tf.Tensor }[]>();
    for (const inst of instances) {
      if (phi(inst.n).t === null) continue;
      const p = product(inst.factors);
      if (p === null) continue;
      const key = `${inst.k}.${inst.ro}`;
      sums.set(key, [...(sums.get(key) ?? []), { n: inst.n, c: inst.weight, t: p }]);
    }
    const outputs: tf.Tensor[] = [];
    for (const [key, parts] of sums) {
      const value = byOrder(phi, parts);
      if (value === null) continue;
      const [k, ro] = key.split('.').map(Number);
      produced.push([k, ro]);
      outputs.push(value);
    }
    return { outputs, save };
  };
  // the forward's output rows, each as one sum of products (wasm SIMD); undefined: the tf path runs
  const fusedForward = (phi: Phi, row: (i: number, r: number) => tf.Tensor | null) => {
    if (!fastPaths.fusedRowSums) return undefined;
    const sums = new Map<string, ProductTerm[]>();
    for (const inst of instances) {
      const { t, scale } = phi(inst.n);
      const rows = inst.factors.map(([i, r]) => row(i, r));
      if (t === null || rows.some((f) => f === null)) continue;
      const key = `${inst.k}.${inst.ro}`;
      sums.set(key, [
        ...(sums.get(key) ?? []),
        { c: inst.weight * scale, factors: [t, ...(rows as tf.Tensor[])] },
      ]);
    }
    const outputs = sumsOfProducts([...sums.values()]);
    if (outputs === undefined) return undefined;
    const rowsOut = [...sums.keys()].map((key) => key.split('.').map(Number) as [number, number]);
    return { outputs, produced: rowsOut };
  };
  // the gradients as sums of products (wasm SIMD, only when this backward is not recorded); undefined: tf path
  const fusedBackward = (
    phi: Phi,
    row: (i: number, r: number) => tf.Tensor | null,
    grad: Map<string, tf.Tensor>,
  ): Record<string, tf.Tensor | undefined> | undefined => {
    if (!fastPaths.fusedRowSums || tf.getBackend() !== 'wasm') return undefined;
    const dx: ProductTerm[] = [];
    const dz = new Map<string, ProductTerm[]>();
    for (const inst of instances) {
      const g = grad.get(`${inst.k}.${inst.ro}`);
      if (g === undefined) continue;
      const { n, weight, factors } = inst;
      const rows = factors.map(([i, r]) => row(i, r));
      const next = phi(n + 1);
      if (next.t !== null && rows.every((f) => f !== null)) {
        dx.push({ c: weight * next.scale, factors: [next.t, g, ...(rows as tf.Tensor[])] });
      }
      const { t, scale } = phi(n);
      if (t === null) continue;
      const seen = new Set<string>();
      factors.forEach(([i, r], j) => {
        const name = `z${i}_${r}`;
        if (seen.has(name) || !index.has(name)) return;
        seen.add(name);
        const m = factors.filter(([a, b]) => a === i && b === r).length;
        const others = rows.filter((_, q) => q !== j);
        if (others.some((f) => f === null)) return;
        dz.set(name, [
          ...(dz.get(name) ?? []),
          { c: weight * m * scale, factors: [t, g, ...(others as tf.Tensor[])] },
        ]);
      });
    }
    const wanted = [['x0', dx] as const, ...dz].filter(([, terms]) => terms.length > 0);
    if (wanted.length === 0) return {};
    const values = sumsOfProducts(wanted.map(([, terms]) => terms));
    if (values === undefined) return undefined;
    const grads: Record<string, tf.Tensor | undefined> = {};
    wanted.forEach(([name], j) => (grads[name] = values[j]));
    return grads;
  };
  const backward = ({ dys, saved, recorded }: CustomNodeBackward) => {
    const [xs, ys, ...rest] = saved;
    const zs = rest.slice(0, zRows.length);
    const kept = rest.slice(zRows.length);
    // recorded for a higher-order gradient: the derivatives are recomputed from the saved x0 and y0 (clones on
    // the tape, so they depend on x0); otherwise the saved derivative tensors serve as they are
    const phi = phiFrom(
      spec,
      recorded
        ? spec.derivatives(xs, ys, layout.order + 1)
        : derivativeSlots.map((j) => (j < 0 ? null : kept[j])),
    );
    const grad = new Map(produced.map(([k, ro], j) => [`${k}.${ro}`, dys[j]]));
    const fused = recorded ? undefined : fusedBackward(phi, rowFrom(zs), grad);
    if (fused !== undefined) {
      const grads: Record<string, tf.Tensor> = { x0: fused.x0 ?? tf.zerosLike(xs) };
      names.forEach((name, j) => (grads[name] = fused[name] ?? tf.zerosLike(zs[j])));
      return grads;
    }
    const product = productsOf(rowFrom(zs));
    const dx: { n: number; c: number; t: tf.Tensor }[] = [];
    const dz = new Map<string, { n: number; c: number; t: tf.Tensor }[]>();
    for (const inst of instances) {
      const g = grad.get(`${inst.k}.${inst.ro}`);
      if (g === undefined) continue;
      const { n, weight, factors } = inst;
      if (phi(n + 1).t !== null) {
        const p = product(factors);
        if (p !== null) dx.push({ n: n + 1, c: weight, t: tf.mul(p, g) });
      }
      if (phi(n).t === null) continue;
      const seen = new Set<string>();
      factors.forEach(([i, r], j) => {
        const name = `z${i}_${r}`;
        if (seen.has(name) || !index.has(name)) return;
        seen.add(name);
        const m = factors.filter(([a, b]) => a === i && b === r).length;
        const others = factors.filter((_, q) => q !== j);
        const restProduct = others.length === 0 ? null : product(others);
        if (others.length > 0 && restProduct === null) return;
        const list = dz.get(name) ?? [];
        list.push({ n, c: weight * m, t: restProduct === null ? g : tf.mul(restProduct, g) });
        dz.set(name, list);
      });
    }
    const grads: Record<string, tf.Tensor> = { x0: byOrder(phi, dx) ?? tf.zerosLike(xs) };
    names.forEach((name, j) => {
      const parts = dz.get(name);
      grads[name] = (parts === undefined ? null : byOrder(phi, parts)) ?? tf.zerosLike(zs[j]);
    });
    return grads;
  };
  const outs = customNode({ inputs, forward, backward });
  const rows: (tf.Tensor | null)[][] = x.rows.map((_, k) =>
    new Array<null>(widthOf(layout, k + 1)).fill(null),
  );
  produced.forEach(([k, ro], j) => (rows[k - 1][ro] = outs[j]));
  return { primal: y0, rows };
}
