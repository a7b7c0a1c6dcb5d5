"""``harmline demo`` and the loopback deployment it shares with the end-to-end tests."""

from harmline.demo.scenario import run_demo

__all__ = ["run_demo"]
