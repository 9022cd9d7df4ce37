#!/bin/sh
# Builds the benchmarks and runs them, with short settings for a 2-core machine.
# Usage (from the repository root):
#   benchmarks/run.sh            every figure
#   benchmarks/run.sh <figure>   one figure: fastpath | burst | throughput | session | login | cluster | outage
# Output: benchmarks/target/results/<figure>.txt
set -e
what=${1:-all}
case "$what" in
	all|fastpath|burst|throughput|session|login|cluster|outage) ;;
	*) echo "unknown figure: $what (fastpath | burst | throughput | session | login | cluster | outage)" >&2; exit 2 ;;
esac
selected() { [ "$what" = all ] || [ "$what" = "$1" ]; }

./mvnw -q -B -Pbenchmarks -pl benchmarks -am package -DskipTests
cd benchmarks
mkdir -p target/results

if selected fastpath; then
	# 3 forks so the error bars mean something; chain with and without the filter in the same run;
	# 10 s of warm-up per fork, so that C2 has compiled the chain even on a loaded machine
	java -jar target/idaas-benchmarks.jar RefreshFilterBenchmark -f 3 -wi 5 -i 5 -w 2s -r 1s -prof gc \
		| tee target/results/fastpath.txt
fi
if selected burst; then
	java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.RefreshBurst 200 10 5 0,100 \
		| tee target/results/burst.txt
fi
if selected throughput; then
	java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.throughput.ThroughputComparison 10 4 16 15 \
		| tee target/results/throughput.txt
fi
if selected session; then
	java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.SessionSize | tee target/results/session.txt
fi
if selected login; then
	# the starter's Apple sign-in with a canned upstream, next to one bare jjwt RS256 verification
	java -jar target/idaas-benchmarks.jar LoginBenchmark -f 3 -wi 5 -i 5 -w 3s -r 2s -prof gc \
		| tee target/results/login.txt
fi
# The cluster scenarios are test classes of idaas-cluster-tests (a real redis-server, Spring Session,
# the simulator); they run on that module's test class path, so Spring Session and Redis stay off
# the class path of the other figures' apps.
classpath_file="$PWD/target/cluster.classpath"
if selected cluster || selected outage; then
	# compiled once, even when both cluster figures run
	(cd .. && ./mvnw -q -B -pl idaas-cluster-tests -am test-compile \
		org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
		-Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file")
fi
cluster_java() {
	java -cp "../idaas-cluster-tests/target/test-classes:$(cat "$classpath_file")" "$@"
}
if selected cluster; then
	# 3 nodes x 1,000 sessions, cluster lock on and off
	cluster_java dev.idaas.spring.cluster.load.ClusterRefreshBurstBenchmark 3 1000 2 2 48 30 \
		| tee target/results/cluster.txt
fi
if selected outage; then
	# 3 nodes x 300 sessions, a 30 s outage; writes benchmarks/outage-recovery.png
	cluster_java dev.idaas.spring.cluster.load.OutageBenchmark 3 300 30 outage-recovery.png \
		| tee target/results/outage.txt
fi
