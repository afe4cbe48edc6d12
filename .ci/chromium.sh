# shellcheck shell=bash
# Source this file to get Debian's Chromium for the browser test of the
# example server's consent page:
#
#	source .ci/chromium.sh
#
# It installs the chromium package with apt when it is missing and exports
# CHROMIUM. It returns non-zero when Chromium cannot be installed; the
# caller decides whether that is fatal.
if ! command -v chromium >/dev/null 2>&1; then
	echo "chromium.sh: installing Debian's chromium" >&2
	if ! (export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null &&
			apt-get install -y -q --no-install-recommends chromium >/dev/null); then
		echo "chromium.sh: could not install chromium" >&2
		return 1 2>/dev/null || exit 1
	fi
fi
CHROMIUM="$(command -v chromium)"
export CHROMIUM
echo "chromium.sh: CHROMIUM=$CHROMIUM ($("$CHROMIUM" --version 2>/dev/null | head -n 1))" >&2
