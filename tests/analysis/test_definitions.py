from analysis.definitions import DIMENSION_ORDERS, MEASURES, SCALES, category_order


def test_the_measure_ids_of_measures_md_in_order():
    assert [measure.id for measure in MEASURES] == [
        "o2_opinion_cared_about",
        "o2_ehcp_reviews_with_family",
        "o2_told_how_views_used",
        "o5_coproduction_effective",
        "o5_coproduction_effective.charter_welcome_care",
        "o5_coproduction_effective.charter_value_include",
        "o5_coproduction_effective.charter_communicate_respectfully",
        "o5_coproduction_effective.charter_partnership",
        "o5_ehcp_short_breaks",
        "o5_safe_belong_community",
        "o5_safe_belong_setting",
        "o5_good_attendance",
    ]


def test_every_positive_option_is_a_countable_option_of_its_scale():
    for scale in SCALES.values():
        assert set(scale.positive) <= set(scale.countable)
        assert "not_sure" in scale.options
        assert "not_sure" not in scale.countable


def test_category_order_follows_the_options_then_unknowns_then_not_stated():
    present = ["not_stated", "zzz_new", "ledbury", "hereford", "aaa_new"]
    assert category_order("area", present, DIMENSION_ORDERS) == [
        "hereford",
        "ledbury",
        "aaa_new",
        "zzz_new",
        "not_stated",
    ]


def test_not_sure_is_a_real_support_category():
    assert category_order("support", ["not_sure", "not_stated"], DIMENSION_ORDERS) == [
        "not_sure",
        "not_stated",
    ]
