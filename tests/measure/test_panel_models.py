"""The report-level model, its effects on the share scale, robustness and power."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit

from msresearch.measure import panel_models

YEARS = range(2017, 2024)


def _panel(n_provinces=40, n_cities=20, period_shift=0.5, city_shift=-0.4, unit_sd=0.3,
           noise=0.05, seed=1) -> pd.DataFrame:
    """Shares of simulated governments: a logit mean with a period and a city effect, each
    government its own lasting level, and report noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for level, n in (("province", n_provinces), ("city", n_cities)):
        for u in range(n):
            own = rng.normal(0, unit_sd)
            for year in YEARS:
                eta = -1.2 + own + period_shift * (year >= 2020) + city_shift * (level == "city")
                share = float(np.clip(expit(eta) + rng.normal(0, noise), 0.001, 0.999))
                rows.append({"doc_id": f"{level}{u}-{year}", "unit": f"{level}{u}",
                             "level": level, "year": year, "core_share": share,
                             "broad_share": min(1.0, share + 0.2)})
    return pd.DataFrame(rows)


def _truth(data, factor, level, reference, period_shift=0.5, city_shift=-0.4, unit_sd=0.3):
    """The average effect in the simulated population (integrating over governments)."""
    z = np.random.default_rng(0).normal(0, unit_sd, 200_000)
    means = {}
    for value in (level, reference):
        frame = data.assign(**{factor: value})
        eta = (-1.2 + period_shift * (frame["period"] == "2020 on").to_numpy()
               + city_shift * (frame["level"] == "city").to_numpy())
        means[value] = np.mean([expit(e + z[:2000]).mean() for e in eta])
    return means[level] - means[reference]


def test_average_effects_recover_simulated_effects_with_intervals_that_cover_them():
    data = panel_models.with_period(_panel(), [2020])
    model = panel_models.fractional_logit(data, "core_share", ("period", "level"))
    effects = panel_models.average_effects(model).set_index("factor")
    period, level = effects.loc["period"], effects.loc["level"]
    assert (period["contrast"], period["reference"]) == ("2020 on", "before 2020")
    assert (level["contrast"], level["reference"]) == ("city", "province")
    for row, truth in ((period, _truth(data, "period", "2020 on", "before 2020")),
                       (level, _truth(data, "level", "city", "province"))):
        assert row["low"] < truth < row["high"]
        assert abs(row["effect"] - truth) < 0.03
    assert period["n_units"] == 60 and level["n_units"] == 20


def test_clustered_intervals_do_not_shrink_when_a_governments_reports_are_repeated():
    data = panel_models.with_period(_panel(seed=3), [2020])
    width = _width(data)
    doubled = pd.concat([data, data.assign(doc_id=data["doc_id"] + "b")], ignore_index=True)
    # copies of a government's reports add no information; errors treated as independent
    # would narrow the interval by about 1/sqrt(2)
    assert _width(doubled) == pytest.approx(width, rel=0.05)


def _width(data):
    model = panel_models.fractional_logit(data, "core_share", ("period", "level"))
    row = panel_models.average_effects(model).iloc[0]
    return row["high"] - row["low"]


def test_intervals_use_t_with_one_fewer_degree_than_governments():
    data = panel_models.with_period(_panel(n_provinces=6, n_cities=0), [2020])
    model = panel_models.fractional_logit(data, "core_share", ("period",))
    row = panel_models.average_effects(model).iloc[0]
    frame = model.result.get_prediction(
        exog=pd.concat([data.assign(period="2020 on"), data.assign(period="before 2020")]),
        average=True, agg_weights=np.r_[np.full(len(data), 2.0), np.full(len(data), -2.0)]
    ).summary_frame()
    half = stats.t.ppf(0.975, 5) * frame["se"].iloc[0]
    assert row["high"] - row["effect"] == pytest.approx(half)


def test_a_level_of_one_government_has_no_clustered_interval():
    data = _panel(n_cities=0)
    centre = data[data["unit"] == "province0"].assign(unit="centre", level="national",
                                                      doc_id=lambda f: "c" + f["doc_id"])
    data = panel_models.with_period(pd.concat([data, centre], ignore_index=True), [2020])
    effects = panel_models.average_effects(
        panel_models.fractional_logit(data, "core_share", ("period", "level")))
    national = effects[effects["contrast"] == "national"].iloc[0]
    assert np.isnan(national["low"]) and "one government" in national["note"]
    assert effects.loc[effects["factor"] == "period", "low"].notna().all()


def test_robustness_runs_every_set_and_sample_and_drops_repeats():
    data = _panel(n_provinces=10, n_cities=5)
    table = panel_models.robustness(
        data, [2020], {"core": "core_share", "broad": "broad_share"},
        {"all": ["province", "city"], "same again": ["province", "city", "county"],
         "provinces": ["province"], "counties": ["county"]})
    assert set(table["sample"]) == {"all", "provinces"}
    assert set(table["outcome"]) == {"core", "broad"}
    assert set(table.loc[table["sample"] == "provinces", "factor"]) == {"period"}
    assert len(table) == 2 * 2 + 2 * 1


def test_power_follows_the_panels_own_spread():
    data = _panel(n_provinces=30, n_cities=0, unit_sd=0.0, noise=0.04, period_shift=0.0)
    power = panel_models.power(data, "core_share", [2020])
    assert power.sd_between == pytest.approx(0.04, rel=0.15)
    assert power.n_units == 30
    # about (z.975 + z.8) sd sqrt(2 / n) for different reports in each period
    assert power.mde_independent == pytest.approx(2.80 * power.sd_between * np.sqrt(2 / 30),
                                                  rel=0.05)
    n = power.n_for
    test = panel_models.TTestIndPower()
    effect = power.shift / power.sd_between
    assert test.power(effect_size=effect, nobs1=n, alpha=0.05) >= 0.8
    assert n == 2 or test.power(effect_size=effect, nobs1=n - 1, alpha=0.05) < 0.8
    noisier = panel_models.power(_panel(n_provinces=30, n_cities=0, unit_sd=0.0, noise=0.08,
                                        period_shift=0.0), "core_share", [2020])
    assert noisier.mde_paired > power.mde_paired and noisier.n_for > power.n_for
