"""Reports as a STIX 2.1 bundle, for CERTs and threat-intelligence platforms.

Per report with indicators: one Report (its reference, category, scam type, platform, country)
referring to an ObservedData (the observables it contained: url, email-addr, user-account, and
harmline's own observables below) and to one Indicator per distinct value in the whole export.
Every object is marked with the chosen TLP and created by the deployment's Identity. Nothing of the
reporter is in an ExportedReport, so nothing of the reporter can be here. The descriptions say what
the export's reports are (its status: forwarded to a national contact, confirmed by moderators, or
only received); only an export of confirmed reports says moderators confirmed them.

Reports without indicators are left out: a Report must refer to at least one object, and they hold
nothing a machine can match (they are in the CSV and JSON Lines exports).

Phone numbers, bank accounts, e-wallets and cryptocurrency wallets have no STIX 2.1 core observable
(OASIS' "cryptocurrency-wallet" is an extension, not core). They are new observable types defined
the STIX 2.1 way: each object carries an Extension Definition (``extension_types: ["new-sco"]``),
and the definitions are in the bundle.

Identifiers are deterministic, so a re-export updates what a platform already has instead of
duplicating it: observables get the UUIDv5 of their identifying properties (the stix2 library),
the other objects a UUIDv5 of the deployment and what they describe (an indicator its kind and
value, a report its reference). Each export is a new version of them (``modified`` = the time of
the export); ``created`` is when the thing began (a value first reported, a report decided, or
received while undecided).

The bundle is written object by object (stix2's Bundle would hold 100k reports in memory); each
object is still built, checked and serialised by stix2, which takes about 2.5 ms per report: a
100k-report export takes minutes, a day's a second. Indicators come last, once every report naming
their value has been seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote, urlsplit, urlunsplit
from uuid import UUID, uuid4, uuid5

from stix2.properties import StringProperty
from stix2.v21 import (
    TLP_AMBER,
    TLP_GREEN,
    TLP_RED,
    TLP_WHITE,
    URL,
    CustomObservable,
    EmailAddress,
    ExtensionDefinition,
    Identity,
    Indicator,
    ObservedData,
    Report,
    UserAccount,
)

from harmline.exports.record import ExportedIndicator, ExportedReport, ExportStatus
from harmline.exports.text import plain_amount

# harmline's namespace for the UUIDv5 of its objects. Never change it: every id would change.
NAMESPACE = UUID("75bd1fd8-0973-4236-9a35-3646b9d60495")
# stix2 3.0 has no TLP 2.0 marking definitions: the TLP 1.0 ones of the STIX 2.1 specification.
# TLP 2.0's CLEAR is TLP 1.0's WHITE.
TLP = {"clear": TLP_WHITE, "white": TLP_WHITE, "green": TLP_GREEN, "amber": TLP_AMBER, "red": TLP_RED}
# When harmline's own definitions were written; they are the same objects in every export.
_DEFINED = datetime(2026, 11, 1, tzinfo=UTC)
# When the deployment's Identity last changed (its description stopped saying that every exported
# report was confirmed): a platform holding the earlier version takes this one as newer.
_IDENTITY_REVISED = datetime(2026, 12, 6, tzinfo=UTC)
# The author of the extension definitions: harmline itself, whichever deployment exports.
_HARMLINE = "identity--f90a67ba-ad24-4713-961d-78e3a41a26ab"
# What an export's reports are, as their descriptions say it: how a Report's description starts
# and ends, and what the reports naming an Indicator's value were.
_REPORT_WORDS: dict[ExportStatus, tuple[str, str]] = {
    "forwarded": ("Report", ", forwarded by harmline to the national contact point"),
    "confirmed": ("Confirmed report", ""),
    "received": ("Report", ", as received by harmline (not necessarily checked by a moderator nor forwarded)"),
}
_NAMED_IN: dict[ExportStatus, str] = {
    "forwarded": "forwarded by harmline to national contact points",
    "confirmed": "confirmed by harmline's moderators",
    "received": "received by harmline (not necessarily checked by a moderator nor forwarded)",
}


@dataclass(frozen=True)
class _NewObservable:
    """An observable type harmline defines, with its Extension Definition."""

    type: str
    extension: str
    description: str
    key: str  # the property holding the indicator's value
    detail: str  # the property holding the indicator's detail
    detail_identifies: bool  # a bank account is its number at its bank; a phone number is the number

    def register(self) -> Any:
        identifying = [self.key, self.detail] if self.detail_identifies else [self.key]

        @CustomObservable(self.type, [(self.key, StringProperty(required=True)), (self.detail, StringProperty())],
                          identifying, extension_name=self.extension)
        class Observable:
            pass

        return Observable

    def definition(self, marking: str) -> Any:
        identifying = f"{self.key} and {self.detail}" if self.detail_identifies else self.key
        return ExtensionDefinition(
            id=self.extension, created_by_ref=_HARMLINE, created=_DEFINED, modified=_DEFINED, name=self.type,
            description=self.description, version="1.0.0", extension_types=["new-sco"],
            schema=f"A STIX 2.1 cyber-observable object of type '{self.type}' with the common SCO properties and:"
                   f" {self.key} (string, required), {self.detail} (string, optional). Its identifier is the"
                   f" UUIDv5 of {identifying} in the STIX 2.1 SCO namespace.",
            object_marking_refs=[marking],
        )


_NEW_OBSERVABLES = {
    "phone": _NewObservable(
        "x-harmline-phone-number", "extension-definition--ce86848a-8463-4753-949b-b85ea6913971",
        "A telephone number (E.164) scammers used to reach victims by call, SMS or a messaging app.",
        key="value", detail="messaging_app", detail_identifies=False),
    "bank_account": _NewObservable(
        "x-harmline-bank-account", "extension-definition--3bc94a36-14bb-404f-aec1-a2dfb2448bd0",
        "A bank account victims were asked to pay into: its number (digits only) and its bank where named.",
        key="account_number", detail="bank_name", detail_identifies=True),
    "ewallet": _NewObservable(
        "x-harmline-ewallet", "extension-definition--3623132a-eb97-4d98-8bb6-b58db066147f",
        "An e-wallet account (GCash, DANA, TrueMoney …) victims were asked to pay into: its number or id"
        " and the wallet where named.",
        key="account_id", detail="provider", detail_identifies=True),
    "crypto_wallet": _NewObservable(
        "x-harmline-cryptocurrency-wallet", "extension-definition--b0b237e0-fa03-43c8-b4d6-febaea8ce327",
        "A cryptocurrency address victims were asked to pay to, its checksum verified, and its network"
        " (bitcoin, ethereum, tron).",
        key="address", detail="network", detail_identifies=False),
}
_NEW_CLASSES = {kind: new.register() for kind, new in _NEW_OBSERVABLES.items()}


# What a URI may hold besides letters, digits and "_.-~" (RFC 3986's reserved characters), and "%"
# for what is already escaped.
_URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%"


def _uri(link: str) -> str:
    """The link as the URI (RFC 3986) that STIX's url value must be: links arrive as citizens typed
    them, with Thai or Vietnamese in the path or the domain, or with no scheme at all (``bit.ly/x``,
    which a browser opens as http://)."""
    if "://" not in link:
        link = "http://" + link
    parts = urlsplit(link)
    try:
        host = parts.netloc.encode("idna").decode("ascii")  # internationalised domains in punycode
    except UnicodeError:
        host = quote(parts.netloc, safe=_URI_CHARACTERS)
    path, query, fragment = (quote(part, safe=_URI_CHARACTERS) for part in parts[2:])
    return urlunsplit((parts.scheme, host, path, query, fragment))


@dataclass(frozen=True)
class _Model:
    """How one kind of indicator is an observable, and what its pattern compares."""

    factory: Any  # the stix2 class of the observable
    type: str
    key: str  # the property holding the value
    detail: str | None = None  # the property holding the detail, if it has one
    detail_in_pattern: bool = False
    convert: Callable[[str], str] = str  # harmline's value to the STIX property's

    def properties(self, indicator: ExportedIndicator, *, pattern: bool = False) -> dict[str, str]:
        found = {self.key: self.convert(indicator.value)}
        if self.detail and indicator.detail and (self.detail_in_pattern or not pattern):
            found[self.detail] = indicator.detail
        return found


_MODELS = {
    "url": _Model(URL, "url", "value", convert=_uri),  # detail (registrable domain) is not a url property
    "email": _Model(EmailAddress, "email-addr", "value"),
    # A handle is an account's login on the platform harmline saw it on, where it knows which.
    "social_handle": _Model(UserAccount, "user-account", "account_login", "account_type", detail_in_pattern=True,
                            convert=lambda handle: handle.removeprefix("@")),
    **{kind: _Model(_NEW_CLASSES[kind], new.type, new.key, new.detail) for kind, new in _NEW_OBSERVABLES.items()},
}


@dataclass(slots=True)
class _Named:
    """An indicator value across the reports of the export, until its Indicator is written: kept
    small (slots, a tuple), as an export of 100k reports names some 300k values."""

    detail: str | None  # the first one given, if any report gives one
    first_reported: datetime
    categories: tuple[str, ...]
    reports: int = 1


class StixWriter:
    """Writes the bundle's opening and harmline's definitions at once, a report's objects as it is
    added, and the Indicators and the closing on ``finish``."""

    def __init__(self, handle: TextIO, *, producer: str, tlp: str = "amber", status: ExportStatus = "forwarded",
                 generated_at: datetime | None = None) -> None:
        if tlp.lower() not in TLP:
            raise ValueError(f"unknown TLP {tlp!r}: one of {', '.join(TLP)}")
        if status not in _NAMED_IN:
            raise ValueError(f"unknown export status {status!r}: one of {', '.join(_NAMED_IN)}")
        self._status = status
        self._handle = handle
        self._producer = producer
        self._marking = TLP[tlp.lower()]
        self._generated_at = generated_at or datetime.now(UTC)
        self._identity = Identity(
            id=self._id("identity"), name=f"harmline: {producer}", identity_class="organization",
            # The same words whatever an export holds: one id, one ``modified``, one content.
            description="Reports of online scams, illegal gambling and fraudulent content that citizens sent to"
                        " harmline.",
            created=_DEFINED, modified=_IDENTITY_REVISED, object_marking_refs=[self._marking],
        )
        self._observables: set[str] = set()  # ids of those written: one object per id in the bundle
        self._named: dict[tuple[str, str], _Named] = {}
        self._separator = "\n"
        # A bundle's id identifies no content (STIX 2.1 §8): a fresh one each time.
        handle.write(f'{{"type": "bundle", "id": "bundle--{uuid4()}", "objects": [')
        harmline = Identity(
            id=_HARMLINE, name="harmline", identity_class="system",
            description="The harmline reporting bot: author of the STIX extensions of the observables it exports.",
            created=_DEFINED, modified=_DEFINED, object_marking_refs=[self._marking],
        )
        extensions = [new.definition(self._marking.id) for new in _NEW_OBSERVABLES.values()]
        for definition in (self._marking, harmline, self._identity, *extensions):
            self._write(definition)

    def add(self, report: ExportedReport) -> None:
        if not report.indicators:
            return
        observables = [self._observable(indicator) for indicator in report.indicators]
        observed = self._observed_data(report, [observable.id for observable in observables])
        self._write(observed)
        indicator_ids = [self._name(indicator, report) for indicator in report.indicators]
        self._write(self._report(report, [*indicator_ids, observed.id]))

    def finish(self) -> None:
        for (kind, value), named in self._named.items():
            self._write(self._indicator(ExportedIndicator(kind, value, named.detail), named))
        self._handle.write("\n]}\n")

    # --- objects ---------------------------------------------------------------------------

    def _id(self, kind: str, *names: str) -> str:
        # The deployment is part of the name: two deployments exporting the same phone number
        # each make their own Indicator (with their own created_by_ref), not two versions of one.
        return f"{kind}--{uuid5(NAMESPACE, chr(31).join((self._producer, kind, *names)))}"

    def _common(self, created: datetime) -> dict[str, Any]:
        return {"created_by_ref": self._identity.id, "created": created,
                "modified": max(created, self._generated_at), "object_marking_refs": [self._marking]}

    def _observable(self, indicator: ExportedIndicator) -> Any:
        model = _model(indicator.kind)
        observable = model.factory(**model.properties(indicator), object_marking_refs=[self._marking])
        if observable.id not in self._observables:
            self._observables.add(observable.id)
            self._write(observable)
        return observable

    def _observed_data(self, report: ExportedReport, refs: list[str]) -> Any:
        last = report.decided_at or report.received_at
        # allow_custom: stix2 refuses references to types outside the core ones, even to the
        # observables registered above with their extension definitions.
        return ObservedData(
            id=self._id("observed-data", report.reference), first_observed=report.received_at, last_observed=last,
            number_observed=1, object_refs=refs, allow_custom=True, **self._common(last))

    def _report(self, report: ExportedReport, refs: list[str]) -> Any:
        published = report.decided_at or report.received_at
        return Report(
            id=self._id("report", report.reference), name=report.reference, published=published,
            report_types=["threat-report"], labels=[label for label in (report.category, report.scam_type) if label],
            description=_description(report, self._status), object_refs=refs, **self._common(published))

    def _name(self, indicator: ExportedIndicator, report: ExportedReport) -> str:
        """Count the value as named by ``report``; return its Indicator's id."""
        key = (indicator.kind, indicator.value)
        first = indicator.first_reported or report.received_at
        named = self._named.get(key)
        if named is None:
            self._named[key] = _Named(indicator.detail, first, (report.category,))
        else:
            named.first_reported = min(named.first_reported, first)
            if report.category not in named.categories:
                named.categories += (report.category,)
            named.reports += 1
            named.detail = named.detail or indicator.detail
        return self._id("indicator", *key)

    def _indicator(self, indicator: ExportedIndicator, named: _Named) -> Any:
        kind, value = indicator.kind, indicator.value
        categories = sorted(named.categories)
        return Indicator(
            id=self._id("indicator", kind, value), name=f"{kind}: {value}",
            description=f"Named in {named.reports} report(s) of {', '.join(categories)}"
                        f" {_NAMED_IN[self._status]} in this export.",
            indicator_types=["malicious-activity"], pattern=_pattern(indicator), pattern_type="stix",
            valid_from=named.first_reported, labels=categories, **self._common(named.first_reported))

    def _write(self, stix_object: Any) -> None:
        self._handle.write(self._separator)
        stix_object.fp_serialize(self._handle, ensure_ascii=False)
        self._separator = ",\n"


def write_stix(records: Iterable[ExportedReport], handle: TextIO, *, producer: str, tlp: str = "amber",
               status: ExportStatus = "forwarded", generated_at: datetime | None = None) -> None:
    writer = StixWriter(handle, producer=producer, tlp=tlp, status=status, generated_at=generated_at)
    for report in records:
        writer.add(report)
    writer.finish()


def _model(kind: str) -> _Model:
    model = _MODELS.get(kind)
    if model is None:  # a new kind of indicator: it needs its place in STIX before it is exported
        raise ValueError(f"indicator kind {kind!r} has no STIX observable in exports/stix.py")
    return model


def _pattern(indicator: ExportedIndicator) -> str:
    model = _model(indicator.kind)
    comparisons = (f"{model.type}:{name} = {_quoted(value)}"
                   for name, value in model.properties(indicator, pattern=True).items())
    return f"[{' AND '.join(comparisons)}]"


def _quoted(text: str) -> str:
    """A STIX pattern string literal: backslashes and single quotes escaped by a backslash."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _description(report: ExportedReport, status: ExportStatus) -> str:
    what = f"{report.category} ({report.scam_type})" if report.scam_type else report.category
    lead, tail = _REPORT_WORDS[status]
    parts = [f"{lead} of {what} in {report.country}"]
    if report.platform:
        parts.append(f"on {report.platform}")
    if report.money_lost and report.loss_amount is not None:
        parts.append(f"with a loss of {plain_amount(report.loss_amount)} {report.loss_currency}")
    elif report.money_lost:
        parts.append("with money lost")
    return " ".join(parts) + tail + "."
