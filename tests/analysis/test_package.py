import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_analysis_never_imports_flask_or_sqlalchemy():
    # A fresh interpreter: in this one the app's fixtures have imported both already.
    script = (
        "import sys, analysis.results, analysis.suppression, analysis.periods; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy'}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
