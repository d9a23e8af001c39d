// Hand-written complex arithmetic on (re, im) pairs. Each function writes its result into
// out[0] (real) and out[1] (imaginary) of a caller-owned Float64Array, so inner loops over
// frequencies allocate nothing.

/** out = a / b. */
export function cdiv(ar: number, ai: number, br: number, bi: number, out: Float64Array): void {
  // Smith's algorithm: avoids overflow for large |b|.
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + bi * r;
    out[0] = (ar + ai * r) / d;
    out[1] = (ai - ar * r) / d;
  } else {
    const r = br / bi;
    const d = br * r + bi;
    out[0] = (ar * r + ai) / d;
    out[1] = (ai * r - ar) / d;
  }
}

/** out = 1 / b. */
export function cinv(br: number, bi: number, out: Float64Array): void {
  cdiv(1, 0, br, bi, out);
}

/** out = principal square root of z (branch cut on the negative real axis, Re ≥ 0). */
export function csqrt(re: number, im: number, out: Float64Array): void {
  const m = Math.sqrt(re * re + im * im);
  if (m === 0) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const a = Math.sqrt(0.5 * (m + Math.abs(re)));
  if (re >= 0) {
    out[0] = a;
    out[1] = im / (2 * a);
  } else {
    out[0] = Math.abs(im) / (2 * a);
    out[1] = im >= 0 ? a : -a;
  }
}

/** out = z^p for real p (principal branch). */
export function cpowReal(re: number, im: number, p: number, out: Float64Array): void {
  const m = Math.sqrt(re * re + im * im);
  if (m === 0) {
    out[0] = p === 0 ? 1 : 0;
    out[1] = 0;
    return;
  }
  const mp = Math.pow(m, p);
  const th = Math.atan2(im, re) * p;
  out[0] = mp * Math.cos(th);
  out[1] = mp * Math.sin(th);
}

/** out = tanh(z), stable for large |Re z|. */
export function ctanh(re: number, im: number, out: Float64Array): void {
  if (Math.abs(re) > 20) {
    // tanh → ±1 exponentially fast; the imaginary part is below 4e-17 relative.
    out[0] = Math.sign(re);
    out[1] = 0;
    return;
  }
  const d = Math.cosh(2 * re) + Math.cos(2 * im);
  out[0] = Math.sinh(2 * re) / d;
  out[1] = Math.sin(2 * im) / d;
}

/** out = coth(z) = 1 / tanh(z). */
export function ccoth(re: number, im: number, out: Float64Array): void {
  if (Math.abs(re) > 20) {
    out[0] = Math.sign(re);
    out[1] = 0;
    return;
  }
  const d = Math.cosh(2 * re) - Math.cos(2 * im);
  out[0] = Math.sinh(2 * re) / d;
  out[1] = -Math.sin(2 * im) / d;
}

/** out = 1 / sinh(z) (csch), stable for large |Re z| (goes to 0 instead of overflowing). */
export function ccsch(re: number, im: number, out: Float64Array): void {
  if (Math.abs(re) > 700) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  // sinh(x + iy) = sinh x cos y + i cosh x sin y
  cinv(Math.sinh(re) * Math.cos(im), Math.cosh(re) * Math.sin(im), out);
}
