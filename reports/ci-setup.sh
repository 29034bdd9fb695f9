#!/usr/bin/env bash
# Installs what the reports module's browser test needs on a Debian/Ubuntu CI runner (run as root):
# headless Chromium for HtmlReportChromiumTest. With ROBUSTSWEEP_REQUIRE_CHROMIUM=1 the test fails,
# rather than skips, when Chromium is missing.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
chromium --version
