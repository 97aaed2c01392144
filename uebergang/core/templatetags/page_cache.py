"""`{% pagecache %}…{% endpagecache %}`: the page's main content, cached under the key the
view put in the context (`core.web.page_cache`); rendered every time where there is none."""

import hashlib

from django import template
from django.core.cache import cache

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        key = context.get("page_cache_key")
        if not key:
            return self.nodelist.render(context)
        cache_key = "page:" + hashlib.sha256(key.encode()).hexdigest()
        value = cache.get(cache_key)
        if value is None:
            value = self.nodelist.render(context)
            cache.set(cache_key, value, context.get("page_cache_seconds", 3600))
        return value


@register.tag
def pagecache(parser: template.base.Parser, token: template.base.Token) -> PageCacheNode:
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist)
