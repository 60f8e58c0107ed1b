"""The web page: forms for each job, progress while it runs, the results and downloads.

Pages never hold a rule: every job is a call into ``web.jobs``, run by ``web.runner`` in a
worker process. Uploads are checked by ``web.uploads`` before any workbook reader sees
them. Every response carries a content security policy that allows only this server's
own scripts and styles.
"""

from __future__ import annotations

import time
from urllib.parse import urlparse

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from web import jobs
from web.runner import Busy, Runner
from web.uploads import MAX_UPLOAD_BYTES, UploadError, accept_workbook

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DOWNLOAD_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".zip": "application/zip",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
PATTERNS = (("9DF", "nine-day fortnight (9DF)"), ("4DW", "four-day week (4DW)"))
WEEKDAYS = (("Mon", "Monday"), ("Tue", "Tuesday"), ("Wed", "Wednesday"), ("Thu", "Thursday"),
            ("Fri", "Friday"))  # fmt: skip
ABSENCE_ROWS = 3
FAULT = (
    "Something went wrong on our side",
    "This is a fault in workwell, not in your file. It has been logged.",
)


def create_app(time_limit: float = 30.0, workers: int = 2, keep_minutes: float = 10) -> Flask:
    """The web application; ``time_limit`` caps each solve, as `--time-limit` does."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=2 * MAX_UPLOAD_BYTES + 1024 * 1024,
        TIME_LIMIT=time_limit,
        PROPAGATE_EXCEPTIONS=False,
    )
    app.extensions["runner"] = Runner(workers, keep_minutes)
    _pages(app)
    _job_pages(app)
    _guards(app)
    return app


def _runner(app: Flask | None = None) -> Runner:
    from flask import current_app

    return (app or current_app).extensions["runner"]


def _upload(field: str, what: str):
    """The uploaded workbook in ``field``, checked; raise UploadError saying what is wrong."""
    file = request.files.get(field)
    if file is None or not file.filename:
        raise UploadError([f"No file chosen: choose {what}."])
    return accept_workbook(file.filename, file.read(MAX_UPLOAD_BYTES + 1), what)


def _uploads(*fields: tuple[str, str], optional: tuple[str, ...] = ()) -> list:
    """Every upload asked for, checked (None for an ``optional`` field left empty); raise
    UploadError listing the problems of all."""
    found, problems = [], []
    for field, what in fields:
        file = request.files.get(field)
        if field in optional and (file is None or not file.filename):
            found.append(None)
            continue
        try:
            found.append(_upload(field, what))
        except UploadError as error:
            problems += error.problems
    if problems:
        raise UploadError(problems)
    return found


def _start(kind: str, function, *args) -> Response:
    try:
        job = _runner().submit(kind, function, *args)
    except Busy:
        return _error(503, "Busy", "Many rotas are being planned just now: try again in a minute.")
    return redirect(url_for("job_page", job_id=job.id), 303)


def _pages(app: Flask) -> None:
    @app.get("/")
    def home():
        return render_template("home.html")

    @app.route("/plan", methods=["GET", "POST"])
    def plan():
        if request.method == "GET":
            return render_template("plan.html")
        try:
            upload = _upload("workbook", "the team or service workbook")
        except UploadError as error:
            return render_template("plan.html", problems=error.problems), 400
        allow_short = request.form.get("allow_short") == "yes"
        return _start("plan", jobs.plan_workbook, upload.name, upload.data, _limit(), allow_short)

    @app.post("/check")
    def check():
        try:
            upload = _upload("workbook", "the team or service workbook")
        except UploadError as error:
            return jsonify(status="bad_input", heading="This file cannot be used:",
                           problems=error.problems, lines=[], warnings=[])  # fmt: skip
        found = _runner().run(jobs.check_workbook, upload.name, upload.data)
        return jsonify(
            status=found.status,
            heading=found.heading,
            problems=found.problems,
            rows=found.notes,
            lines=found.lines,
            warnings=found.warnings,
        )

    @app.route("/gaps", methods=["GET", "POST"])
    def gaps():
        if request.method == "GET":
            return render_template("gaps.html", **_gaps_words())
        try:
            rota, rules = _uploads(
                ("rota", "the rota workbook"),
                ("rules", "the team or service workbook with the rules"),
                optional=("rules",),  # a workwell rota carries the rules it was planned with
            )
            threshold = _number("threshold", "Displaced workload threshold")
            minimums = (
                _number("min_present", "Minimum present", whole=True),
                _number("min_senior", "Minimum senior", whole=True),
            )
        except UploadError as error:
            return render_template("gaps.html", problems=error.problems, **_gaps_words()), 400
        rules_file = (rules.name, rules.data) if rules else (None, None)
        args = (rota.name, rota.data, *rules_file, threshold, minimums)
        return _start("gaps", jobs.check_gaps, *args)

    @app.route("/request", methods=["GET", "POST"])
    def ask():
        form = {"patterns": PATTERNS, "weekdays": WEEKDAYS}
        if request.method == "GET":
            return render_template("request.html", **form)
        try:
            team = _upload("workbook", "the team workbook")
        except UploadError as error:
            return render_template("request.html", problems=error.problems, **form), 400
        values = [request.form.get(k, "").strip() for k in ("staff", "pattern", "day")]
        week = request.form.get("week", "").strip() or None
        return _start("request", jobs.answer, team.name, team.data, *values, week, _limit())

    @app.route("/replan", methods=["GET", "POST"])
    def replan():
        rows = range(1, ABSENCE_ROWS + 1)
        if request.method == "GET":
            return render_template("replan.html", rows=rows)
        try:
            rota, rules = _uploads(
                ("rota", "the rota workbook"),
                ("rules", "the team or service workbook it was planned from"),
                optional=("rules",),  # a workwell rota carries the rules it was planned with
            )
        except UploadError as error:
            return render_template("replan.html", rows=rows, problems=error.problems), 400
        absences = [
            tuple(request.form.get(f"{k}{n}", "").strip() for k in ("staff", "first", "last"))
            for n in rows
        ]
        absences = [a for a in absences if any(a)]
        start = request.form.get("from", "").strip() or None
        rules_file = (rules.name, rules.data) if rules else (None, None)
        args = (rota.name, rota.data, *rules_file, absences, start, _limit())
        return _start("replan", jobs.replan_rota, *args)

    @app.get("/template/<kind>.xlsx")
    def template(kind: str):
        if kind not in ("team", "service"):
            abort(404)
        data = _runner().run(jobs.blank_template, kind == "service")
        return _download(data, f"{kind}-template.xlsx")

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.get("/codes.css")
    def codes_css():
        lines = [f".code-{code} {{ background: #{colour}; }}" for code, colour, _ in jobs.palette()]
        lines.append(f".short {{ background: #{jobs.short_colour()}; }}")
        return Response("\n".join(lines) + "\n", mimetype="text/css")


def _gaps_words() -> dict:
    return {"meanings": jobs.gap_meanings(), "palette": jobs.palette()}


def _limit() -> float:
    from flask import current_app

    return current_app.config["TIME_LIMIT"]


def _number(field: str, label: str, whole: bool = False) -> float | None:
    text = request.form.get(field, "").strip()
    if not text:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise UploadError([f"{label}: {text!r} is not {kind}"]) from None
    if value < 0:
        raise UploadError([f"{label}: {text!r} must not be negative"])
    return value


def _job_pages(app: Flask) -> None:
    @app.get("/jobs/<job_id>")
    def job_page(job_id: str):
        job = _job(job_id)
        if job.state == "failed":
            return _error(500, *FAULT)
        if job.state != "done":
            return render_template("waiting.html", job=job, limit=_limit(), **_progress(job))
        outcome = job.outcome()
        return render_template(
            f"{outcome.kind}_result.html",
            job=job,
            outcome=outcome,
            palette=jobs.palette(),
            later=jobs.LATER,
            meanings=jobs.gap_meanings() if outcome.kind == "gaps" else [],
            rows=range(1, ABSENCE_ROWS + 1),
            patterns=PATTERNS,
            weekdays=WEEKDAYS,
        )

    @app.get("/jobs/<job_id>/status")
    def job_status(job_id: str):
        job = _job(job_id)
        return jsonify(state=job.state, **_progress(job))

    @app.get("/jobs/<job_id>/files/<name>")
    def job_file(job_id: str, name: str):
        outcome = _job(job_id).outcome()
        if outcome is not None and name not in outcome.files and name in jobs.LATER:
            source, maker = jobs.LATER[name]
            if source in outcome.files:
                made = _runner().run(getattr(jobs, maker), outcome.files[source])
                outcome.files.setdefault(name, made)
        if outcome is None or name not in outcome.files:
            abort(404)
        return _download(outcome.files[name], name)


def _job(job_id: str):
    job = _runner().get(job_id)
    if job is None:
        abort(404)
    return job


def _progress(job) -> dict:
    return {
        "ahead": _runner().ahead_of(job) if job.state == "waiting" else 0,
        "elapsed": round(time.monotonic() - job.created),
    }


def _download(data: bytes, name: str) -> Response:
    suffix = name[name.rfind(".") :]
    return Response(
        data,
        mimetype=DOWNLOAD_TYPES.get(suffix, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _error(code: int, title: str, message: str):
    return render_template("error.html", title=title, message=message), code


def _guards(app: Flask) -> None:
    @app.before_request
    def same_origin_posts():
        origin = request.headers.get("Origin")
        if request.method == "POST" and origin and urlparse(origin).netloc != request.host:
            abort(403)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # no-referrer makes Origin null
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/jobs/") or request.method == "POST":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        return _error(413, "File too large", "Each file may be at most 10 MB.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 404:
            return _error(404, "Not found", "No such page, or the result has expired: results "
                          "are kept for a few minutes only. Upload the file again.")  # fmt: skip
        return _error(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def fault(error: Exception):
        app.logger.exception("unexpected error", exc_info=error)
        return _error(500, *FAULT)
