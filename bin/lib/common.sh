# Shared by bin/run, bin/test and bin/bench: a virtual environment built from the lock files.
# Sourced, not run. Reinstalls only when a lock file changed, so a second start takes seconds.

PCM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PCM_VENV="$PCM_ROOT/.venv"
PCM_PYTHON="$PCM_VENV/bin/python"

pcm_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

pcm_find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "PCM needs Python 3.11 (python3.11 or python3 on the PATH)." >&2
  return 1
}

# pcm_ensure_venv LOCKFILE: create .venv and install LOCKFILE into it if it changed.
pcm_ensure_venv() {
  local lock="$PCM_ROOT/$1" stamp="$PCM_VENV/.pcm-installed-$1" digest
  digest="$(cat "$PCM_ROOT"/requirements*.lock | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$PCM_PYTHON" ]; then
    pcm_log "Creating the virtual environment in .venv"
    "$(pcm_find_python)" -m venv "$PCM_VENV"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    pcm_log "Installing Python packages from $1"
    "$PCM_PYTHON" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PCM_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$lock"
    echo "$digest" > "$stamp"
  fi
}

# pcm_apt_install PACKAGE...: install Debian packages that are missing (root or sudo).
pcm_apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  pcm_log "Installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# pcm_secret_key: a random secret key kept in var/ (git ignores it), made on first use.
pcm_secret_key() {
  mkdir -p "$PCM_ROOT/var"
  local key_file="$PCM_ROOT/var/secret_key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$PCM_PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))' > "$key_file")
  fi
  echo "$key_file"
}

# pcm_pdf_libraries: the Debian libraries WeasyPrint renders PDFs with (referral forms), if missing.
pcm_pdf_libraries() {
  local missing=()
  ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
  ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
  ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so" || missing+=(libharfbuzz-subset0)
  fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] || pcm_apt_install "${missing[@]}"
}
