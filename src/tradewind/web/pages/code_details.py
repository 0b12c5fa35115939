"""The Code view (the DAG file as last parsed, highlighted) and the Details page."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tradewind.store.views import dag_pages
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of
from tradewind.web.pages.dag_common import load, not_found, render_dag_page


def highlight_python(source: str) -> Markup:
    """Python source as highlighted HTML with line numbers (plain numbered lines without Pygments)."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        lines = "".join(f'<span class="ln">{i}</span>{escape(line)}\n' for i, line in enumerate(source.splitlines(), 1))
        return Markup(f'<pre class="code">{lines}</pre>')
    formatter = HtmlFormatter(linenos="table", cssclass="code highlight", wrapcode=True)
    return Markup(highlight(source, PythonLexer(), formatter))


@requires("read")
def code(request: Request) -> Response:
    """The DAG's file, as the DAG processor last read it."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        source = dag_pages.dag_code(conn, page.dag.fileloc)
    if source is None:
        try:
            with open(page.dag.fileloc, encoding="utf-8") as fh:
                source = fh.read()
        except OSError:
            source = None
    return render_dag_page(request, page, "code.html", "code", run=None,
                           code_html=highlight_python(source) if source is not None else None)


@requires("read")
def details(request: Request) -> Response:
    """The DAG's attributes, its operators and its params."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        summary = dag_pages.run_state_summary(conn, dag_id)
    data = page.dag.data
    attributes = [
        ("dag_id", data["dag_id"]), ("description", data.get("description")), ("owner", data.get("owner")),
        ("schedule", data.get("timetable_summary")), ("timetable", data.get("timetable_description")),
        ("start_date", data.get("start_date")), ("end_date", data.get("end_date")), ("catchup", data.get("catchup")),
        ("max_active_runs", data.get("max_active_runs")), ("max_active_tasks", data.get("max_active_tasks")),
        ("dagrun_timeout", data.get("dagrun_timeout_s")), ("timezone", data.get("timezone")),
        ("fileloc", data.get("fileloc")), ("version", page.dag.version_number),
        ("is_paused", page.row["is_paused"]), ("last_parsed", page.row.get("last_parsed_at")),
    ]
    operators = Counter(t.operator for t in page.dag).most_common()
    return render_dag_page(request, page, "details.html", "details", run=None, attributes=attributes,
                           operators=operators, summary=summary, params=data.get("params") or {},
                           doc_md=data.get("doc_md"))


ROUTES = [
    Route("/dags/{dag_id}/code", code),
    Route("/dags/{dag_id}/details", details),
]
