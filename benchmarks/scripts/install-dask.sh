#!/usr/bin/env bash
# Installs Debian's Dask distributed (python3-distributed) for the scheduler suite's Dask comparison.
# Debian's Dask is importable only by /usr/bin/python3 (not by another python3 on PATH).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3-distributed
/usr/bin/python3 -c 'import dask, distributed; print("dask", dask.__version__, "distributed", distributed.__version__)'
