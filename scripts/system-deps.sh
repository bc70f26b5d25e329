#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
#   python3-onnx           onnx.checker for every exported model
#   dataset-fashion-mnist  Fashion-MNIST for @neurozoo/datasets
#   chromium               the browser tests (@neurozoo/browser-tests, driven by playwright-core)
# As root it runs apt-get; otherwise it uses sudo, or prints the command and fails.
set -euo pipefail
need=()
/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1 || need+=(python3-onnx)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${need[*]}"
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages; run: apt-get install -y ${need[*]}" >&2
  exit 1
fi
