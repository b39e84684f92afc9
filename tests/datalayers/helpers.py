"""Layer files for the tests: CSV text and XLSX made with openpyxl, and a helper that uploads
through the service."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.datalayers import services

#: A figure no published value has, so a leak of it is easy to find.
DISTINCTIVE = 987.654
BAARN_BUURTEN = ["BU03080000", "BU03080001", "BU03080002", "BU03080100"]
BAARN_WIJKEN = ["WK030800", "WK030801", "WK030802"]


def csv_file(text: str, name: str = "sluitingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def good_csv(codes=BAARN_BUURTEN, years=(2023, 2024), header="gebiedscode;jaar;waarde") -> str:
    lines = [header]
    for year in years:
        for number, code in enumerate(codes):
            value = DISTINCTIVE if (code == codes[0] and year == years[-1]) else number + year - 2020
            lines.append(f"{code};{year};{str(value).replace('.', ',')}")
    return "\n".join(lines) + "\n"


def xlsx_file(rows: list[list], name: str = "controles.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload(user, organisation, uploaded, *, level="buurt", title="Sluitingen 13b"):
    return services.upload_layer(user=user, organisation=organisation, uploaded=uploaded, title=title, level=level,
                                 unit="sluitingen", source="Eigen registratie")


def active_layer(user, organisation, *, shared=False, level="buurt"):
    codes = BAARN_BUURTEN if level == "buurt" else BAARN_WIJKEN
    layer = upload(user, organisation, csv_file(good_csv(codes)), level=level)
    assert layer.status == "preview", layer.problems
    services.confirm_layer(user=user, layer=layer)
    if shared:
        services.set_shared(user=user, layer=layer, shared=True, figures_may_be_shared=True)
    return layer
