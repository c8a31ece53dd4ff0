"""Reliability tests reuse the fault server fixture."""

from faults.conftest import fault_server

__all__ = ["fault_server"]
