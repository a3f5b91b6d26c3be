from django.core.management.base import BaseCommand

from tongpin.demo.services import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo agency (idempotent; starts no server)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--members", type=int, default=600, help="number of members (default 600)"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, members, seed, **options):
        summary = load_demo(members=members, seed=seed)
        if not summary.created:
            self.stdout.write(f"示范机关已存在（{summary.members} 名党员），未作改动。")
            return
        self.stdout.write(
            f"已载入示范机关：{summary.organizations} 个组织、{summary.departments} 个处室、"
            f"{summary.members} 名党员。"
        )
        self.stdout.write(f"示范账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in DEMO_USERS.items():
            self.stdout.write(f"  {label:　<8} {username}")
