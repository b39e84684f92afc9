"""Keep Hypothesis's example database and caches out of the project tree: these tests run
with ``-p no:cacheprovider`` and should leave no files behind."""

import tempfile

from hypothesis.configuration import set_hypothesis_home_dir

_HOME = tempfile.TemporaryDirectory(prefix="zicht-hypothesis-")  # removed when the run ends
set_hypothesis_home_dir(_HOME.name)
