// EIS benchmark: one CNLS fit of R0-p(R1,CPE1)-p(R2,CPE2)-Wo1 on 60 frequencies, the lin-KK test
// and the DRT of the same spectrum, against scipy (Debian's python3-scipy) on the same data in
// the same run, run by this script through child_process. Goal (issue 5): one fit under 10 ms.
// Without python3 or scipy the baseline is skipped with a note. Run: npm run bench -- eis (or
// node --import tsx bench/eis.bench.ts). Prints its section of bench/RESULTS.md on stdout.
import { execFileSync } from 'node:child_process';
import { circuitImpedance } from '../dist/analysis/eis/circuit.js';
import { drt } from '../dist/analysis/eis/drt.js';
import { fitCircuit } from '../dist/analysis/eis/fit-circuit.js';
import { linKK } from '../dist/analysis/eis/lin-kk.js';
import { seededRandom } from '../dist/analysis/fit/random.js';
import { machineLine, medianMs } from './machine.js';

const machine = machineLine();
const CIRCUIT = 'R0-p(R1,CPE1)-p(R2,CPE2)-Wo1';
const TRUTH = [0.02, 0.015, 2e-3, 0.85, 0.03, 0.5, 0.75, 0.05, 300];
const GUESS = TRUTH.map((v, k) => (k === 3 || k === 6 ? 0.8 : v * (k % 2 ? 1.6 : 0.6)));
const f = Float64Array.from({ length: 60 }, (_, k) => 1e5 * Math.pow(1e-7, k / 59));
const z = circuitImpedance(CIRCUIT, TRUTH, f);
const rng = seededRandom(1);
const zr = z.re.map((v, k) => v + 0.005 * Math.hypot(z.re[k]!, z.im[k]!) * rng.normal());
const zi = z.im.map((v, k) => v + 0.005 * Math.hypot(z.re[k]!, z.im[k]!) * rng.normal());
const spectrum = { frequencyHz: f, zReal: zr, zImag: zi };

const one = medianMs(() => fitCircuit(spectrum, CIRCUIT, { initialGuess: GUESS, starts: 1 }), 50, 20);
const eight = medianMs(() => fitCircuit(spectrum, CIRCUIT, { initialGuess: GUESS, starts: 8 }), 10, 3);
const kk = medianMs(() => linKK(spectrum), 20, 5);
const dr = medianMs(() => drt(spectrum), 10, 2);

