import os
import sys

from .cli import main

code = main()
if sys.getprofile() is not None or sys.gettrace() is not None:
    sys.exit(code)  # a profiler, debugger or coverage tool still has its report to write
# Every file is written and closed by now. Tearing down the interpreter would free
# a big site's objects one by one (half a second at 10,000 articles) for nothing.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
