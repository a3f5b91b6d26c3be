from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Tongpin with waitress (static files served by the app itself)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from tongpin.wsgi import application

        self.stdout.write(f"同频 Tongpin: http://{host}:{port}/  (Ctrl+C 停止)")
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: do not use this setting in production.")
        serve(application, host=host, port=port, threads=threads, ident="tongpin")
