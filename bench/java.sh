# The newest JDK 21+ under /usr/lib/jvm (sourced by the bench scripts; they define log()).
pick_java() {
  local home version newest
  newest=$(for home in /usr/lib/jvm/*/; do
      home=${home%/}
      [[ -x $home/bin/java && -f $home/release ]] || continue
      version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
      [[ ${version%%[.+-]*} =~ ^[0-9]+$ ]] && (( ${version%%[.+-]*} >= 21 )) && echo "$version $home"
    done | sort -V | tail -n 1)
  [[ -n $newest ]] || { log "no JDK 21+ under /usr/lib/jvm"; exit 1; }
  echo "${newest#* }/bin/java"
}
