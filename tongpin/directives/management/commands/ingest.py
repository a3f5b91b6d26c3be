import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongpin.directives.ingest import IngestError, clean_text, propose_items, read_document
from tongpin.work.models import TaskCategory


class Command(BaseCommand):
    help = (
        "Read a directive (.txt, .docx or a PDF with text), print its cleaned text and the "
        "proposed action items; --json prints one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document: .txt, .docx or .pdf.")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"text": …, "items": [{"title", "sentence", "category"}, …]}.',
        )

    def handle(self, *args, path, json=False, **options):
        try:
            raw = read_document(path)
        except IngestError as error:
            raise CommandError(str(error)) from error
        text = clean_text(raw)
        items = propose_items(text)
        if json:
            payload = {"text": text, "items": [item.as_dict() for item in items]}
            self.stdout.write(_dumps(payload))
            return
        labels = dict(TaskCategory.choices)
        self.stdout.write(text)
        self.stdout.write("")
        self.stdout.write(_("Proposed items: %(count)d") % {"count": len(items)})
        for number, item in enumerate(items, 1):
            self.stdout.write(
                f"{number}. [{labels.get(item.category, item.category)}] {item.title}"
            )
            self.stdout.write(f"   {item.sentence}")


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
