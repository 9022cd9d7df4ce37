package dev.idaas.spring.cluster.load;

import dev.idaas.spring.cluster.load.ClusterRefreshBurst.Result;
import dev.idaas.spring.cluster.load.ClusterRefreshBurst.Settings;
import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster refresh burst, small: 3 nodes × 100 sessions on a real {@code redis-server},
 * every id_token expired at once, two requests per node per session at once. Asserts counts
 * only, never a time (the timed run is {@code benchmarks/run.sh cluster}).
 */
class ClusterRefreshBurstRedisTests {

	private static final Settings SMALL = new Settings(3, 100, 2, 2, 24, 3, true);

	private static RedisServerProcess redis;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServerProcess.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void burstWhenClusterLockThenOneRefreshCallPerSessionNoSignOutAndOnly200() throws Exception {
		Result result = ClusterRefreshBurst.run(SMALL, redis);
		System.out.println("[cluster-burst] " + result.summary());

		assertThat(result.signIns()).isEqualTo(103);
		assertThat(result.singleRefreshFailures()).isZero();
		assertThat(result.burstRequests()).isEqualTo(600);
		assertThat(result.laterRequests()).isEqualTo(600);
		assertThat(result.refreshCalls()).isEqualTo(100);
		assertThat(result.refreshesPerNode().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
		assertThat(result.refreshCallsAfterBurst()).isZero();
		assertThat(result.signOuts()).isZero();
		assertThat(result.upstreamLogouts()).isZero();
		assertThat(result.statuses()).containsOnlyKeys(200);
		assertThat(result.non2xx()).isZero();
		assertThat(result.wrongBodies()).isZero();
		// the lock was taken in Redis, once per refresh at least
		assertThat(result.burstRedis().calls("set")).isGreaterThanOrEqualTo(100);
		assertThat(result.burstRedis().calls("evalsha") + result.burstRedis().calls("eval"))
			.isGreaterThanOrEqualTo(100);
	}

}
