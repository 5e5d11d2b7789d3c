"""CSV and XLSX files of one statistics table."""

import csv
import io

from openpyxl import Workbook

from .tables import Table


def table_csv(table: Table) -> bytes:
    # French Excel opens a CSV as Windows-1252 with `;` as separator (the comma is the decimal mark):
    # the UTF-8 byte order mark makes it read accents right, and `;` keeps each figure in its own column.
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(
            [
                "" if value is None else str(value).replace(".", ",") if isinstance(value, float) else value
                for value in row
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    # A sheet title is at most 31 characters.
    sheet.title = table.name[:31]
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
