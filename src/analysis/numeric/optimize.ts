/** Result of a minimisation: the best point, its cost, and whether the tolerance was met. */
export interface MinimizeResult {
  x: number[];
  cost: number;
  iterations: number;
  converged: boolean;
}

/** A box constraint [lower, upper] per parameter. */
export type Bounds = readonly (readonly [number, number])[];

function clampTo(x: number[], bounds?: Bounds): number[] {
  if (bounds === undefined) return x;
  return x.map((v, i) => Math.min(bounds[i]![1], Math.max(bounds[i]![0], v)));
}

/**
 * Nelder–Mead simplex minimisation; with `bounds`, trial points are clamped into the box.
 * Deterministic (no randomness).
 * @example nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: { bounds?: Bounds; maxIterations?: number; tolerance?: number; step?: number } = {},
): MinimizeResult {
  const n = x0.length;
  const maxIt = options.maxIterations ?? 500 * n;
  const tol = options.tolerance ?? 1e-10;
  const bounds = options.bounds;
  const cost = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: number[][] = [clampTo([...x0], bounds)];
  for (let i = 0; i < n; i++) {
    const p = [...x0];
    const span = bounds ? bounds[i]![1] - bounds[i]![0] : Math.abs(p[i]!) || 1;
    const step = (options.step ?? 0.05) * (span > 0 ? span : 1);
    p[i] = p[i]! + step;
    let q = clampTo(p, bounds);
    if (q[i] === x0[i]) {
      p[i] = x0[i]! - step;
      q = clampTo(p, bounds);
    }
    simplex.push(q);
  }
  let values = simplex.map(cost);
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const s = order.map((i) => simplex[i]!);
    const v = order.map((i) => values[i]!);
    simplex.splice(0, simplex.length, ...s);
    values = v;
    if (Math.abs(values[n]! - values[0]!) <= tol * (Math.abs(values[0]!) + tol)) {
      let spread = 0;
      for (let i = 1; i <= n; i++)
        for (let j = 0; j < n; j++) spread = Math.max(spread, Math.abs(simplex[i]![j]! - simplex[0]![j]!));
      if (spread < 1e-9 || values[n]! - values[0]! === 0) {
        converged = true;
        break;
      }
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
    const worst = simplex[n]!;
    const along = (t: number): number[] =>
      clampTo(
        centroid.map((c, j) => c + t * (c - worst[j]!)),
        bounds,
      );
    const xr = along(1);
    const fr = cost(xr);
    if (fr < values[0]!) {
      const xe = along(2);
      const fe = cost(xe);
      if (fe < fr) {
        simplex[n] = xe;
        values[n] = fe;
      } else {
        simplex[n] = xr;
        values[n] = fr;
      }
    } else if (fr < values[n - 1]!) {
      simplex[n] = xr;
      values[n] = fr;
    } else {
      const xc = fr < values[n]! ? along(0.5) : along(-0.5);
      const fc = cost(xc);
      if (fc < Math.min(fr, values[n]!)) {
        simplex[n] = xc;
        values[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = clampTo(
            simplex[i]!.map((x, j) => simplex[0]![j]! + 0.5 * (x - simplex[0]![j]!)),
            bounds,
          );
          values[i] = cost(simplex[i]!);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[best]!) best = i;
  return { x: simplex[best]!, cost: values[best]!, iterations: it, converged };
}

/** A small seeded pseudo-random generator (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Differential evolution (DE/best/1/bin with dithering) inside `bounds`, seeded so that a run is
 * reproducible, followed by a Nelder–Mead polish of the best member.
 */
export function differentialEvolution(
  f: (x: readonly number[]) => number,
  bounds: Bounds,
  options: {
    seed?: number;
    population?: number;
    maxGenerations?: number;
    tolerance?: number;
    polish?: boolean;
  } = {},
): MinimizeResult {
  const n = bounds.length;
  const rand = seededRandom(options.seed ?? 1);
  const np = options.population ?? Math.max(15 * n, 20);
  const maxGen = options.maxGenerations ?? 1000;
  const tol = options.tolerance ?? 1e-10;
  const cost = (x: readonly number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pop: number[][] = [];
  for (let i = 0; i < np; i++) pop.push(bounds.map(([lo, hi]) => lo + rand() * (hi - lo)));
  const val = pop.map(cost);
  let gen = 0;
  let converged = false;
  for (; gen < maxGen; gen++) {
    let best = 0;
    for (let i = 1; i < np; i++) if (val[i]! < val[best]!) best = i;
    let m = 0;
    for (const v of val) m += v / np;
    let sd = 0;
    for (const v of val) sd += (v - m) ** 2 / np;
    if (Math.sqrt(sd) <= tol * Math.abs(m) + 1e-300) {
      converged = true;
      break;
    }
    const fWeight = 0.5 + 0.5 * rand();
    for (let i = 0; i < np; i++) {
      let r1 = i;
      let r2 = i;
      while (r1 === i) r1 = Math.floor(rand() * np);
      while (r2 === i || r2 === r1) r2 = Math.floor(rand() * np);
      const jr = Math.floor(rand() * n);
      const trial = pop[i]!.map((x, j) => {
        if (j !== jr && rand() >= 0.7) return x;
        const v = pop[best]![j]! + fWeight * (pop[r1]![j]! - pop[r2]![j]!);
        const [lo, hi] = bounds[j]!;
        return v < lo || v > hi ? lo + rand() * (hi - lo) : v;
      });
      const ft = cost(trial);
      if (ft <= val[i]!) {
        pop[i] = trial;
        val[i] = ft;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < np; i++) if (val[i]! < val[best]!) best = i;
  let result: MinimizeResult = { x: pop[best]!, cost: val[best]!, iterations: gen, converged };
  if (options.polish !== false) {
    const p = nelderMead(f, pop[best]!, { bounds, step: 0.001 });
    if (p.cost <= result.cost) result = { ...p, iterations: gen + p.iterations, converged };
  }
  return result;
}
