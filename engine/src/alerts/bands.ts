// What an alert's evidence chart draws: each week of its series with the count the cell's baseline predicts and the
// central 95% range around it (Poisson for complaints; binomial over the week's visits for findings), and the report
// as the alerts page reads it (ids, JSON-safe ratios, banded weeks).
import { lnGamma } from './stats.ts';
import type { AlertReport, RegionalAlert } from './alerts.ts';
import type { AlertReportView, BandedWeek } from './schemas.ts';

/** Smallest k with P(X <= k) >= p for X ~ Poisson(mean). */
export function poissonQuantile(p: number, mean: number): number {
  if (!(mean > 0)) return 0;
  let cdf = 0;
  for (let k = 0; ; k++) {
    cdf += Math.exp(-mean + k * Math.log(mean) - lnGamma(k + 1));
    if (cdf >= p || k > mean + 50 * Math.sqrt(mean) + 50) return k;
  }
}

/** Smallest k with P(X <= k) >= p for X ~ Binomial(n, rate). */
export function binomialQuantile(p: number, n: number, rate: number): number {
  if (n <= 0 || rate <= 0) return 0;
  if (rate >= 1) return n;
  let cdf = 0;
  const lnN = lnGamma(n + 1);
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(lnN - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(rate) + (n - k) * Math.log1p(-rate));
    if (cdf >= p) return k;
  }
  return n;
}

/** Each week of an alert's series with its expected count and 95% band, from the same baseline the test used. */
export function expectedBand(alert: RegionalAlert, baselineWeeks: number): BandedWeek[] {
  const windowWeeks = alert.window.weeks;
  if (alert.kind === 'complaints') {
    const perWeek = { baseline: alert.baselineCount / baselineWeeks, window: alert.expected / windowWeeks };
    return alert.series.map((w) => {
      const mean = perWeek[w.period];
      return { ...w, expected: mean, low: poissonQuantile(0.025, mean), high: poissonQuantile(0.975, mean) };
    });
  }
  const rate = {
    baseline: alert.baselineRate ?? 0,
    window: alert.windowVisits ? alert.expected / alert.windowVisits : (alert.baselineRate ?? 0),
  };
  return alert.series.map((w) => {
    const visits = w.visits ?? 0;
    const r = rate[w.period];
    return { ...w, expected: visits * r, low: binomialQuantile(0.025, visits, r), high: binomialQuantile(0.975, visits, r) };
  });
}

/** An alert's stable id: kind, region and industry (one alert per cell and kind). */
export const alertId = (a: Pick<RegionalAlert, 'kind' | 'regionCode' | 'industryCode'>) => `${a.kind}:${a.regionCode}:${a.industryCode}`;

/**
 * The report as the alerts page reads it: each alert with its id, a JSON-safe ratio, the expected band on its series and
 * the items a special draw on it starts from.
 */
export function alertReportView(report: AlertReport, itemsByIndustry: ReadonlyMap<string, string[]> = new Map()): AlertReportView {
  return {
    ...report,
    alerts: report.alerts.map((a) => ({
      ...a,
      id: alertId(a),
      items: itemsByIndustry.get(a.industryCode) ?? [],
      ratio: Number.isFinite(a.ratio) ? a.ratio : null,
      series: expectedBand(a, report.settings.baselineWeeks),
    })),
  };
}
