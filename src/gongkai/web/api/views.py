"""The API's view sets.  Each one is registered by ``@routed(prefix)`` — the router (``urls.py``) takes every
routed view set, so a new resource (the letters) is one added class here.

Lists and pages come from the screens' functions (``office/rows.py``, ``office/listing.py``), writes from the
ledger's (``requests/timeline.py``), and every write goes through the models' ``full_clean()`` — the API records
nothing the screens or the ledger would refuse.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gongkai.calendar import WorkCalendar
from gongkai.ledger.timeline import STATUS_LABELS
from gongkai.letters import LetterPdfError
from gongkai.web.accounts.access import (
    EDITORS,
    editable_agency_ids,
    may_record,
    profile_of,
    sees_personal_data,
    visible_agency_ids,
)
from gongkai.web.agencies.models import Agency
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.recording import record
from gongkai.web.letters.issuing import pdf_of
from gongkai.web.letters.models import Letter
from gongkai.web.office import listing
from gongkai.web.office.letter_views import DOCX_TYPE, attachment, check_download
from gongkai.web.office.rows import request_row
from gongkai.web.reports.compile import FIRST_YEAR, compile_report
from gongkai.web.reports.models import ReportDraft
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Request, RequestEvent, check_timeline, recording_order
from gongkai.web.requests.timeline import ensure_received, receive

from . import serializers as api
from .permissions import AgencyScoped, head_only_refusal
from .serializers import LetterOut

ROUTES: list[tuple[str, type, str]] = []
"""(prefix, view set, basename) of every routed view set, in registration order."""


def routed(prefix: str, basename: str | None = None):
    def register(viewset):
        ROUTES.append((prefix, viewset, basename or prefix.replace("/", "-")))
        return viewset
    return register


def _today() -> date:
    return timezone.localdate()


@routed("agencies")
@extend_schema_view(list=extend_schema(summary="可查看的机关"), retrieve=extend_schema(summary="一个机关"))
class AgencyViewSet(AgencyScoped, viewsets.ReadOnlyModelViewSet):
    queryset = Agency.objects.order_by("pk")
    serializer_class = api.AgencySerializer
    agency_path = "pk"

    def agency_of(self, obj) -> int:
        return obj.pk


STATUS_FILTER = [listing.OPEN, *[s.value for s in STATUS_LABELS]]


class RequestFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_FILTER, required=False,
                                     help_text="open（未办结）或台账状态之一。")
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100, help_text="收到年份。")
    overdue = serializers.BooleanField(required=False, default=False, help_text="只列已逾期的申请。")
    due_soon = serializers.BooleanField(required=False, default=False, help_text="只列 5 个工作日内到期的申请。")
    agency = serializers.IntegerField(required=False, help_text="办理机关（监督人员）。")


@routed("requests")
@extend_schema_view(
    list=extend_schema(summary="申请列表（与列表页相同的筛选与脱敏）", parameters=[RequestFilterIn],
                       responses=api.RequestOut(many=True)),
    retrieve=extend_schema(summary="一件申请及其办理事件", responses=api.RequestDetailOut),
    create=extend_schema(summary="登记申请", request=api.RequestIn, responses={201: api.RequestDetailOut}),
    partial_update=extend_schema(summary="更正收到日期或提交方式（须提交 edit_version）",
                                 request=api.RequestChange, responses=api.RequestDetailOut),
)
class RequestViewSet(AgencyScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Request.objects.select_related("agency", "applicant")
    serializer_class = api.RequestOut
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return {"create": api.RequestIn, "partial_update": api.RequestChange, "events": api.EventSerializer,
                "retrieve": api.RequestDetailOut}.get(self.action, api.RequestOut)

    def list(self, request):
        filters = RequestFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        if data.pop("overdue"):
            data["deadline"] = "overdue"
        elif data.pop("due_soon"):
            data["deadline"] = "due_soon"
        data.pop("due_soon", None)
        rows = listing.filter_requests(self.get_queryset(), data, request.user, today=_today(),
                                       calendar=WorkCalendar.from_directory(), cap=None)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([api.request_out(row, self._listed_applicant(row)) for row in page])

    def _listed_applicant(self, row) -> dict:
        return api.applicant_out(row.request.applicant, row.applicant, row.applicant_type, full=False)

    def _detail(self, found: Request) -> dict:
        """The request page's view: personal data in full for the handling office (and audited, as there)."""
        full = sees_personal_data(self.request.user, [found.agency_id])
        if full:
            record(AuditEntry.Action.VIEW_PERSONAL_DATA, found, found.pk, agency_id=found.agency_id)
        row = request_row(self.request.user, found, _today(), WorkCalendar.from_directory())
        applicant = api.applicant_out(found.applicant, row.applicant, row.applicant_type, full=full)
        events = api.EventSerializer(found.rows(), many=True, context={"full": full}).data
        return {**api.request_out(row, applicant), "events": events}

    def retrieve(self, request, pk=None):
        return Response(self._detail(self.get_object()))

    def create(self, request):
        ids = editable_agency_ids(request.user)
        agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        intake = api.RequestIn(data=request.data, agencies=agencies)
        intake.is_valid(raise_exception=True)
        data = intake.validated_data
        with transaction.atomic():
            applicant = Applicant(agency=data["agency"], **data["applicant"])
            applicant.full_clean()
            applicant.save()
            created = receive(data["agency"], applicant, data["received_on"], data["channel"],
                              confirm_receipt_date=data["confirm_receipt_date"])
        return Response(self._detail(Request.objects.select_related("agency", "applicant").get(pk=created.pk)),
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        found = self.get_object()
        change = api.RequestChange(data=request.data)
        change.is_valid(raise_exception=True)
        data = change.validated_data
        with transaction.atomic():
            found = Request.objects.select_for_update().select_related("agency", "applicant").get(pk=found.pk)
            found.version = data["edit_version"]  # the save refuses a version that is no longer stored (409)
            found.received_on = data.get("received_on", found.received_on)
            found.channel = data.get("channel", found.channel)
            found.confirm_receipt_date = data["confirm_receipt_date"]
            found.full_clean()
            rows = found.rows()
            for row in rows:
                if row.kind == EventKind.RECEIVED:
                    row.occurred_on = found.received_on
                elif row.occurred_on < found.received_on:
                    raise serializers.ValidationError({"received_on": [f"{row}：早于收到日期 {found.received_on}"]})
            check_timeline(found, recording_order(rows))
            found.save()
            ensure_received(found)
            found.sync_closing()
        return Response(self._detail(found))

    @extend_schema(summary="一件申请的办理事件", methods=["GET"], responses=api.EventSerializer(many=True))
    @extend_schema(summary="记录一个办理事件（经台账校验）", methods=["POST"], request=api.EventSerializer,
                   responses={201: api.EventSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def events(self, request, pk=None):
        found = self.get_object()
        full = sees_personal_data(request.user, [found.agency_id])
        if request.method == "GET":
            return Response(api.EventSerializer(found.rows(), many=True, context={"full": full}).data)
        given = api.EventSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if not may_record(request.user, given.validated_data["kind"]):
            raise head_only_refusal(given.validated_data["kind"])
        with transaction.atomic():  # one event at a time per request: each is checked against the stored others
            locked = Request.objects.select_for_update().get(pk=found.pk)
            event = RequestEvent(request=locked, **given.validated_data)
            event.full_clean()
            event.save()
        return Response(api.EventSerializer(event, context={"full": full}).data, status=status.HTTP_201_CREATED)


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise NotFound("没有这一年度的报告。") from None
    if not FIRST_YEAR <= year <= _today().year:
        raise NotFound(f"没有这一年度的报告：可汇编 {FIRST_YEAR} 年至今年的报告。")
    return year


@routed("reports")
@extend_schema_view(
    list=extend_schema(summary="年度报告草稿（可查看的机关）", parameters=[
        OpenApiParameter("agency", OpenApiTypes.INT), OpenApiParameter("year", OpenApiTypes.INT)],
        responses=api.ReportDraftOut(many=True)),
)
class ReportViewSet(AgencyScoped, viewsets.GenericViewSet):
    """Per agency-year: the report compiled from the ledger (flat form) and the draft's texts.  Read only."""

    queryset = ReportDraft.objects.select_related("agency").order_by("agency_id", "year")
    serializer_class = api.ReportDraftOut

    def list(self, request):
        drafts = self.get_queryset()
        for name in ("agency", "year"):
            value = request.query_params.get(name)
            if value is not None:
                if not value.isdigit():
                    raise serializers.ValidationError({name: ["须为整数。"]})
                drafts = drafts.filter(**{name: int(value)})
        page = self.paginate_queryset(drafts)
        return self.get_paginated_response([api.draft_out(d.agency, d.year, d) for d in page])

    @extend_schema(summary="一个机关一个年度的年度报告：由台账汇编的报告（平面形式）和草稿文字",
                   responses=api.ReportOut)
    @action(detail=False, url_path=r"(?P<agency_id>\d+)/(?P<year>\d{4})", methods=["get"])
    def agency_year(self, request, agency_id: str, year: str):
        ids = visible_agency_ids(request.user)
        agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        agency = get_object_or_404(agencies, pk=int(agency_id))
        year = _year(year)
        draft = ReportDraft.objects.filter(agency=agency, year=year).first()
        return Response({**api.draft_out(agency, year, draft), "compiled": compile_report(agency, year).flat(),
                         "published_report": draft.published_report if draft else None})


@routed("letters")
@extend_schema_view(
    list=extend_schema(summary="文书列表（可按申请筛选；草稿仅办理机关可见）", parameters=[
        OpenApiParameter("request", OpenApiTypes.INT, description="申请编号")], responses=LetterOut(many=True)),
    retrieve=extend_schema(summary="一份文书（不含文件）", responses=LetterOut),
)
class LetterViewSet(AgencyScoped, viewsets.ReadOnlyModelViewSet):
    """A request's letters, as on its page: every user who sees the request sees its signed letters listed;
    drafts (a 答复书 or 延期答复告知书 awaiting the head) and the files — they name the applicant in full — are
    for the handling office only, by the screens' rule (``office/letter_views.check_download``)."""

    queryset = Letter.objects.select_related("request", "signed_by").defer("docx", "pdf").order_by(
        "request_id", "created_at", "pk")
    serializer_class = LetterOut
    agency_path = "request__agency"

    def _office(self) -> int | None:
        """The agency whose office the user works in (staff or head), if any."""
        profile = profile_of(self.request.user)
        return profile.agency_id if profile is not None and profile.role in EDITORS else None

    def get_queryset(self):
        letters = super().get_queryset()
        return letters.filter(Q(status=Letter.Status.ISSUED) | Q(request__agency_id=self._office()))

    def _out(self, letter: Letter, office: int | None) -> dict:
        return LetterOut(letter, context={"office": office == letter.request.agency_id}).data

    def list(self, request):
        letters = self.get_queryset()
        wanted = request.query_params.get("request")
        if wanted is not None:
            if not wanted.isdigit():
                raise serializers.ValidationError({"request": ["须为整数。"]})
            letters = letters.filter(request_id=int(wanted))
        page = self.paginate_queryset(letters)
        office = self._office()
        return self.get_paginated_response([self._out(letter, office) for letter in page])

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object(), self._office()))

    def _file(self, pk) -> Letter:
        letter = self.get_object()  # its files are loaded when read (deferred in the list)
        check_download(self.request.user, letter)
        return letter

    @extend_schema(summary="下载已签发文书的 Word 文档（仅办理机关）",
                   responses={(200, DOCX_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        letter = self._file(pk)
        return attachment(bytes(letter.docx), DOCX_TYPE, letter.filename("docx"))

    @extend_schema(summary="下载已签发文书的 PDF（仅办理机关；首次下载时生成）",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        letter = self._file(pk)
        try:
            pdf = pdf_of(letter)
        except LetterPdfError as error:
            return Response({"detail": f"无法生成 PDF：{error}。请下载 Word 文档。"},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return attachment(pdf, "application/pdf", letter.filename("pdf"))
