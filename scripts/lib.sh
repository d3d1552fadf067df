# Shell helpers shared by scripts/run.sh and scripts/smoke_embedded.sh (sourced, not run).

# Is any non-zombie process left in process group $1? (kill -0 also "succeeds" on zombies.)
# Reads /proc directly: procps (ps/pgrep) is not in a minimal Debian image.
group_alive() {
  local f s state ppid pgrp
  for f in /proc/[0-9]*/stat; do
    { read -r s <"$f"; } 2>/dev/null || continue
    read -r state ppid pgrp _ <<<"${s##*) }"
    [[ $pgrp == "$1" && $state != Z ]] && return 0
  done
  return 1
}
