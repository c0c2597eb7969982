"""One shape for every list: `{"items", "page", "per_page", "total", "pages"}`, and a `Link`
header (RFC 8288) pointing at the next and previous pages."""
from collections.abc import Callable

from flask import Response, jsonify, request, url_for

from lms.api.params import page_args
from lms.extensions import db


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def link_header(page: int, pages: int) -> str | None:
    links = []
    if page < pages:
        links.append(f'<{_page_url(page + 1)}>; rel="next"')
    if page > 1:  # past the end, "prev" leads back to the last page
        links.append(f'<{_page_url(min(page - 1, max(pages, 1)))}>; rel="prev"')
    return ", ".join(links) or None


def paginated(query, serialise: Callable) -> Response:
    """The page of `query` the request asks for, each row through `serialise`. A page past
    the last one is empty (not an error), so a client can stop when `items` runs out."""
    page, per_page = page_args()
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    response = jsonify({"items": [serialise(item) for item in result.items], "page": page,
                        "per_page": per_page, "total": result.total, "pages": result.pages})
    links = link_header(page, result.pages)
    if links:
        response.headers["Link"] = links
    return response