// The same problems in scipy: least_squares ('trf', bounds like impedance.py's curve_fit; forward
// differences) on the same stacked residuals; lin-KK with numpy's pinv; DRT with the same
// matrices, GCV on a grid plus a bounded scalar search, and scipy.optimize.nnls.
const py = String.raw`
import json, sys, time, numpy as np, scipy
from scipy.optimize import least_squares, nnls, minimize_scalar
d = json.loads(sys.stdin.read())
f = np.array(d['f']); Z = np.array(d['zr']) + 1j*np.array(d['zi']); g0 = np.array(d['guess'])
w = 2*np.pi*f
def model(p):
    R0,R1,Q1,a1,R2,Q2,a2,Z0,tau = p
    cpe1 = 1/(Q1*(1j*w)**a1); cpe2 = 1/(Q2*(1j*w)**a2)
    s = np.sqrt(1j*w*tau); wo = Z0/(s*np.tanh(s))
    return R0 + 1/(1/R1 + 1/cpe1) + 1/(1/R2 + 1/cpe2) + wo
def res(p):
    e = model(p) - Z
    return np.concatenate([e.real, e.imag])
lo = np.zeros(9); hi = np.full(9, np.inf); hi[3] = 1; hi[6] = 1
cpu = {}
def med(fn, n, key=None):
    fn(); ts = []; c0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter(); r = fn(); ts.append(time.perf_counter() - t0)
    cpu[key] = (time.process_time() - c0)/n*1000
    return float(np.median(ts))*1000, r
fit_ms, r = med(lambda: least_squares(res, g0, bounds=(lo, hi), method='trf', ftol=1e-13, xtol=1e-12, gtol=1e-12, max_nfev=100000), 20, 'fit')
mod = np.abs(Z)
def linkk():
    M = 0; mu = 1
    while mu > 0.85 and M < 50:
        M += 1
        tmin, tmax = 1/(2*np.pi*f.max()), 1/(2*np.pi*f.min())
        ts = np.logspace(np.log10(tmin), np.log10(tmax), M) if M > 1 else np.array([tmin])
        A = np.zeros((f.size, M+2)); A[:,0] = 1/mod
        for k, t in enumerate(ts): A[:,k+1] = (1/(1+1j*w*t)).real/mod
        x = np.linalg.pinv(A).dot(Z.real/mod)
        Rk = x[1:M+1]; neg = -Rk[Rk<0].sum(); pos = Rk[Rk>=0].sum(); mu = 1 - neg/pos
    return M, mu
kk_ms, kkr = med(linkk, 20, 'kk')
def drt():
    lt = np.sort(-np.log(f)); N = f.size; eps = 0.5*2*np.sqrt(np.log(2))/np.mean(np.diff(lt))
    half = 6.5/eps; nq = max(201, int(np.ceil(2*half/0.01))); nq += (nq % 2 == 0)
    x = np.linspace(-half, half, nq); h = x[1]-x[0]
    sw = np.ones(nq); sw[1:-1:2] = 4; sw[2:-1:2] = 2; qw = sw*h/3*np.exp(-(eps*x)**2)
    alpha = w[:,None]*np.exp(lt)[None,:]
    T = alpha[:,:,None]*np.exp(x)[None,None,:]; D = 1/(1+T*T)
    Are = (D*qw).sum(-1); Aim = -(T*D*qw).sum(-1)
    A = np.zeros((2*N, N+2)); A[:N,0] = 1; A[N:,1] = w; A[:N,2:] = Are; A[N:,2:] = Aim
    sc = np.ones(N+2); sc[:2] = 1/np.linalg.norm(A[:,:2], axis=0); A = A*sc
    b = np.concatenate([Z.real, Z.imag])
    dd = lt[:,None]-lt[None,:]; a = eps*eps/2; c = np.sqrt(np.pi/2)/eps
    Mp = np.zeros((N+2, N+2)); Mp[2:,2:] = c*np.exp(-a*dd*dd)*(2*a-4*a*a*dd*dd)
    AtA = A.T@A; Atb = A.T@b
    def gcv(ll):
        H = AtA + np.exp(ll)*Mp + 1e-13*AtA.diagonal().max()*np.eye(N+2)
        K = A@np.linalg.solve(H, A.T); r = b - K@b
        return (r@r)/(2*N)/((2*N - np.trace(K))/(2*N))**2
    grid = np.linspace(np.log(1e-7), 0, 15); s = [gcv(g) for g in grid]; k = int(np.argmin(s))
    opt = minimize_scalar(gcv, bounds=(grid[max(k-1,0)], grid[min(k+1,14)]), method='bounded', options={'xatol':1e-2})
    lam = np.exp(opt.x)
    L = np.linalg.cholesky(Mp[2:,2:] + 1e-10*np.eye(N)); Lfull = np.zeros((N, N+2)); Lfull[:,2:] = np.sqrt(lam)*L.T
    xs, _ = nnls(np.vstack([A, Lfull]), np.concatenate([b, np.zeros(N)]), maxiter=50*(N+2))
    return lam, xs
drt_ms, dres = med(drt, 5, 'drt')
print(json.dumps({'scipy': scipy.__version__, 'numpy': np.__version__, 'fit_ms': fit_ms, 'fit_cpu_ms': cpu['fit'], 'kk_cpu_ms': cpu['kk'], 'drt_cpu_ms': cpu['drt'], 'fit_cost': float(2*r.cost), 'fit_nfev': int(r.nfev),
  'kk_ms': kk_ms, 'kk_M': int(kkr[0]), 'kk_mu': float(kkr[1]), 'drt_ms': drt_ms, 'drt_lambda': float(dres[0])}))
`;
/** Why the scipy baseline cannot run here, or undefined when it can. */
function baselineMissing(python: string): string | undefined {
  try {
    execFileSync(python, ['-c', 'import numpy, scipy'], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') return `${python} not found`;
    return `scipy not importable (${
      String(err.stderr ?? '')
        .trim()
        .split('\n')
        .pop() ?? 'error'
    })`;
  }
}

const PYTHON = '/usr/bin/python3';
let scipyOut: Record<string, number | string> | string;
const missing = baselineMissing(PYTHON);
if (missing !== undefined)
  scipyOut = `scipy baseline skipped: ${missing}; install Debian's python3-scipy (apt-get install -y python3-scipy).`;
else
  try {
    scipyOut = JSON.parse(
      execFileSync(PYTHON, ['-c', py], {
        input: JSON.stringify({ f: Array.from(f), zr: Array.from(zr), zi: Array.from(zi), guess: GUESS }),
        encoding: 'utf8',
      }),
    ) as Record<string, number | string>;
  } catch (e) {
    scipyOut = `scipy baseline failed: ${e instanceof Error ? e.message.split('\n').slice(-3).join(' ') : String(e)}`;
  }

const fmt = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const s = typeof scipyOut === 'string' ? undefined : scipyOut;
/** "2.1× faster" or "1.6× slower" of discern against the baseline (wall time). */
const ratio = (ours: number, base: unknown): string =>
  typeof base !== 'number'
    ? '-'
    : base >= ours
      ? `${(base / ours).toFixed(1)}× faster`
      : `${(ours / base).toFixed(1)}× slower`;
const cell = (t: { ms: number; cpuMs: number }): string => `${fmt(t.ms)} ms (CPU ${fmt(t.cpuMs)} ms)`;
const pyCell = (key: string, what: string): string =>
  s ? `${fmt(s[`${key}_ms`] as number)} ms (CPU ${fmt(s[`${key}_cpu_ms`] as number)} ms); ${what}` : '-';
const lines = [
  `## EIS fit, lin-KK and DRT (bench/eis.bench.ts), ${new Date().toISOString().slice(0, 10)}`,
  '',
  machine,
  `Spectrum: ${CIRCUIT}, 60 frequencies 1e5..1e-2 Hz, 0.5 % noise (seed 1); same data and initial guess for both.`,
  'Median wall time of repeated runs in one process (warm JIT), and the mean CPU time per run; on a shared machine the CPU time is the steadier figure.',
  '',
  '| task | discern | scipy baseline | wall-time ratio |',
  '|---|---|---|---|',
  `| CNLS fit, 1 start (Σr² ${one.last.chiSquare.toExponential(4)}, ${one.last.iterations} iterations, ${one.last.evaluations} evaluations) | ${cell(one)} | ${pyCell('fit', s ? `least_squares trf, Σr² ${(s['fit_cost'] as number).toExponential(4)}, ${s['fit_nfev']} nfev` : '')} | ${ratio(one.ms, s?.['fit_ms'])} |`,
  `| CNLS fit, 8 starts | ${cell(eight)} | - | - |`,
  `| lin-KK (M = ${kk.last.M}, μ = ${kk.last.mu.toFixed(4)}) | ${cell(kk)} | ${pyCell('kk', s ? `numpy pinv, M = ${s['kk_M']}, μ = ${(s['kk_mu'] as number).toFixed(4)}` : '')} | ${ratio(kk.ms, s?.['kk_ms'])} |`,
  `| DRT with GCV (λ = ${dr.last.lambda.toExponential(2)}) | ${cell(dr)} | ${pyCell('drt', s ? `numpy + scipy nnls, λ = ${(s['drt_lambda'] as number).toExponential(2)}` : '')} | ${ratio(dr.ms, s?.['drt_ms'])} |`,
  '',
  `Goal: one fit under 10 ms: ${fmt(one.ms)} ms wall, ${fmt(one.cpuMs)} ms CPU, ${one.ms < 10 ? 'met' : one.cpuMs < 10 ? 'met in CPU time only (wall time inflated by the load)' : 'NOT met'}.`,
  s
    ? `Baseline: scipy ${s['scipy']}, numpy ${s['numpy']} (Debian python3), run by this script. impedance.py itself is not installed here (no PyPI); its fit is scipy's curve_fit/least_squares on the same residuals.`
    : `Note: ${String(scipyOut)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
