"""`manage.py run_worker`: run background jobs and periodic tasks until stopped (SIGTERM/SIGINT).

bin/run starts one beside the web server. `--once` does a single round (for cron or a check).
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcm.jobs.worker import Worker


class Command(BaseCommand):
    help = "Run queued background jobs and due periodic tasks until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do one round (tidy up, periodic tasks, queued jobs) and exit.",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=2.0,
            help="Seconds to wait between looks at an empty queue (default 2).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(poll_seconds=options["poll"])
        if options["once"]:
            while worker.run_once():
                pass
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.run_forever()
