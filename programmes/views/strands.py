from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import programme_led_or_404
from accounts.downloads import table_download

from .. import part_services, selectors, services
from ..forms import StrandForm
from ..tables import StrandUptakeTable
from .parts import programme_part_form


def strand_list(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    strands, rows = selectors.strand_uptake(programme=programme)
    table = StrandUptakeTable(rows, strands=strands, programme=programme)
    download = table_download(request, table, name="strand-uptake")
    if download:
        return download
    context = {"programme": programme, "strands": strands, "table": table}
    return render(request, "programmes/strand_list.html", context)


def strand_form(request, slug: str, pk: int | None = None):
    return programme_part_form(
        request,
        slug,
        pk,
        form_class=StrandForm,
        related="strands",
        noun="strand",
        back="programmes:strands",
        back_label="Strands",
        create=part_services.strand_create,
        update=lambda strand, data: part_services.strand_update(strand=strand, **data),
    )


def strand_uptake(request, slug: str, pk: int):
    """One strand: tick the schools that took it up and those that kept it going."""
    programme = programme_led_or_404(request.user, slug)
    strand = get_object_or_404(programme.strands, pk=pk)
    if request.method == "POST":
        services.strand_uptakes_replace(
            strand=strand,
            taken_up=set(request.POST.getlist("taken_up")),
            continued=set(request.POST.getlist("continued")),
        )
        messages.success(request, f"Uptake of {strand.name} saved.")
        return redirect("programmes:strands", slug=programme.slug)
    rows = selectors.strand_uptake_for(strand=strand)
    return render(
        request,
        "programmes/strand_uptake.html",
        {"programme": programme, "strand": strand, "rows": rows},
    )
