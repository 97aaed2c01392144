"""`{% pagecache %}…{% endpagecache %}`: the page's main content, cached under the key the
view put in the context (`core.web.page_cache`); rendered every time where there is none.

Forms in the cached part work: the part is rendered with a placeholder for the CSRF token,
which is replaced by the requesting person's token on every response."""

import hashlib

from django import template
from django.core.cache import cache

register = template.Library()

CSRF_PLACEHOLDER = "__uebergang_csrf_token_placeholder__"


class PageCacheNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        key = context.get("page_cache_key")
        if not key:
            return self.nodelist.render(context)
        cache_key = "page:" + hashlib.sha256(key.encode()).hexdigest()
        value = cache.get(cache_key)
        request = context.get("request")
        if request is not None:  # for the response header X-Page-Cache (bench hit rates)
            request.page_cache_state = "miss" if value is None else "hit"
        if value is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                value = self.nodelist.render(context)
            cache.set(cache_key, value, context.get("page_cache_seconds", 3600))
        if CSRF_PLACEHOLDER in value:
            value = value.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))
        return value


@register.tag
def pagecache(parser: template.base.Parser, token: template.base.Token) -> PageCacheNode:
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist)
