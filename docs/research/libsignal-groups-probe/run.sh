#!/bin/sh
# Throwaway probe for docs in ../libsignal-groups.md. Not part of the build. Run: sh run.sh [bench]
set -e
cd "$(dirname "$0")"
M=$HOME/.m2/repository
C=$M/org/signal/libsignal-client/0.86.5/libsignal-client-0.86.5.jar
S=$M/org/signal/libsignal-server/0.86.5/libsignal-server-0.86.5.jar   # mvn dependency:get -Dartifact=org.signal:libsignal-server:0.86.5
K=$M/org/jetbrains/kotlin/kotlin-stdlib/2.1.0/kotlin-stdlib-2.1.0.jar
mkdir -p /tmp/lsg-out
javac -d /tmp/lsg-out -cp "$C:$S:$K" *.java
java -Xmx2g -cp "/tmp/lsg-out:$C:$S:$K" Lsg "$@" 2>&1 | grep -v ' INFO \| WARN '
