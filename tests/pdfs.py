from unittest import mock

import weasyprint


def pdf_html(client, url: str) -> str:
    """The HTML a PDF download (`url` asks for one) was drawn from, its whitespace collapsed."""
    with mock.patch.object(weasyprint, "HTML", wraps=weasyprint.HTML) as draw:
        response = client.get(url)
    assert response.content.startswith(b"%PDF"), url
    return " ".join(draw.call_args.kwargs["string"].split())
