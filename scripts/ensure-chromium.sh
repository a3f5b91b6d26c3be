#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a downloaded browser build) and need a CJK font
# so pages and screenshots show Chinese, not boxes. Install what is missing with apt (root only,
# as on CI machines); elsewhere say what to install.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }; then
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages for the browser tests: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  [ -x /usr/bin/chromium ] || { echo "chromium did not install" >&2; exit 1; }
else
  echo "浏览器测试需要 Debian 软件包：${need[*]}（请以 root 运行 apt-get install ${need[*]}）" >&2
  exit 1
fi
