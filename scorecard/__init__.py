"""repo-scorecard: grade repositories on a maturity scorecard."""

__version__ = "0.1.0"
