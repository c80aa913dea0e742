"""Item analysis pages (trainers and admins): the quiz versions with attempts, one
version's figures per question, and the same figures as CSV. Aggregates only: no page
names a trainee (academy/modules/trainer/item_analysis.py)."""

from __future__ import annotations

from flask import Blueprint, render_template

from academy.core.spreadsheets import csv_download
from academy.modules.trainer import item_reports
from academy.modules.trainer.item_analysis import MIN_ATTEMPTS, TOO_EASY_OVER, TOO_HARD_UNDER
from academy.modules.trainer.views import staff_only

bp = Blueprint("item_analysis", __name__, url_prefix="/trainer/items")


@bp.get("/")
@staff_only
def index():
    return render_template(
        "trainer/item_analysis_index.html", modules=item_reports.versions_with_attempts()
    )


@bp.get("/<slug>/<path:version>")
@staff_only
def report(slug: str, version: str):
    return render_template(
        "trainer/item_analysis.html",
        report=item_reports.version_report(slug, version),
        percent=item_reports.percent,
        discrimination_text=item_reports.discrimination_text,
        flag_texts=item_reports.flag_texts,
        min_attempts=MIN_ATTEMPTS,
        too_easy_over=TOO_EASY_OVER,
        too_hard_under=TOO_HARD_UNDER,
    )


@bp.get("/<slug>/<path:version>/items.csv")
@staff_only
def csv(slug: str, version: str):
    analysed = item_reports.version_report(slug, version)
    return csv_download(item_reports.report_csv(analysed), item_reports.csv_filename(analysed))
