from django.core.management.base import BaseCommand

from tongpin.core.registry import search_sources
from tongpin.study import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index (all registered sources, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="source keys, e.g. study.material")

    def handle(self, *args, sources, **options):
        unknown = set(sources) - set(search_sources.items)
        if unknown:
            self.stderr.write(f"unknown sources: {', '.join(sorted(unknown))}")
            return
        count = search.reindex(sources or None)
        self.stdout.write(f"indexed {count} texts")
