// L2-regularised logistic regression fitted by IRLS (Newton's method) on aggregated rows: each row is a
// covariate vector with its number of trials and events, so millions of observations fit as a few thousand rows.

export interface AggregatedRow {
  x: number[];
  trials: number;
  events: number;
  /** Added to the row's log-odds and not fitted (a known effect, such as the inspectors' who found or missed). */
  offset?: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  logLikelihood: number;
}

export interface LogisticOptions {
  /** Penalty λ/2·Σβ² on the coefficients (never the intercept), on the summed log-likelihood. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Coefficients forced to zero (features left out of the fit). */
  fixedZero?: boolean[];
  /** Where Newton's method starts (a fit of nearly the same rows converges in a step or two); default the base rate. */
  start?: { intercept: number; coefficients: number[] };
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A·x = b for a symmetric positive definite A (Cholesky); A and b are not modified. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (sum <= 0) throw new Error(`logistic fit: the information matrix is not positive definite at row ${i} (a feature without variation and no L2 penalty?)`);
        l[i][i] = Math.sqrt(sum);
      } else l[i][j] = sum / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

export function fitLogistic(rows: AggregatedRow[], options: LogisticOptions = {}): LogisticFit {
  const { l2 = 0, maxIterations = 100, tolerance = 1e-10 } = options;
  if (rows.length === 0) throw new Error('logistic fit: no training rows');
  const p = rows[0].x.length;
  const fixedZero = options.fixedZero ?? new Array<boolean>(p).fill(false);
  const totalTrials = rows.reduce((s, r) => s + r.trials, 0);
  const totalEvents = rows.reduce((s, r) => s + r.events, 0);
  if (totalEvents <= 0 || totalEvents >= totalTrials) throw new Error(`logistic fit: needs both outcomes (events ${totalEvents} of ${totalTrials} trials)`);
  // beta[0] is the intercept; start from the base rate
  const beta = options.start
    ? [options.start.intercept, ...options.start.coefficients.map((c, j) => (fixedZero[j] ? 0 : c))]
    : [Math.log(totalEvents / (totalTrials - totalEvents)), ...new Array<number>(p).fill(0)];
  const free = [0, ...Array.from({ length: p }, (_, j) => j + 1).filter((j) => !fixedZero[j - 1])];
  let iterations = 0;
  let logLikelihood = -Infinity;
  for (; iterations < maxIterations; iterations++) {
    const m = free.length;
    const gradient = new Array<number>(m).fill(0);
    const hessian = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    logLikelihood = 0;
    for (const row of rows) {
      let z = beta[0] + (row.offset ?? 0);
      for (let j = 0; j < p; j++) z += beta[j + 1] * row.x[j];
      const mu = sigmoid(z);
      const w = row.trials * mu * (1 - mu);
      const residual = row.events - row.trials * mu;
      logLikelihood += row.events * Math.log(Math.max(mu, 1e-300)) + (row.trials - row.events) * Math.log(Math.max(1 - mu, 1e-300));
      for (let a = 0; a < m; a++) {
        const xa = free[a] === 0 ? 1 : row.x[free[a] - 1];
        gradient[a] += residual * xa;
        for (let b = 0; b <= a; b++) {
          const xb = free[b] === 0 ? 1 : row.x[free[b] - 1];
          hessian[a][b] += w * xa * xb;
        }
      }
    }
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) hessian[b][a] = hessian[a][b];
      if (free[a] !== 0) {
        gradient[a] -= l2 * beta[free[a]];
        hessian[a][a] += l2;
        logLikelihood -= (l2 / 2) * beta[free[a]] ** 2;
      }
    }
    const step = solveSpd(hessian, gradient);
    let largest = 0;
    for (let a = 0; a < m; a++) {
      beta[free[a]] += step[a];
      largest = Math.max(largest, Math.abs(step[a]));
    }
    if (largest < tolerance) {
      iterations++;
      break;
    }
  }
  return { intercept: beta[0], coefficients: beta.slice(1), iterations, logLikelihood };
}

