"""The expected values of AbResultsTests, computed outside Fulcrum with NumPy and SciPy.

Run: python3 ab_results_fixture.py  (NumPy and SciPy; checked with SciPy 1.17).
It prints, per metric, control, treatment, lift, the 95% interval of the lift and the p-value, in
the order the test's expect(...) calls take them. The per-user arrays are the test's fixture:

  exposures   2 1 4 3 | 3 2 4
  clicks      1 0 2 1 | 2 1 3
  plays       1 0 1 2 | 2 1 1
  watch s     1 2 3 4 | 2 4 6
  completions 1 0 2 1 | 1 2 0     (number of completion events)
  completion  .5 0 1.5 .25 | 1 1 0 (sum of completion ratios)
  shares      0 0 1 0 | 1 0 0
"""
import numpy as np
from scipy import stats

Z = stats.norm.ppf(0.975)

control = dict(
    exposures=[2, 1, 4, 3], clicks=[1, 0, 2, 1], plays=[1, 0, 1, 2], watch=[1, 2, 3, 4],
    completions=[1, 0, 2, 1], completion=[0.5, 0, 1.5, 0.25], shares=[0, 0, 1, 0])
ple = dict(
    exposures=[3, 2, 4], clicks=[2, 1, 3], plays=[2, 1, 1], watch=[2, 4, 6],
    completions=[1, 2, 0], completion=[1, 1, 0], shares=[1, 0, 0])


def lift(c, var_c, t, var_t):
    """Relative lift t/c - 1 and the standard error of t - c relative to c, the estimates independent."""
    return t / c - 1, np.sqrt(var_t + var_c) / abs(c)


def per_user(name):
    c, t = np.array(control[name], float), np.array(ple[name], float)
    l, se = lift(c.mean(), c.var(ddof=1) / len(c), t.mean(), t.var(ddof=1) / len(t))
    p = stats.ttest_ind(t, c, equal_var=False).pvalue
    return c.mean(), t.mean(), l, l - Z * se, l + Z * se, p


def ratio_variance(x, y):
    """Deng et al.'s delta-method variance of sum(x) / sum(y) over n users."""
    n, mx, my = len(x), x.mean(), y.mean()
    cov = np.cov(x, y, ddof=1)
    return (cov[0, 0] / my**2 - 2 * mx * cov[0, 1] / my**3 + mx**2 * cov[1, 1] / my**4) / n


def rate(numerator, denominator):
    cx, cy = np.array(control[numerator], float), np.array(control[denominator], float)
    tx, ty = np.array(ple[numerator], float), np.array(ple[denominator], float)
    rc, rt = cx.sum() / cy.sum(), tx.sum() / ty.sum()
    vc, vt = ratio_variance(cx, cy), ratio_variance(tx, ty)
    l, se = lift(rc, vc, rt, vt)
    p = 2 * stats.norm.sf(abs(rt - rc) / np.sqrt(vc + vt))
    return rc, rt, l, l - Z * se, l + Z * se, p


for metric, row in [
    ("watch_time_per_user", per_user("watch")),
    ("click_rate", rate("clicks", "exposures")),
    ("exposures_per_user", per_user("exposures")),
    ("views_per_user", per_user("plays")),
    ("play_rate", rate("plays", "exposures")),
    ("completion_ratio", rate("completion", "completions")),
    ("share_rate", rate("shares", "exposures")),
]:
    print(metric, *(repr(float(v)) for v in row))
