"""The downloadable template, in CSV (UTF-8 with BOM, `;`, what French Excel opens) and XLSX."""

import csv
import io

from django.utils.translation import gettext as _

from cqp.candidacies.enums import Funding, Path, Situation

from .columns import COLUMNS


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(c.label) for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Candidatures")
    sheet.append([str(c.label) for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = 28
    help_sheet = workbook.create_sheet(_("Aide"))
    help_sheet.append([_("Colonne"), _("Obligatoire"), _("Contenu")])
    for column in COLUMNS:
        help_sheet.append([str(column.label), _("oui") if column.required else _("non"), str(column.help)])
    help_sheet.append([])
    for title, enum in ((_("Voie"), Path), (_("Situation"), Situation), (_("Financement"), Funding)):
        help_sheet.append([title, "", " ; ".join(str(label) for label in enum.labels)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
