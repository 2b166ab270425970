"""``POST /exchange/v1/edxml``: peers deliver edXML packages and status packages here.

No session, no CSRF token: the XML signature is the authentication. The answer is a signed
status package (HTTP 200; status 01 arrived or 02 refused); input that is not a package is a
400 with the platform's JSON error shape, and nothing is stored.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from egov.core.api.errors import error_body

from .conf import setting
from .edxml import EdxmlError
from .services import XML, receive


@csrf_exempt
@require_POST
def receive_edxml(request):
    limit = setting("EGOV_EXCHANGE_MAX_PACKAGE_BYTES")
    # Read the stream ourselves: request.body stops at DATA_UPLOAD_MAX_MEMORY_SIZE.
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return JsonResponse(
            error_body(
                "package_too_large",
                _("The package is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            ),
            status=413,
        )
    try:
        answer = receive(raw)
    except EdxmlError as error:
        return JsonResponse(error_body(error.code, str(error)), status=400)
    response = HttpResponse(answer.body, content_type=XML)
    response["X-Edxml-Status"] = answer.status_code
    if answer.duplicate:
        response["X-Edxml-Duplicate"] = "1"
    return response
