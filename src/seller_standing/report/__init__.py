"""`seller-standing report`: a static site (HTML, inline SVG and CSS, nothing fetched) of the
published warehouse: a page per program and per seller and program."""

from seller_standing.report.data import ReportError
from seller_standing.report.site import render_report, report_dir, seller_page_path

__all__ = ["ReportError", "render_report", "report_dir", "seller_page_path"]
