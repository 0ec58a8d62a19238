// Reference for bench/nbody.ts: the same float64 splitting algorithm (drift/kick sequence passed in by the
// benchmark, here forestRuth) on the same softened 3D n-body system. Compiled with g++ -O2 at bench time.
// Usage: nbody <state.bin> <N> <steps> <dt> <eps> <warmup> <reps> <ncoef> op0 c0 op1 c1 ...   (op: 0 drift, 1 kick)
// Runs `warmup` untimed then `reps` timed runs from the same initial state.
// Prints: best seconds of the timed runs, then the final state to stdout as binary doubles after a line "STATE".
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

static void force(const double* q, double* f, int n, double eps2) {
  // f = dV/dq for V = -sum_{i<j} 1/sqrt(|qi-qj|^2 + eps^2) (unit masses)
  std::memset(f, 0, sizeof(double) * 3 * n);
  for (int i = 0; i < n; i++) {
    const double xi = q[3 * i], yi = q[3 * i + 1], zi = q[3 * i + 2];
    double fx = 0, fy = 0, fz = 0;
    for (int j = i + 1; j < n; j++) {
      const double dx = xi - q[3 * j], dy = yi - q[3 * j + 1], dz = zi - q[3 * j + 2];
      const double r2 = dx * dx + dy * dy + dz * dz + eps2;
      const double inv = 1.0 / (r2 * std::sqrt(r2));
      const double gx = dx * inv, gy = dy * inv, gz = dz * inv;
      fx += gx; fy += gy; fz += gz;
      f[3 * j] -= gx; f[3 * j + 1] -= gy; f[3 * j + 2] -= gz;
    }
    f[3 * i] += fx; f[3 * i + 1] += fy; f[3 * i + 2] += fz;
  }
}

int main(int argc, char** argv) {
  if (argc < 9) return 2;
  const int n = std::atoi(argv[2]);
  const long steps = std::atol(argv[3]);
  const double dt = std::atof(argv[4]);
  const double eps = std::atof(argv[5]);
  const int warmup = std::atoi(argv[6]);
  const int reps = std::atoi(argv[7]);
  const int ncoef = std::atoi(argv[8]);
  if (argc < 9 + 2 * ncoef) return 2;
  std::vector<int> ops(ncoef);
  std::vector<double> cs(ncoef);
  for (int k = 0; k < ncoef; k++) { ops[k] = std::atoi(argv[9 + 2 * k]); cs[k] = std::atof(argv[10 + 2 * k]); }
  const int d = 3 * n;
  std::vector<double> x0(2 * d);
  FILE* fp = std::fopen(argv[1], "rb");
  if (!fp || std::fread(x0.data(), sizeof(double), 2 * d, fp) != (size_t)(2 * d)) return 3;
  std::fclose(fp);
  std::vector<double> x(2 * d), f(d);
  double best = 1e300;
  for (int r = 0; r < warmup + reps; r++) {
    x = x0;
    double* q = x.data();
    double* p = x.data() + d;
    const double eps2 = eps * eps;
    auto t0 = std::chrono::steady_clock::now();
    for (long s = 0; s < steps; s++) {
      for (int k = 0; k < ncoef; k++) {
        const double h = cs[k] * dt;
        if (ops[k] == 0) {
          for (int i = 0; i < d; i++) q[i] += h * p[i];  // dT/dp = p
        } else {
          force(q, f.data(), n, eps2);
          for (int i = 0; i < d; i++) p[i] -= h * f[i];
        }
      }
    }
    auto t1 = std::chrono::steady_clock::now();
    const double sec = std::chrono::duration<double>(t1 - t0).count();
    if (r >= warmup && sec < best) best = sec;
  }
  std::printf("%.9f\nSTATE\n", best);
  std::fflush(stdout);
  std::fwrite(x.data(), sizeof(double), 2 * d, stdout);
  return 0;
}
