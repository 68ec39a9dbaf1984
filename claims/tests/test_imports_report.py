from django.utils import translation

from claims.imports.report import ImportReport


def test_an_archive_sized_report_groups_its_numbers_in_every_language():
    report = ImportReport()
    report.counts[("claim", "created")] = 683_252
    report.counts[("claim", "existing")] = 1_204

    assert "claims: 683,252 created, 1,204 already there" in report.lines()
    with translation.override("zh-hant"):
        assert "主張：新增 683,252 則，1,204 則已存在" in report.lines()
