package dev.idaas.spring.cluster.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading {@code INFO commandstats}.
 */
class RedisCommandStatsTests {

	@Test
	void parseWhenCommandstatsThenCallsPerCommandWithoutInfo() {
		RedisCommandStats stats = RedisCommandStats.parse("# Commandstats\r\n"
				+ "cmdstat_hgetall:calls=12,usec=80,usec_per_call=6.67,rejected_calls=0,failed_calls=0\r\n"
				+ "cmdstat_client|setinfo:calls=2,usec=3,usec_per_call=1.50,rejected_calls=0,failed_calls=0\r\n"
				+ "cmdstat_info:calls=5,usec=300,usec_per_call=60.00,rejected_calls=0,failed_calls=0\r\n");

		assertThat(stats.calls()).containsOnlyKeys("hgetall", "client|setinfo");
		assertThat(stats.calls("hgetall")).isEqualTo(12);
		assertThat(stats.calls("set")).isZero();
		assertThat(stats.total()).isEqualTo(14);
	}

	@Test
	void minusWhenLaterReadingThenOnlyCommandsCalledMeanwhile() {
		RedisCommandStats before = RedisCommandStats.parse("cmdstat_get:calls=3,usec=1\r\ncmdstat_set:calls=4,usec=1\r\n");
		RedisCommandStats after = RedisCommandStats
			.parse("cmdstat_get:calls=3,usec=1\r\ncmdstat_set:calls=9,usec=1\r\ncmdstat_exists:calls=2,usec=1\r\n");

		RedisCommandStats delta = after.minus(before);

		assertThat(delta.calls()).containsOnlyKeys("set", "exists");
		assertThat(delta.calls("set")).isEqualTo(5);
		assertThat(delta.total()).isEqualTo(7);
	}

}
