"""``python -m harmline ARGS`` is ``harmline ARGS``."""

from harmline.cli import main

raise SystemExit(main())
