"""XML-RPC result server that jobs report to (see server.ResultServer)."""
from .faults import ReportRefused
from .methods import METHODS
from .server import ResultServer

__all__ = ["METHODS", "ReportRefused", "ResultServer"]
