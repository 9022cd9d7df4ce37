#!/bin/sh
# Builds the benchmarks and runs all four, short settings for a 2-core machine.
# Output: benchmarks/target/results/*.txt. Run from the repository root.
set -e
./mvnw -q -Pbenchmarks -pl benchmarks -am package -DskipTests
cd benchmarks
mkdir -p target/results
java -jar target/idaas-benchmarks.jar RefreshFilterBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
	| tee target/results/jmh.txt
java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.RefreshBurst 200 10 5 0,100 | tee target/results/burst.txt
java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.throughput.ThroughputComparison 10 4 16 15 \
	| tee target/results/throughput.txt
java -cp target/idaas-benchmarks.jar dev.idaas.benchmarks.SessionSize | tee target/results/session-size.txt
