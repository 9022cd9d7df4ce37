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
	java -jar target/idaas-benchmarks.jar RefreshFilterBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
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
	echo "login: not measured yet" | tee target/results/login.txt
fi
if selected cluster; then
	echo "cluster: not measured yet" | tee target/results/cluster.txt
fi
if selected outage; then
	# The scenario lives in idaas-cluster-tests' test sources (a real redis-server, Spring Session, the
	# simulator): compile them and run with their test class path. Writes benchmarks/outage-recovery.png
	(cd .. && ./mvnw -q -B -pl idaas-cluster-tests -am test-compile \
		org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
		-Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt)
	java -cp "../idaas-cluster-tests/target/test-classes:$(cat ../idaas-cluster-tests/target/test-classpath.txt)" \
		dev.idaas.spring.autoconfigure.OutageBenchmark 3 300 30 outage-recovery.png \
		| tee target/results/outage.txt
fi
