//! The statistics behind A/B verdicts: a chi-square test of independence on
//! replies per variant, Wilson intervals for one rate, and the sample size a
//! difference would need. Pure functions, no storage.

/// z for a two-sided 95% test, and for 80% power.
const Z_ALPHA: f64 = 1.959_963_984_540_054;
const Z_BETA: f64 = 0.841_621_233_572_914_3;

/// The 95% Wilson score interval for `hits` out of `n`: (low, high).
pub fn wilson(hits: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z) = (n as f64, hits as f64 / n as f64, Z_ALPHA);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Chi-square test that reply rates differ across groups of (hits, n).
/// Returns the statistic, the p-value and the smallest expected cell count
/// (the test is not to be trusted below 5). `None` with fewer than two groups
/// that have sends, or when nobody (or everybody) replied.
pub fn chi_square(groups: &[(u64, u64)]) -> Option<ChiSquare> {
    let groups: Vec<_> = groups.iter().copied().filter(|&(_, n)| n > 0).collect();
    let hits: u64 = groups.iter().map(|g| g.0).sum();
    let total: u64 = groups.iter().map(|g| g.1).sum();
    if groups.len() < 2 || hits == 0 || hits == total {
        return None;
    }
    let rate = hits as f64 / total as f64;
    let mut stat = 0.0;
    let mut min_expected = f64::MAX;
    for &(h, n) in &groups {
        let n = n as f64;
        for (observed, expected) in [(h as f64, n * rate), (n - h as f64, n * (1.0 - rate))] {
            stat += (observed - expected).powi(2) / expected;
            min_expected = min_expected.min(expected);
        }
    }
    let df = (groups.len() - 1) as f64;
    Some(ChiSquare { statistic: stat, p_value: gamma_q(df / 2.0, stat / 2.0), min_expected })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    pub p_value: f64,
    pub min_expected: f64,
}

/// Sends per variant needed to tell rates `p1` and `p2` apart (two-sided 5%,
/// 80% power). `None` when they are equal.
pub fn sends_needed(p1: f64, p2: f64) -> Option<u64> {
    let d = (p1 - p2).abs();
    if d < 1e-9 {
        return None;
    }
    let mean = (p1 + p2) / 2.0;
    let a = Z_ALPHA * (2.0 * mean * (1.0 - mean)).sqrt() + Z_BETA * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    Some((a * a / (d * d)).ceil() as u64)
}

/// The regularised upper incomplete gamma function Q(a, x): the chi-square
/// survival function is Q(df/2, x/2).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_fraction(a, x)
    }
}

fn gamma_p_series(a: f64, x: f64) -> f64 {
    let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
    for _ in 0..500 {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * 1e-15 {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

/// Lentz's continued fraction for Q(a, x).
fn gamma_q_fraction(a: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / tiny;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..500 {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + an / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} is not within {tol} of {b}");
    }

    #[test]
    fn chi_square_p_values_match_the_tables() {
        // Critical values at 5% and 1%, for 1, 2 and 4 degrees of freedom.
        for (df, x, p) in
            [(1.0, 3.841_459, 0.05), (1.0, 6.634_897, 0.01), (2.0, 5.991_465, 0.05), (4.0, 9.487_729, 0.05), (4.0, 13.276_70, 0.01)]
        {
            close(gamma_q(df / 2.0, x / 2.0), p, 1e-6);
        }
        close(gamma_q(0.5, 0.0), 1.0, 1e-12);
        close(ln_gamma(5.0), 24f64.ln(), 1e-12);
    }

    #[test]
    fn a_clear_difference_is_significant_and_a_small_sample_is_not() {
        // 30/500 against 12/500: a textbook two-proportion z of 2.83, p ≈ 0.005.
        let t = chi_square(&[(30, 500), (12, 500)]).unwrap();
        close(t.statistic, 2.830_f64.powi(2), 0.05);
        assert!(t.p_value < 0.01);
        // 2 of 6 against 0 of 6 looks like a winner and is nothing of the kind.
        let t = chi_square(&[(2, 6), (0, 6)]).unwrap();
        assert!(t.p_value > 0.1 && t.min_expected < 5.0);
        assert!(chi_square(&[(0, 40), (0, 40)]).is_none());
        assert!(chi_square(&[(3, 40)]).is_none());
    }

    #[test]
    fn wilson_and_sample_size() {
        let (lo, hi) = wilson(10, 100).unwrap();
        close(lo, 0.0552, 1e-3);
        close(hi, 0.1744, 1e-3);
        assert_eq!(wilson(0, 0), None);
        // 3% against 5%: about 1,500 sends each (the usual tables say 1,510).
        let n = sends_needed(0.03, 0.05).unwrap();
        assert!((1_480..=1_540).contains(&n), "{n}");
        assert_eq!(sends_needed(0.04, 0.04), None);
    }
}
