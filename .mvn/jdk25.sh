# Sourced (POSIX sh) by ./mvnw, ./strata and .ci/run: points JAVA_HOME at a JDK 25 or newer.
# JAVA_HOME is kept when it already is one; otherwise the usual install locations and the java on
# PATH are tried. Where none exists it says so in one line and stops.

strata_java_major() {
  # The release file answers without starting a JVM; a JDK without one is asked directly.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

strata_find_jdk25() {
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25* \
      /opt/java/openjdk /Library/Java/JavaVirtualMachines/*25*/Contents/Home "$HOME"/.sdkman/candidates/java/25* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    major=$(strata_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if strata_home=$(strata_find_jdk25); then
  JAVA_HOME="$strata_home"
  export JAVA_HOME
else
  echo "Strata needs a JDK 25 and found none (JAVA_HOME='${JAVA_HOME:-}', java on PATH: $(command -v java || echo none)); install one, e.g. Temurin 25 from https://adoptium.net or 'apt-get install temurin-25-jdk', and set JAVA_HOME to it." >&2
  exit 1
fi
unset strata_home
