"""Roster files and ID numbers for tests."""

import datetime
import io
import itertools

from openpyxl import Workbook

from tongpin.core.validators import id_check_digit
from tongpin.members.excel import COLUMNS

HEADERS = [column.header for column in COLUMNS]
_sequence = itertools.count(100)


def new_id_number(birth: datetime.date = datetime.date(1990, 5, 17), male: bool = True) -> str:
    """A valid ID number no demo member has (region 990000 is not a real one)."""
    serial = next(_sequence) % 500
    odd_even = (serial * 2 + (1 if male else 0)) % 10
    first17 = f"990000{birth:%Y%m%d}{serial // 5 % 100:02d}{odd_even}"
    return first17 + id_check_digit(first17)


def roster_row(**values) -> dict:
    """A good row for 办公室党支部; override cells by header."""
    birth = values.pop("birth", datetime.date(1990, 5, 17))
    row = {
        "姓名": "测试党员",
        "性别": "男",
        "民族": "汉族",
        "出生日期": birth,
        "身份证号": new_id_number(birth, male=True),
        "学历": "大学本科",
        "申请入党日期": datetime.date(2010, 3, 1),
        "入党日期": datetime.date(2012, 7, 1),
        "转正日期": datetime.date(2013, 7, 1),
        "党员状态": "正式党员",
        "所在党支部": "办公室党支部",
        "所在党小组": "",
        "所在处室": "办公室",
        "职务": "科员",
        "职级": "科级",
        "是否领导干部": "否",
        "联系电话": "13800138000",
    }
    row.update(values)
    return row


def roster_file(rows, headers=None, name="roster.xlsx") -> io.BytesIO:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer
