"""repo-scorecard: grade repositories on a maturity scorecard."""

__version__ = "1.0.0"
