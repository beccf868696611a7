"""Test helpers shipped with the app: instances never outlive a test run."""
import unittest


class ServerMixin:
    def setUp(self) -> None:
        self.server = object()

    def restart(self) -> None:
        self.server = object()


class PointTest(ServerMixin, unittest.TestCase):
    def test_restart(self) -> None:
        self.restart()
        self.restarted = True
