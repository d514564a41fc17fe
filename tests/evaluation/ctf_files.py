"""Common Transfer Files as schools' information systems export them, for the tests: each
pupil full of what must never be kept (names, dates of birth, addresses, contacts), marked
with SECRET so that a test can search the database and the logs for it."""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .files import make_upn

SECRET = "Qzxwv"  # in every name, address and contact; in nothing that is kept


@dataclass
class CtfPupil:
    serial: int
    year: str = "6"
    sex: str = "F"
    sex_element: str = "Sex"  # "Gender" in older files
    fsm: list = field(default_factory=list)  # (start, end or "")
    in_care: str = ""
    sen: list = field(default_factory=list)  # (start, end, provision)
    language: str = "ENG"  # the first language's code; "" for no Languages element
    results: list = field(default_factory=lambda: [("KS2", "2025", "MAT", "TT", "", "104")])
    upn: str = ""


def _element(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>" if text != "" else ""


def _records(pupil: CtfPupil) -> str:
    fsm = "".join(
        f"<FSMinstance>{_element('FSMstartDate', s)}{_element('FSMendDate', e)}"
        "<UKcountry>ENG</UKcountry></FSMinstance>"
        for s, e in pupil.fsm
    )
    sen = "".join(
        f"<SEN>{_element('StartDate', s)}{_element('EndDate', e)}"
        f"{_element('SENprovision', p)}</SEN>"
        for s, e, p in pupil.sen
    )
    stages: dict[str, list] = {}
    for stage, *rest in pupil.results:
        stages.setdefault(stage, []).append(rest)
    assessments = "".join(
        f"<KeyStage><Stage>{stage}</Stage>"
        + "".join(
            f"<StageAssessment><Locale>ENG</Locale>{_element('Year', y)}"
            f"{_element('Subject', s)}{_element('Method', m)}{_element('Component', c)}"
            f"<ResultStatus>R</ResultStatus>{_element('Result', r)}"
            "<ResultDate>2025-07-08</ResultDate></StageAssessment>"
            for y, s, m, c, r in entries
        )
        + "</KeyStage>"
        for stage, entries in stages.items()
    )
    return (
        (f"<FSMhistory><FSMreviewDate>2025-01-01</FSMreviewDate>{fsm}</FSMhistory>" if fsm else "")
        + (
            f"<LookedAfter>{_element('InCare', pupil.in_care)}</LookedAfter>"
            if pupil.in_care
            else ""
        )
        + (f"<SENhistory>{sen}</SENhistory>" if sen else "")
        + (
            f"<Languages><Type><LanguageType>F</LanguageType><Language>{pupil.language}"
            "</Language></Type><Type><LanguageType>H</LanguageType><Language>FRN</Language>"
            "</Type></Languages>"
            if pupil.language
            else ""
        )
        + (f"<StageAssessments>{assessments}</StageAssessments>" if assessments else "")
    )


def pupil_xml(pupil: CtfPupil, personal: bool = True) -> str:
    secret = f"{SECRET}{pupil.serial}"
    private = (
        f"<Surname>O'Connor{secret}</Surname><Forename>Zoë{secret}</Forename><DOB>2014-03-14</DOB>"
        if personal
        else ""
    )
    contacts = (
        f"<Address><BS7666Address><PAON>12 {secret} Road</PAON><Town>Leeds</Town>"
        f"<Postcode>LS1 4{secret}</Postcode></BS7666Address></Address>"
        f"<Phones><Phone><TelephoneType>H</TelephoneType><PhoneNo>0113 496 {pupil.serial}"
        f"</PhoneNo></Phone></Phones><Email>{secret}@example.org</Email>"
        f"<Contacts><Contact><Surname>O'Connor{secret}</Surname><Forename>Mum</Forename>"
        "<Relationship>PAM</Relationship></Contact></Contacts>"
        if personal
        else ""
    )
    return (
        f"<Pupil><UPN>{pupil.upn or make_upn(pupil.serial)}</UPN>{private}"
        f"<BasicDetails>{_element('NCyearActual', pupil.year)}"
        f"{_element(pupil.sex_element, pupil.sex)}<Ethnicity>WBRI</Ethnicity></BasicDetails>"
        f"{_records(pupil)}{contacts}</Pupil>"
    )


def ctf_head(urn: int | str, version: str = "24.0", namespace: str = "", encoding="UTF-8"):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<CTfile{xmlns}><Header>'
        "<DocumentName>Common Transfer File</DocumentName>"
        f"{_element('CTFversion', version)}<DateTime>2025-09-30T10:00:00</DateTime>"
        "<DocumentQualifier>full</DocumentQualifier><SupplierID>TestMIS</SupplierID>"
        f"<SourceSchool><LEA>316</LEA><Estab>2001</Estab>{_element('URN', str(urn))}"
        f"<SchoolName>{SECRET} Primary</SchoolName><AcademicYear>2025</AcademicYear>"
        "</SourceSchool><DestSchool><LEA>316</LEA><Estab>4001</Estab></DestSchool>"
        "</Header><CTFpupilData>"
    )


CTF_TAIL = "</CTFpupilData></CTfile>\n"


def ctf(pupils: list[CtfPupil], urn, encoding: str = "UTF-8", **head) -> bytes:
    text = ctf_head(urn, encoding=encoding, **head) + "".join(map(pupil_xml, pupils)) + CTF_TAIL
    return text.encode("cp1252" if encoding.lower() == "windows-1252" else encoding)


def write_large_ctf(path, urn, pupils: int) -> None:
    """A CTF of many pupils, written a pupil at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write(ctf_head(urn))
        for serial in range(pupils):
            out.write(pupil_xml(CtfPupil(serial, fsm=[("2021-09-01", "")]), personal=False))
        out.write(CTF_TAIL)


XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE CTfile [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<CTfile><Header><CTFversion>24.0</CTFversion><SourceSchool><URN>100001</URN>"
    b"</SourceSchool></Header><CTFpupilData><Pupil><UPN>&xxe;</UPN></Pupil>"
    b"</CTFpupilData></CTfile>"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)).encode()
    + b"]><CTfile><Header><CTFversion>24.0</CTFversion></Header><CTFpupilData><Pupil>"
    b"<UPN>&lol9;</UPN></Pupil></CTFpupilData></CTfile>"
)
