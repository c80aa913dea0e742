"""CSV cells that cannot run as formulas, and the download (academy/core/spreadsheets.py)."""

from __future__ import annotations

import pytest

from academy.core.spreadsheets import csv_download, csv_safe


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_csv_safe_prefixes_formula_starts(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Ayo", "", "1-2", "a=b"])
def test_csv_safe_leaves_text_alone(value):
    assert csv_safe(value) == value


def test_a_download_starts_with_a_byte_order_mark_and_is_not_cached(app):
    response = csv_download("a,b\r\n", "file.csv")

    assert response.get_data(as_text=True) == "\ufeffa,b\r\n"
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="file.csv"'
    assert response.headers["Cache-Control"] == "no-store"
